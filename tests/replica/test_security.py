"""Anti-forgery, malformed POSTs, session expiry, XHR without session, two sessions of one account."""

from __future__ import annotations

from types import SimpleNamespace

import assistant.replica.state as replica_state
from replica_helpers import WIZARD, Client


def test_post_without_token_refused_without_state_change(replica):
    c = Client(replica)
    c.login()
    wid, _ = c.open_wizard()
    resp = c.post(WIZARD, {"IdDemarche": wid, "AdhesionFactureEnLigne": "OUI"})
    assert resp.status == 500
    assert "Une erreur est survenue" in resp.text
    recap = c.get(f"{WIZARD}/Recapitulatif?IdDemarche={wid}", follow=False)
    assert recap.status == 302  # no answer was stored
    last = replica.audit[-1]
    assert (last.accepted, last.changed, last.detail) == (False, False, "anti-forgery token missing or invalid")


def test_forged_token_refused_on_valider(replica):
    c = Client(replica)
    c.login()
    wid, resp = c.answer("OUI")
    assert resp.status == 200
    bad = c.post(f"{WIZARD}/Valider", {"__RequestVerificationToken": "abc.def", "IdDemarche": wid})
    assert bad.status == 500
    assert replica.account("famille.martin")["adhesion"] == "NON"
    assert replica.account("famille.martin")["requests"] == []


def test_login_without_token_refused(shared):
    c = Client(shared)
    resp = c.post("Home/Logon", {"username": "famille.martin", "password": "Martin-2026"}, follow=False)
    assert resp.status == 500
    assert "ASP.NET_SessionIdEC" not in resp.headers.get("set-cookie", "")  # no session handed out


def test_token_from_another_client_refused(shared):
    a, b = Client(shared), Client(shared)
    token_of_a = a.token()
    b.token()  # b has its own cookie token
    resp = b.post("Home/Logon", {"username": "famille.martin", "password": "Martin-2026",
                                 "__RequestVerificationToken": token_of_a}, follow=False)
    assert resp.status == 500


def test_token_in_header_accepted_for_xhr(shared):
    c = Client(shared)
    token = c.token()
    resp = c.post("Home/Logon", {"username": "famille.martin", "password": "Martin-2026"},
                  headers={"RequestVerificationToken": token}, follow=False)
    assert resp.status == 302


def test_malformed_posts_refused(replica):
    c = Client(replica)
    c.login()
    wid, token = c.open_wizard()
    wrong_type = c.post(WIZARD, b'{"AdhesionFactureEnLigne": "OUI"}', headers={"Content-Type": "application/json"})
    assert wrong_type.status == 400
    repeated = c.post(WIZARD, f"__RequestVerificationToken={token}&IdDemarche={wid}"
                      "&AdhesionFactureEnLigne=OUI&AdhesionFactureEnLigne=NON".encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert repeated.status == 400
    bad_utf8 = c.post(WIZARD, b"AdhesionFactureEnLigne=\xff\xfe", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert bad_utf8.status == 400
    unknown_wizard = c.post(WIZARD, {"__RequestVerificationToken": token, "IdDemarche": "999999",
                                     "AdhesionFactureEnLigne": "OUI"})
    assert unknown_wizard.status == 400
    assert [e.accepted for e in replica.audit[-4:]] == [False, False, False, False]
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_xhr_detail_without_session_is_http_500(shared):
    resp = Client(shared).get("MonCompte/DetailFacture?IdFactureUnique=481201",
                              headers={"X-Requested-With": "XMLHttpRequest"})
    assert resp.status == 500


def test_idle_session_expires(make_replica, monkeypatch):
    clock = SimpleNamespace(monotonic=lambda: now)  # the replica's sessions read this clock only
    monkeypatch.setattr(replica_state, "time", clock)
    now = 1000.0
    rep = make_replica(session_timeout_s=0.3)
    c = Client(rep)
    c.login()
    now += 0.3  # idle for exactly the timeout: still alive
    assert c.get("MonCompte").status == 200
    now += 0.31
    assert c.get("MonCompte", follow=False).status == 302
    assert c.get("MonCompte/DetailFacture?IdFactureUnique=481201").status == 500


def test_two_sessions_of_one_account_stay_consistent(replica):
    a, b = Client(replica), Client(replica)
    a.login()
    b.login()
    wid, _ = a.answer("OUI")
    assert a.validate(wid).status == 200
    assert "Acceptée" in b.get("CompteCitoyen/MesDemandes").text
    step1 = b.get(WIZARD).text
    assert "<strong>OUI</strong>" in step1
    # a wizard belongs to the session that opened it
    other = b.post(f"{WIZARD}/Valider", {"__RequestVerificationToken": b.token(WIZARD), "IdDemarche": wid})
    assert other.status == 400
    assert len(replica.account("famille.martin")["requests"]) == 1
