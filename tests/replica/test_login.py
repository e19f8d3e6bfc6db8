"""Login of both generations, forced password change, logoff, private-page guard."""

from __future__ import annotations

import json

from replica_helpers import Client, TOKEN_RE


def test_classic_login_redirects_to_dashboard(shared):
    c = Client(shared)
    resp = c.login(follow=False)
    assert resp.status == 302
    assert resp.location == "/grandperigueux/espace-citoyens/CompteCitoyen"
    assert "ASP.NET_SessionIdEC=" in resp.headers["set-cookie"]
    assert "httponly" in resp.headers["set-cookie"].lower() and "path=/grandperigueux" in resp.headers["set-cookie"].lower()
    page = c.get("CompteCitoyen")
    assert page.status == 200
    assert "Bonjour Madame MARTIN" in page.text


def test_classic_login_refused_stays_at_logon_with_message(shared):
    c = Client(shared)
    resp = c.login(password="faux-mot-de-passe")
    assert resp.status == 200
    assert resp.url.endswith("/grandperigueux/espace-citoyens/Home/Logon")
    assert '<span class="erreurLogin">Identifiant ou mot de passe incorrect.</span>' in resp.text
    assert 'id="idFormConnexion"' in resp.text
    assert c.get("CompteCitoyen", follow=False).status == 302


def test_login_is_case_insensitive_on_username(shared):
    assert Client(shared).login("FAMILLE.Martin", "Martin-2026", follow=False).status == 302


def test_modal_fragment_and_logon_ajax_ok(make_replica):
    rep = make_replica(login_style="modal")
    c = Client(rep)
    home = c.get("Home/AccueilPublic").text
    assert "Mon espace perso" in home and 'id="idFormConnexion"' not in home
    frag = c.post("Home/RecupererModaleConnexion", b"", headers={"X-Requested-With": "XMLHttpRequest"})
    assert frag.status == 200 and 'action="/grandperigueux/espace-citoyens/Home/LogonAjax"' in frag.text
    resp = c.post("Home/LogonAjax", {"username": "famille.martin", "password": "Martin-2026", "returnUrl": ""},
                  headers={"X-Requested-With": "XMLHttpRequest"})
    assert resp.headers["content-type"].startswith("application/json")
    assert json.loads(resp.text) == {"Status": "OK", "LocationHref": "/grandperigueux/espace-citoyens/CompteCitoyen"}
    assert "Bonjour Madame MARTIN" in c.get("CompteCitoyen").text


def test_logon_ajax_refused_gives_message(shared):
    resp = Client(shared).post("Home/LogonAjax", {"username": "famille.martin", "password": "x", "returnUrl": ""})
    assert json.loads(resp.text) == {"Status": "KO", "Message": "Identifiant ou mot de passe incorrect."}


def test_classic_endpoint_still_exists_in_modal_style(make_replica):
    rep = make_replica(login_style="modal")
    c = Client(rep)
    token = TOKEN_RE.search(c.get("Home/AccueilPublic").text).group(1)
    resp = c.post("Home/Logon", {"username": "famille.bernard", "password": "Bernard-2026",
                                 "__RequestVerificationToken": token}, follow=False)
    assert resp.status == 302 and resp.location.endswith("/CompteCitoyen")


def test_private_page_without_session_redirects_with_return_url(shared):
    resp = Client(shared).get("MonCompte", follow=False)
    assert resp.status == 302
    assert resp.location == ("/grandperigueux/espace-citoyens/Home/AccueilPublic"
                             "?ReturnUrl=%2Fgrandperigueux%2Fespace-citoyens%2FMonCompte")


def test_return_url_honoured_after_login(shared):
    c = Client(shared)
    page = c.get("MonCompte")  # follows to the public home, which carries ReturnUrl in the form
    assert 'name="ReturnUrl" type="hidden" value="/grandperigueux/espace-citoyens/MonCompte"' in page.text
    token = TOKEN_RE.search(page.text).group(1)
    resp = c.post("Home/Logon", {"username": "famille.martin", "password": "Martin-2026",
                                 "__RequestVerificationToken": token,
                                 "ReturnUrl": "/grandperigueux/espace-citoyens/MonCompte"}, follow=False)
    assert resp.location == "/grandperigueux/espace-citoyens/MonCompte"


def test_forced_password_change(replica):
    c = Client(replica)
    resp = c.login("famille.durand", follow=False)
    assert resp.location == "/grandperigueux/espace-citoyens/Home/ChangementMotDePasse"
    assert c.get("MonCompte", follow=False).location.endswith("/Home/ChangementMotDePasse")
    page = c.get("Home/ChangementMotDePasse").text
    token = TOKEN_RE.search(page).group(1)
    bad = c.post("Home/ChangementMotDePasse", {"__RequestVerificationToken": token, "ancienMotDePasse": "Durand-2026",
                                               "nouveauMotDePasse": "court", "confirmationMotDePasse": "court"})
    assert bad.status == 200 and "field-validation-error" in bad.text
    assert replica.account("famille.durand")["must_change_password"] is True
    token = TOKEN_RE.search(bad.text).group(1)
    ok = c.post("Home/ChangementMotDePasse", {"__RequestVerificationToken": token, "ancienMotDePasse": "Durand-2026",
                                              "nouveauMotDePasse": "Nouveau-2026", "confirmationMotDePasse": "Nouveau-2026"},
                follow=False)
    assert ok.location.endswith("/CompteCitoyen")
    assert replica.account("famille.durand")["must_change_password"] is False
    assert Client(replica).login("famille.durand", "Nouveau-2026", follow=False).location.endswith("/CompteCitoyen")


def test_logon_ajax_forced_change_status(shared):
    resp = Client(shared).post("Home/LogonAjax", {"username": "famille.durand", "password": "Durand-2026"})
    assert json.loads(resp.text) == {"Status": "CHANGEMENT_MDP",
                                     "LocationHref": "/grandperigueux/espace-citoyens/Home/ChangementMotDePasse"}


def test_logoff_ends_session_and_is_audited(replica):
    c = Client(replica)
    c.login()
    resp = c.get("Home/LogOff", follow=False)
    assert resp.status == 302 and resp.location.endswith("/Home/AccueilPublic")
    assert c.get("CompteCitoyen", follow=False).status == 302
    last = replica.audit[-1]
    assert (last.method, last.route, last.account, last.accepted, last.changed) == (
        "GET", "Home/LogOff", "famille.martin", True, True)


def test_prolonger_session(shared):
    c = Client(shared)
    assert c.get("Home/ProlongerSession").status == 500
    c.login()
    resp = c.get("Home/ProlongerSession", headers={"X-Requested-With": "XMLHttpRequest"})
    assert json.loads(resp.text) == {"Status": "OK"}
