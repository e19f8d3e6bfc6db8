"""Faults per run: latency, HTTP 500, expiry after N requests, maintenance, wait modal; 404s; admin API."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import assistant.replica.app as replica_app
from assistant.replica import Faults
from replica_helpers import WIZARD, Client, HttpClient


def test_latency_on_one_route(make_replica, monkeypatch):
    """The delay asked for, on that route only (what it is, not how long a loaded machine took)."""
    slept: list[float] = []
    monkeypatch.setattr(replica_app, "time", SimpleNamespace(sleep=slept.append))
    rep = make_replica(faults=Faults(latency_ms={"Home/AccueilPublic": 150}))
    c = Client(rep)
    assert c.get("Home/AccueilPublic").status == 200
    assert slept == [0.15]
    assert c.get("").status == 200
    assert slept == [0.15]


def test_http_500_on_a_route(make_replica):
    rep = make_replica(faults=Faults(error_500={"MonCompte/DetailFacture"}))
    c = Client(rep)
    c.login()
    assert c.get("MonCompte/DetailFacture?IdFactureUnique=481201").status == 500
    assert c.get("MonCompte").status == 200


def test_http_500_on_a_post_is_audited_unchanged(make_replica):
    rep = make_replica(faults=Faults(error_500={"Demande/*/Valider"}))
    c = Client(rep)
    c.login()
    wid, _ = c.answer("OUI")
    assert c.validate(wid).status == 500
    assert rep.account("famille.martin")["adhesion"] == "NON"
    assert (rep.audit[-1].accepted, rep.audit[-1].detail) == (False, "fault: HTTP 500")


def test_session_expires_after_n_requests(make_replica):
    rep = make_replica(faults=Faults(expire_after_requests=2))
    c = Client(rep)
    c.login(follow=False)  # counting starts after the login
    assert c.get("CompteCitoyen", follow=False).status == 200
    assert c.get("MonCompte", follow=False).status == 200
    assert c.get("MonCompte", follow=False).status == 302


def test_maintenance_answers_503_everywhere(make_replica):
    rep = make_replica(faults=Faults(maintenance=True))
    c = Client(rep)
    for path in ("", "Home/AccueilPublic", "MonCompte", "Route/Inconnue"):
        resp = c.get(path)
        assert resp.status == 503
        assert "Site en maintenance" in resp.text
    assert c.post("Home/LogonAjax", {"username": "famille.martin", "password": "Martin-2026"}).status == 503
    assert rep.audit[-1].detail == "maintenance"


@pytest.mark.parametrize("fault,expected", [(None, 400), (1500, 1500)])
def test_wait_modal_duration_rendered(make_replica, fault, expected):
    rep = make_replica(faults=Faults(wait_modal_ms=fault))
    c = Client(rep)
    c.login()
    assert f'data-delai-attente-ms="{expected}"' in c.get(WIZARD).text


def test_unknown_tenant_and_route_are_404_html(shared):
    c = Client(shared)
    for path in ("/autreville/espace-citoyens/Home/AccueilPublic", "/grandperigueux/autre/", "Page/Inconnue", "/"):
        resp = c.get(path)
        assert resp.status == 404
        assert resp.headers["content-type"].startswith("text/html") and "Page introuvable" in resp.text


def test_routes_are_case_insensitive_like_aspnet(shared):
    assert Client(shared).get("/GrandPerigueux/Espace-Citoyens/home/accueilpublic").status == 200


def test_hyphenated_tenant(make_replica):
    rep = make_replica(tenant="maisons-alfort")
    assert rep.base_url.endswith("/maisons-alfort/espace-citoyens/")
    assert Client(rep).login(follow=False).location == "/maisons-alfort/espace-citoyens/CompteCitoyen"


def _admin(rep, path, data=None):
    resp = HttpClient(rep).admin(path, json.dumps(data).encode() if data is not None else None)
    assert resp.status == 200
    return json.loads(resp.text)


def test_admin_endpoints(replica):
    assert _admin(replica, "faults")["maintenance"] is False
    out = _admin(replica, "faults", {"maintenance": True, "latency_ms": {"MonCompte": 5}})
    assert out["maintenance"] is True and replica.faults.latency_ms == {"MonCompte": 5}
    assert Client(replica).get("Home/AccueilPublic").status == 503
    _admin(replica, "faults", {})
    c = Client(replica)
    c.login()
    assert _admin(replica, "audit")[-1]["route"] == "Home/Logon"
    acc = _admin(replica, "accounts/famille.martin")
    assert acc["adhesion"] == "NON" and "password" not in acc


def test_admin_rejects_bad_faults(replica):
    assert HttpClient(replica).admin("faults", b'{"expire_after_requests": -1}').status == 400


def test_set_faults_validates():
    with pytest.raises(ValueError):
        Faults(latency_ms={"MonCompte": -5})
