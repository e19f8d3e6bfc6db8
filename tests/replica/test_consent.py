"""Consent overlays: shown until a choice is made, the choice kept in a cookie and audited."""

from __future__ import annotations

import json
import re

import pytest

from assistant.replica import Replica, ReplicaConfig, Skin
from assistant.replica.renderings import keys
from assistant.replica.skins import CONSENT_COOKIES
from dataclasses import replace
from replica_helpers import Client

TOOLS = [t for t in keys("consent") if t != "none"]
# the overlays that look like a consent product's (its ids and classes); the others say it in words only
VENDOR_LIKE = [t for t in TOOLS if t not in ("words_only", "shadow_root")]


def _replica(tool: str) -> Replica:
    return Replica(ReplicaConfig(skin=replace(Skin(), consent=tool)))


def _choose(c: Client, tool: str, choice: str, xhr: bool) -> object:
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return c.post("/cmp/consentement", {"outil": tool, "choix": choice, "retour": c.base + "Home/AccueilPublic"},
                  headers=headers, follow=False)


def _overlay_start(tool: str, home: str) -> int:
    """Where the overlay starts in the page (-1: not there)."""
    marker = {"words_only": '<div class="voile-bas">', "shadow_root": "<bandeau-visite>"}.get(tool, 'class="consentement-fond')
    return home.find(marker)


@pytest.mark.parametrize("tool", TOOLS)
def test_overlay_covers_public_and_private_pages_until_a_choice(tool):
    rep = _replica(tool)
    c = Client(rep)
    home = c.get("Home/AccueilPublic").text
    assert _overlay_start(tool, home) > home.index('id="idFormConnexion"')  # drawn over the login form
    assert 'action="/cmp/consentement"' in home
    resp = _choose(c, tool, "refuse", xhr=True)
    assert resp.status == 200 and json.loads(resp.text) == {"Status": "OK"}
    cookie = resp.headers["set-cookie"]
    assert cookie.startswith(f"{CONSENT_COOKIES[tool]}=refuse;") and "path=/;" in cookie.lower()
    assert _overlay_start(tool, c.get("Home/AccueilPublic").text) == -1
    c.login()
    assert _overlay_start(tool, c.get("CompteCitoyen").text) == -1
    assert _overlay_start(tool, Client(rep).get("Home/AccueilPublic").text) > 0  # another visitor: not chosen yet


@pytest.mark.parametrize("tool", ["words_only", "shadow_root"])
def test_an_overlay_told_by_its_words_only(tool):
    home = Client(_replica(tool)).get("Home/AccueilPublic").text
    overlay = home[_overlay_start(tool, home):home.index("<script", _overlay_start(tool, home))]
    tags = " ".join(re.findall(r"<[a-z][^>]*>", overlay)).lower()
    vendors = ("tarteaucitron", "axeptio", "didomi", "cookie", "consent", "rgpd", "traceur")
    assert [v for v in vendors if re.search(rf'(?:id|class)="[^"]*{v}', tags)] == []
    assert "role=" not in tags and "aria-modal" not in tags and "<dialog" not in tags
    assert "cookies" in overlay and ("Refuser" in overlay or "Je refuse" in overlay)
    if tool == "shadow_root":
        assert '<template shadowrootmode="open">' in overlay


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
