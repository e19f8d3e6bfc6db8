"""Consent overlays: shown until a choice is made, the choice kept in a cookie and audited."""

from __future__ import annotations

import json

import pytest

from assistant.replica import Replica, ReplicaConfig, Skin
from assistant.replica.skins import ASPECTS, CONSENT_COOKIES
from dataclasses import replace
from replica_helpers import Client

TOOLS = [t for t in ASPECTS["consent"] if t != "none"]


def _replica(tool: str) -> Replica:
    return Replica(ReplicaConfig(skin=replace(Skin(), consent=tool)))


def _choose(c: Client, tool: str, choice: str, xhr: bool) -> object:
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return c.post("/cmp/consentement", {"outil": tool, "choix": choice, "retour": c.base + "Home/AccueilPublic"},
                  headers=headers, follow=False)


@pytest.mark.parametrize("tool", TOOLS)
def test_overlay_covers_public_and_private_pages_until_a_choice(tool):
    rep = _replica(tool)
    c = Client(rep)
    home = c.get("Home/AccueilPublic").text
    assert 'class="consentement-fond' in home and 'action="/cmp/consentement"' in home
    assert home.index("consentement-fond") > home.index('id="idFormConnexion"')  # drawn over the login form
    resp = _choose(c, tool, "refuse", xhr=True)
    assert resp.status == 200 and json.loads(resp.text) == {"Status": "OK"}
    assert f"{CONSENT_COOKIES[tool]}=refuse; path=/" in resp.headers["set-cookie"]
    assert "consentement-fond" not in c.get("Home/AccueilPublic").text
    c.login()
    assert "consentement-fond" not in c.get("CompteCitoyen").text
    assert 'class="consentement-fond' in Client(rep).get("Home/AccueilPublic").text  # another visitor: not chosen yet


@pytest.mark.parametrize("choice,recorded", [("accepte", "accepted"), ("refuse", "refused")])
def test_choice_is_recorded_in_the_audit_log(choice, recorded):
    rep = _replica("tarteaucitron")
    resp = _choose(Client(rep), "tarteaucitron", choice, xhr=False)
    assert resp.status == 303 and resp.location == "/grandperigueux/espace-citoyens/Home/AccueilPublic"
    last = rep.audit[-1]
    assert (last.route, last.accepted, last.changed) == ("cmp/consentement", True, False)
    assert last.detail == f"consent: tracking {recorded} (tarteaucitron)"
    assert rep.consents == [recorded]


def test_no_overlay_without_a_consent_tool(shared):
    assert "consentement" not in Client(shared).get("Home/AccueilPublic").text
    assert shared.consents == []


def test_malformed_choice_refused_and_audited():
    rep = _replica("didomi")
    resp = Client(rep).post("/cmp/consentement", {"outil": "didomi", "choix": "peut-etre"})
    assert resp.status == 400
    assert (rep.audit[-1].accepted, rep.consents) == (False, [])


def test_open_redirect_refused():
    rep = _replica("home_made")
    resp = Client(rep).post("/cmp/consentement", {"outil": "home_made", "choix": "refuse",
                                                  "retour": "//ailleurs.example/"}, follow=False)
    assert resp.status == 303 and resp.location == "/grandperigueux/espace-citoyens/"
