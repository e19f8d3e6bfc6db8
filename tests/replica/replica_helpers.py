"""Helpers of the replica's tests: two clients with one interface, ``Client`` (Flask's test client,
in-process, no socket) and ``HttpClient`` (real HTTP over loopback, urllib), and a skin-agnostic
walk of the adhesion journey that reads the forms each skin serves."""

from __future__ import annotations

from support import ACCOUNTS

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from assistant.replica import Replica

TOKEN_RE = re.compile(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"')
WIZARD_RE = re.compile(r'name="IdDemarche" type="hidden" value="([^"]+)"')
WIZARD = "Demande/NouvelleDemande/FACTURE/ADHESION"


@dataclass
class Resp:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[override]
        return None


class _Journey:
    """The portal's usual requests, on top of ``request`` (default skin's wizard routes)."""

    def get(self, path: str, **kw) -> Resp:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict | bytes | None = None, **kw) -> Resp:
        return self.request("POST", path, data, **kw)

    def token(self, path: str = "Home/AccueilPublic") -> str:
        return TOKEN_RE.search(self.get(path).text).group(1)

    def login(self, username: str = "famille.martin", password: str | None = None, **kw) -> Resp:
        token = self.token()
        return self.post("Home/Logon", {"username": username, "password": password or ACCOUNTS[username]["password"],
                                        "__RequestVerificationToken": token}, **kw)

    def open_wizard(self) -> tuple[str, str]:
        """GET step 1: (wizard id, form token)."""
        html = self.get(WIZARD).text
        return WIZARD_RE.search(html).group(1), TOKEN_RE.search(html).group(1)

    def answer(self, answer: str = "OUI") -> tuple[str, Resp]:
        wid, token = self.open_wizard()
        resp = self.post(WIZARD, {"__RequestVerificationToken": token, "IdDemarche": wid,
                                  "AdhesionFactureEnLigne": answer})
        return wid, resp

    def validate(self, wid: str, follow: bool = True) -> Resp:
        html = self.get(f"{WIZARD}/Recapitulatif?IdDemarche={wid}").text
        token = TOKEN_RE.search(html).group(1)
        return self.post(f"{WIZARD}/Valider", {"__RequestVerificationToken": token, "IdDemarche": wid}, follow=follow)


class Client(_Journey):
    """In-process client (Flask's test client): its own cookies, optional redirect following."""

    def __init__(self, replica: Replica) -> None:
        self.base = f"/{replica.cfg.tenant}/espace-citoyens/"
        self._client = replica.flask.test_client()

    def _path(self, path: str) -> str:
        return path if path.startswith("/") else self.base + path

    def request(self, method: str, path: str, data: dict | bytes | None = None,
                headers: dict | None = None, follow: bool = True) -> Resp:
        r = self._client.open(self._path(path), method=method, data=data, headers=headers or {},
                              follow_redirects=follow)
        merged: dict[str, str] = {}
        for name, value in r.headers.items():
            merged[name.lower()] = merged[name.lower()] + ", " + value if name.lower() in merged else value
        return Resp(r.status_code, r.request.url, merged, r.get_data())


class HttpClient(_Journey):
    """A real HTTP client over loopback: its own cookie jar, optional redirect following."""

    def __init__(self, replica: Replica) -> None:
        self.base = replica.base_url
        self.origin = replica.origin
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self._follow = urllib.request.build_opener(cookies)
        self._stay = urllib.request.build_opener(cookies, _NoRedirect)

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else (self.origin + path if path.startswith("/") else self.base + path)

    def request(self, method: str, path: str, data: dict | bytes | None = None,
                headers: dict | None = None, follow: bool = True) -> Resp:
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(self._url(path), data=body, method=method, headers=headers or {})
        if isinstance(data, dict):
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        opener = self._follow if follow else self._stay
        try:
            with opener.open(req, timeout=10) as r:
                return Resp(r.status, r.url, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as err:
            with err:
                return Resp(err.code, err.url, {k.lower(): v for k, v in err.headers.items()}, err.read())
