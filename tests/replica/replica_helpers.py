"""Helpers of the replica's tests: two clients with one interface, ``Client`` (Flask's test client,
in-process, no socket) and ``HttpClient`` (real HTTP over loopback, urllib), and a skin-agnostic
walk of the adhesion journey that reads the forms each skin serves."""

from __future__ import annotations

from support import ACCOUNTS

import http.cookiejar
import re
from html import unescape
from html.parser import HTMLParser
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from assistant.replica import Replica
from assistant.replica.mutations import normalise

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
        self.admin_headers = replica.admin_headers
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

    def admin(self, path: str, body: bytes | None = None, headers: dict | None = None) -> Resp:
        """GET (or POST ``body``, JSON) ``/__replica__/<path>`` with the run's admin token."""
        return self.request("GET" if body is None else "POST", "/__replica__/" + path, body,
                            headers={**self.admin_headers, "Content-Type": "application/json", **(headers or {})})


# -- skin-agnostic reading of pages ------------------------------------------------------------
class Forms(HTMLParser):
    """Every <form> of a page: action, method, class and its hidden fields."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"),
                               "class": a.get("class", ""), "fields": {}})
        elif tag == "input" and self.forms and a.get("name") and a.get("type") == "hidden":
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def wizard_form(html: str) -> dict:
    """The wizard's form of a step (the one carrying IdDemarche)."""
    return next(f for f in Forms(html).forms if "IdDemarche" in f["fields"])


def visible_text(html: str) -> str:
    """The page's text as a person reads it (entities decoded, tags and scripts dropped), normalised."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return normalise(unescape(re.sub(r"<[^>]+>", " ", html)))


def walk_journey(rep: Replica, username: str = "famille.martin", answer: str = "OUI",
                 login_style: str = "classic") -> dict[str, Resp]:
    """Log in and walk the adhesion journey over HTTP whatever the skin; every response by name."""
    c = Client(rep)
    pages = {"accueil": c.get("Home/AccueilPublic")}
    if login_style == "classic":
        pages["login"] = c.login(username, follow=False)
    else:
        pages["fragment"] = c.post("Home/RecupererModaleConnexion", b"", headers={"X-Requested-With": "XMLHttpRequest"})
        pages["login"] = c.post("Home/LogonAjax", {"username": username, "password": ACCOUNTS[username]["password"],
                                                   "returnUrl": ""}, headers={"X-Requested-With": "XMLHttpRequest"})
    pages["dashboard"] = c.get("CompteCitoyen")
    pages["moncompte"] = c.get("MonCompte")
    pages["step1"] = c.get(rep.app.wizard.start)
    if "IdDemarche" not in pages["step1"].text:  # a pending request: no form
        return pages
    form = wizard_form(pages["step1"].text)
    pages["recap"] = c.post(form["action"], {**form["fields"], "AdhesionFactureEnLigne": answer})
    form = wizard_form(pages["recap"].text)
    pages["confirm"] = c.post(form["action"], form["fields"])
    pages["again"] = c.post(form["action"], form["fields"])
    pages["mesdemandes"] = c.get("CompteCitoyen/MesDemandes")
    return pages
