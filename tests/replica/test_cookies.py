"""The cookies the replica hands out, read as a browser reads them (attribute names in any case, in any
order): the session's, the anti-forgery token's, the consent tool's, and the session's end at logoff."""

from __future__ import annotations

from dataclasses import replace
from http.cookies import SimpleCookie

from assistant.replica import Replica, ReplicaConfig, Skin
from assistant.replica.skins import CONSENT_COOKIES
from replica_helpers import TOKEN_RE

THIRTEEN_MONTHS_S = 13 * 30 * 24 * 3600


def _cookies(resp) -> dict:
    """Every Set-Cookie of a Flask test response: {name: (value, {attribute: value})}."""
    out = {}
    for header in resp.headers.getlist("Set-Cookie"):
        jar = SimpleCookie()
        jar.load(header)
        (name, morsel), = jar.items()
        out[name] = (morsel.value, {k: v for k, v in morsel.items() if v})
    return out


def _login(client, base: str):
    html = client.get(base + "Home/AccueilPublic")
    token = TOKEN_RE.search(html.get_data(as_text=True)).group(1)
    return html, client.post(base + "Home/Logon", data={"username": "famille.martin", "password": "Martin-2026",
                                                         "__RequestVerificationToken": token})


def test_session_and_token_cookies_are_http_only_on_the_tenants_path(shared):
    base = f"/{shared.cfg.tenant}/espace-citoyens/"
    page, logon = _login(shared.flask.test_client(), base)
    value, attrs = _cookies(page)["__RequestVerificationToken"]
    assert len(value) == 32 and attrs == {"path": "/grandperigueux", "httponly": True}
    assert logon.status_code == 302 and logon.headers["Location"] == base + "CompteCitoyen"
    value, attrs = _cookies(logon)["ASP.NET_SessionIdEC"]
    assert len(value) >= 16 and attrs == {"path": "/grandperigueux", "httponly": True, "samesite": "Lax"}


def test_logoff_expires_the_session_cookie(replica):
    client = replica.flask.test_client()
    base = f"/{replica.cfg.tenant}/espace-citoyens/"
    _login(client, base)
    resp = client.get(base + "Home/LogOff")
    assert resp.status_code == 302 and resp.headers["Location"] == base + "Home/AccueilPublic"
    value, attrs = _cookies(resp)["ASP.NET_SessionIdEC"]
    assert value == "" and attrs["path"] == "/grandperigueux" and attrs["httponly"] is True
    assert attrs["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT" and attrs.get("max-age", "0") == "0"


def test_the_consent_choice_is_kept_thirteen_months_site_wide():
    rep = Replica(ReplicaConfig(skin=replace(Skin(), consent="axeptio")))
    resp = rep.flask.test_client().post("/cmp/consentement", data={"outil": "axeptio", "choix": "accepte", "retour": "/x"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/x"
    value, attrs = _cookies(resp)[CONSENT_COOKIES["axeptio"]]
    assert value == "accepte"
    assert (attrs["path"], attrs["max-age"], attrs["samesite"]) == ("/", str(THIRTEEN_MONTHS_S), "Lax")
    assert "httponly" not in attrs  # the consent tool's script reads it


def test_json_answers_keep_french_text_key_order_and_status():
    rep = Replica(ReplicaConfig(skin=replace(Skin(), consent="axeptio")))
    resp = rep.flask.test_client().post("/cmp/consentement", data={"outil": "axeptio", "choix": "peut-être"})
    assert resp.status_code == 400 and resp.headers["Content-Type"] == "application/json; charset=utf-8"
    assert resp.get_data(as_text=True).strip() == '{"error": "choix ou outil inconnu"}'
    client = Replica(ReplicaConfig()).flask.test_client()
    ko = client.post("/grandperigueux/espace-citoyens/Home/LogonAjax",
                     data={"username": "famille.martin", "password": "faux"})
    assert ko.get_data(as_text=True).strip() == '{"Status": "KO", "Message": "Identifiant ou mot de passe incorrect."}'
