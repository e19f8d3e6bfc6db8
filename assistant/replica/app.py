"""The replica's Flask app: ``create_app(portal)``.

Every request under ``/{tenant}/espace-citoyens/`` goes through one pipeline, in the portal's
order: static files first, then maintenance, latency, session, injected HTTP 500, unknown route,
malformed POST, cross-site origin and anti-forgery; only then the view. Before all that, every
request must name the replica in its Host header (guard.py). Outside the tenant: the admin API
(``/__replica__/``, loopback, same origin and the run's admin token only), the State's PayFiP page
(``/tpa/``) and the consent tool's log (``/cmp/``), each a stand-in for a service the real portal talks to.
"""

from __future__ import annotations

import secrets
import sys
import time
from io import BytesIO
from urllib.parse import parse_qsl

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from .guard import cross_site, foreign_host
from .http_server import CLOSE
from .mutations import apply_mutations
from .portal import TOKEN_HEADER, TOKEN_NAME, Portal, PortalJSON, portal
from .web import admin, consent, invoices, login, payfip, private, wizard
from .web.common import TOKEN_EXEMPT, portal_blueprint

MAX_BODY = 64 * 1024
OUTSIDE_TENANT = ("/__replica__/", "/tpa/", "/cmp/")


class AspNetPaths:
    """WSGI middleware: routes are matched lowercased (ASP.NET routing is case-insensitive) and
    the body is read whole before the app runs, so a keep-alive connection never desyncs."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        environ["replica.original_path"] = path
        environ["PATH_INFO"] = path.lower()
        length = (environ.get("CONTENT_LENGTH") or "0").strip()
        problem = ""
        if environ.get("HTTP_TRANSFER_ENCODING"):
            problem = "chunked body"
        elif not length.isdigit():
            problem = "invalid Content-Length"
        elif int(length) > MAX_BODY:
            problem = "body too large"
        if problem:  # answered 400, and the connection closes: its body is never read
            environ["replica.malformed"] = problem
            environ[CLOSE] = True
            body = b""
        else:
            body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        environ["wsgi.input"] = BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _tenant_converter(tenant: str) -> type[BaseConverter]:
    """Only the run's tenant matches (another commune's slug is a 404, as on the shared host)."""
    return type("TenantConverter", (BaseConverter,), {"regex": tenant.lower().replace("-", r"\-")})


def _parse_form() -> tuple[dict[str, str] | None, str]:
    """The urlencoded form of a POST, or (None, why it is malformed)."""
    ctype = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    body = request.get_data(cache=True)
    if not body and not ctype:  # an empty POST (the login modal's fragment is fetched that way)
        return {}, ""
    if ctype != "application/x-www-form-urlencoded":
        return None, f"unexpected content type {ctype or '(none)'}"
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        return None, "undecodable form"
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        return None, "repeated form field"
    return dict(pairs), ""


def _pipeline():
    """Runs before every view (see the module docstring); returns an answer to stop there."""
    p = portal()
    g.original_path = request.environ.get("replica.original_path", request.path)
    g.query = {k.lower(): v for k, v in request.args.items(multi=True)}
    if request.path.startswith(OUTSIDE_TENANT):
        return None
    g.cookie_token = request.cookies.get(TOKEN_NAME) or ""
    g.new_token = not g.cookie_token
    if g.new_token:
        g.cookie_token = secrets.token_hex(16)
    prefix = p.prefix.lower()
    if request.path == prefix:
        return p.redirect(p.base, 301)
    if not request.path.startswith(prefix + "/"):
        g.route = ""
        return p.error(404)
    g.route = g.original_path[len(p.prefix) + 1:].strip("/") or "/"
    g.in_tenant = True
    if request.endpoint == "portal.static_file":
        return None
    faults = p.faults
    if faults.maintenance:
        if request.method == "POST":
            p.audit(False, False, "maintenance")
        return p.render("maintenance.html", status=503)
    delay = faults.latency_for(g.route)
    if delay:
        time.sleep(delay / 1000)
    g.session = p.state.touch_session(request.cookies.get("ASP.NET_SessionIdEC"), faults.expire_after_requests)
    if faults.fails_500(g.route):
        if request.method == "POST":
            p.audit(False, False, "fault: HTTP 500")
        return p.error(500)
    if request.routing_exception is not None:
        return p.not_found()
    if request.method == "POST":
        malformed = request.environ.get("replica.malformed", "")
        form = None
        if not malformed:
            form, malformed = _parse_form()
        if malformed:
            p.audit(False, False, f"malformed: {malformed}")
            return p.error(400)
        g.form = form
        if request.endpoint not in TOKEN_EXEMPT:
            if cross_site(p.cfg.host):  # a page of another site posting here: refused like a forged token
                p.audit(False, False, "cross-site origin")
                return p.error(500)
            sess = g.session
            token = form.get(TOKEN_NAME) or request.headers.get(TOKEN_HEADER)
            if not p.state.check_token(request.cookies.get(TOKEN_NAME), token, sess.username if sess else None):
                p.audit(False, False, "anti-forgery token missing or invalid")
                return p.error(500)
    return None


def _known_host():
    """A request naming another host (DNS rebinding) is refused before anything else."""
    return foreign_host(portal().cfg.host)


def _finish(resp):
    """IIS-like headers, the anti-forgery cookie, drift mutations."""
    p = portal()
    if g.get("new_token") and g.get("token_used") and g.get("in_tenant"):
        # like ASP.NET, the cookie half of the token pair comes with a page carrying a form token
        resp.set_cookie(TOKEN_NAME, g.cookie_token, path=f"/{p.cfg.tenant}", httponly=True)
    ctype = resp.content_type or ""
    if ctype.startswith(("text/html", "application/json")) and "Cache-Control" not in resp.headers:
        resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Server"] = "Microsoft-IIS/10.0"
    resp.headers["X-Powered-By"] = "ASP.NET"
    if ctype.startswith("text/html") and g.get("in_tenant") and p.faults.mutations:
        mutations = p.faults.mutations_for(g.route)
        if mutations:
            resp.set_data(apply_mutations(resp.get_data(as_text=True), mutations))
    return resp


def _on_error(exc: Exception):
    """Unknown routes and methods are the portal's 404 page; a replica bug answers 500 like IIS."""
    p = portal()
    g.setdefault("cookie_token", secrets.token_hex(16))
    if isinstance(exc, HTTPException):
        if request.path.startswith("/__replica__/"):
            return p.json({"error": "unknown admin route"}, 404)
        return p.error(404) if exc.code in (404, 405) else p.error(400)
    print(f"replica: internal error on {request.method} {request.path}: {exc!r}", file=sys.stderr)
    request.environ[CLOSE] = True
    return "Erreur interne du serveur", 500, {"Content-Type": "text/plain; charset=utf-8"}


def create_app(p: Portal) -> Flask:
    """The Flask app serving portal ``p`` (``app.test_client()`` works without a server)."""
    app = Flask(__name__, static_folder=None)
    app.json = PortalJSON(app)
    app.extensions["replica"] = p
    app.url_map.strict_slashes = False
    app.url_map.converters["tenant"] = _tenant_converter(p.cfg.tenant)
    app.wsgi_app = AspNetPaths(app.wsgi_app)  # type: ignore[method-assign]
    app.before_request(_known_host)
    app.before_request(_pipeline)
    app.after_request(_finish)
    app.register_error_handler(Exception, _on_error)
    tenant_bp = portal_blueprint()
    for module in (login, private, invoices, wizard):
        tenant_bp.register_blueprint(module.bp)
    app.register_blueprint(tenant_bp)
    for module in (admin, payfip, consent):
        app.register_blueprint(module.bp)
    return app
