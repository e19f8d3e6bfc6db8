"""Who may talk to the replica. It listens on loopback only, but any web page open in the agent's
browser can send it requests (and a DNS-rebinding page can even read the answers), so:

- every request must name the replica in its Host header: a loopback name or address with the
  replica's own port (127.0.0.1, localhost, [::1]); otherwise IIS's « Invalid Hostname » 400;
- a state-changing POST whose Origin is another site is refused (app.py, with the anti-forgery check);
- the admin API (``/__replica__/``) wants, besides, the same origin when one is sent and the run's
  admin token (header ``X-Replica-Token`` or ``Authorization: Bearer …``), made anew at every start.
"""

from __future__ import annotations

import hmac

from flask import Response, request

from .http_server import CLOSE

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::")
ADMIN_HEADER = "X-Replica-Token"

# what HTTP.sys answers before IIS sees a request naming a host it does not serve
INVALID_HOSTNAME = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n'
    "<HTML><HEAD><TITLE>Bad Request</TITLE>\r\n"
    '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n'
    "<BODY><h2>Bad Request - Invalid Hostname</h2>\r\n"
    "<hr><p>HTTP Error 400. The request hostname is invalid.</p>\r\n"
    "</BODY></HTML>\r\n"
)


def own_hosts(bound_host: str) -> set[str]:
    """The Host values naming this replica: loopback names (and the bound address) with its own port."""
    names = set(LOOPBACK)
    if bound_host not in WILDCARDS:
        names.add(f"[{bound_host}]" if ":" in bound_host else bound_host.lower())
    port = request.environ.get("SERVER_PORT", "")
    hosts = {f"{name}:{port}" for name in names}
    if port == "80":  # werkzeug drops the scheme's default port from request.host
        hosts.update(names)
    return hosts


def foreign_host(bound_host: str) -> Response | None:
    """IIS's 400 if the Host header names another host or port, else None."""
    if request.host.lower() in own_hosts(bound_host):
        return None
    request.environ[CLOSE] = True
    return Response(INVALID_HOSTNAME, 400, content_type="text/html; charset=us-ascii")


def cross_site(bound_host: str) -> bool:
    """True if the request carries an Origin header that is not this replica's own."""
    origin = request.headers.get("Origin")
    return origin is not None and origin.lower() not in {f"http://{h}" for h in own_hosts(bound_host)}


def has_admin_token(token: str) -> bool:
    """True if the request carries the run's admin token (``X-Replica-Token`` or ``Authorization: Bearer``)."""
    given = request.headers.get(ADMIN_HEADER, "")
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if not given and scheme.lower() == "bearer":
        given = value.strip()
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())
