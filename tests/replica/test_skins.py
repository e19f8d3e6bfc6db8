"""Named compositions (« habillages », skins): each serves the whole journey and keeps the seed's words and
the seen facts; compositions are numbered (every rendering showing in its pages: test_renderings.py)."""

from __future__ import annotations

import json
import re
from html import unescape
from dataclasses import replace

import pytest

from assistant.replica import COUNT, SKINS, Composition, Faults, Replica, ReplicaConfig, Skin, UnknownSkin
from assistant.replica.renderings import ASPECTS, NORMAL
from assistant.replica.skins import PRESETS, TYPOGRAPHY, WORDINGS
from markup import Page
from replica_helpers import Client, HttpClient, normalise, visible_text, walk_journey, wizard_form

SEED_WORDS = ["Mes factures", "Adhésion à la facture/compte en ligne", "MODIFIER", "OUI",
              "Souhaitez-vous adhérer à la facture en ligne ?", "Aller à l’étape 2", "VALIDER"]


@pytest.fixture(scope="module")
def journeys():
    """Every named skin's journey, walked once (classic login, default family)."""
    out = {}
    for name in SKINS:
        rep = Replica(ReplicaConfig(skin=name))
        out[name] = (rep, walk_journey(rep))
    return out


def test_catalogue_shape():
    assert len(SKINS) >= 4 and SKINS[0] == "classique"
    assert all(len(values) >= 2 for values in ASPECTS.values())
    assert Skin() == Skin.named("classique") and Skin().name == "classique" and Skin is Composition
    assert [f for f in Composition.__dataclass_fields__] == list(ASPECTS)


def test_the_named_skins_are_numbered_compositions():
    assert Composition.from_seed(0) == PRESETS["classique"]
    assert all(0 <= skin.seed < COUNT and Composition.from_seed(skin.seed) == skin for skin in PRESETS.values())
    assert len({skin.seed for skin in PRESETS.values()}) == len(PRESETS)


def test_unknown_skin_lists_the_skins():
    with pytest.raises(UnknownSkin) as err:
        Skin.named("rococo")
    assert all(name in str(err.value) for name in SKINS)
    with pytest.raises(ValueError):
        ReplicaConfig(skin="rococo")


def test_single_aspect_override():
    skin = replace(Skin.named("classique"), question="aria_radiogroup")
    assert skin.question == "aria_radiogroup" and skin.name == "personnalisé"
    with pytest.raises(ValueError, match="question"):
        replace(skin, question="molette")


@pytest.mark.parametrize("name", SKINS)
def test_skin_serves_the_whole_journey(journeys, name):
    rep, pages = journeys[name]
    assert pages["login"].status == 302 and pages["login"].location.endswith("/CompteCitoyen")
    assert "bonjour madame martin" in visible_text(pages["dashboard"].text)
    assert re.search(r'MonCompte"|MonCompte\'', pages["dashboard"].text)  # menu or tile leads to « Mes factures »
    start = rep.app.wizard.start
    assert f"{rep.app.base}{start}" in pages["moncompte"].text
    assert pages["step1"].status == 200 and pages["recap"].status == 200 and pages["confirm"].status == 200
    number = rep.account("famille.martin")["requests"][-1]["number"]
    confirm = visible_text(pages["confirm"].text)
    assert normalise(number) in confirm and "acceptee" in confirm
    assert rep.account("famille.martin")["adhesion"] == "OUI"
    assert [e.changed for e in rep.audit if e.changed] == [True]  # only VALIDER wrote, once
    assert rep.duplicate_validations == 1 and number in pages["mesdemandes"].text


@pytest.mark.parametrize("name", SKINS)
def test_skin_keeps_the_seed_words_and_seen_facts(journeys, name):
    rep, pages = journeys[name]
    everything = " ".join(visible_text(p.text) + " " + normalise(unescape(p.text)) for p in pages.values())
    assert [w for w in SEED_WORDS if normalise(w) not in everything] == []
    assert re.findall(r'<tr class="compte" id="(\d+)">', pages["moncompte"].text) == ["481203", "481202", "481201", "481204"]
    assert '<span class="numero_facture">260103</span>' in pages["moncompte"].text
    assert 'id="idFormConnexion"' in pages["accueil"].text and 'name="username"' in pages["accueil"].text
    assert 'id="username"' in pages["accueil"].text and 'id="password" name="password"' in pages["accueil"].text
    detail = Client(rep)
    detail.login()
    frag = detail.get("MonCompte/DetailFacture?IdFactureUnique=481203").text
    for ident in ("hDetailFacture_Facture", "spanDetailFacture_DatEmissionFacture",
                  "spanDetailFacture_MntTotalFacture", "spanDetailFacture_DatLimitePaiementFacture"):
        assert f'id="{ident}"' in frag


@pytest.mark.parametrize("name", SKINS)
def test_skin_modal_login_and_states(name):
    rep = Replica(ReplicaConfig(skin=name, login_style="modal"))
    pages = walk_journey(rep, "famille.bernard", answer="NON", login_style="modal")
    assert 'action="/grandperigueux/espace-citoyens/Home/LogonAjax"' in pages["fragment"].text
    assert json.loads(pages["login"].text)["Status"] == "OK"
    yes = normalise(TYPOGRAPHY[rep.skin.typography]["yes"])
    assert yes in visible_text(pages["step1"].text)  # already adhered: step 1 shows OUI
    assert rep.account("famille.bernard")["adhesion"] == "NON"
    pending = walk_journey(rep, "famille.petit")
    assert normalise(WORDINGS[rep.skin.wordings]["pending"]) in visible_text(pending["step1"].text)
    assert "IdDemarche" not in pending["step1"].text and "recap" not in pending


@pytest.mark.parametrize("kind", NORMAL["ctl_valider"])
def test_valider_is_green_whatever_its_element(kind):
    skin = replace(Skin(), ctl_valider=kind)
    recap = walk_journey(Replica(ReplicaConfig(skin=skin)))["recap"].text
    [(control, _)] = Page(recap).controls("VALIDER")
    assert "btn-style3" in control.attrs["class"].split()  # the portal's green button [seen]


def test_set_skin_changes_the_portal_between_runs(replica):
    c = Client(replica)
    c.login()
    assert "<legend>" in c.get("Demande/NouvelleDemande/FACTURE/ADHESION").text
    replica.set_skin("accessible")
    assert replica.skin == Skin.named("accessible")
    assert c.get("Demande/NouvelleDemande/FACTURE/ADHESION").status == 404  # the wizard moved
    assert 'role="radiogroup"' in c.get("Demarche/Saisie/AdhesionFactureEnLigne").text
    with pytest.raises(UnknownSkin):
        replica.set_skin("rococo")


def test_admin_skin_endpoint(replica):
    http = HttpClient(replica)
    assert json.loads(http.admin("skin").text)["name"] == "classique"
    changed = http.admin("skin", b'{"name": "bootstrap", "wait": "instant"}')
    assert changed.status == 200 and json.loads(changed.text)["wait"] == "instant"
    assert replica.skin == replace(Skin.named("bootstrap"), wait="instant")
    numbered = http.admin("skin", b'{"composition": 12345, "question": "select"}')
    assert json.loads(numbered.text)["question"] == "select" and json.loads(numbered.text)["seed"] is not None
    assert replica.skin == replace(Composition.from_seed(12345), question="select")
    bad = http.admin("skin", b'"rococo"')
    assert bad.status == 400 and json.loads(bad.text)["skins"] == list(SKINS)
    assert "rococo" in json.loads(bad.text)["error"]


def test_wait_default_is_the_skins_and_overridable():
    assert 'data-delai-attente-ms="10000"' in _step1(Replica(ReplicaConfig(skin="historique")))
    assert 'data-delai-attente-ms="150"' in _step1(Replica(ReplicaConfig(skin="historique", wait_modal_ms=150)))
    rep = Replica(ReplicaConfig(skin="historique", wait_modal_ms=150, faults=Faults(wait_modal_ms=0)))
    assert 'data-delai-attente-ms="0"' in _step1(rep)


def _step1(rep: Replica) -> str:
    c = Client(rep)
    c.login()
    return c.get(rep.app.wizard.start).text


def test_postback_wizard_url_never_changes():
    rep = Replica(ReplicaConfig(skin="historique"))
    c = Client(rep)
    c.login()
    step1 = c.get("Demarche/Saisie/AdhesionFactureEnLigne")
    form = wizard_form(step1.text)
    assert form["action"].endswith("/Demarche/Saisie/AdhesionFactureEnLigne") and form["fields"]["Etape"] == "1"
    recap = c.post(form["action"], {**form["fields"], "AdhesionFactureEnLigne": "OUI"}, follow=False)
    assert recap.status == 200 and rep.account("famille.martin")["adhesion"] == "NON"
    form = wizard_form(recap.text)
    assert form["fields"]["Etape"] == "2" and form["action"] == wizard_form(step1.text)["action"]
    done = c.post(form["action"], form["fields"], follow=False)
    assert done.status == 200 and rep.account("famille.martin")["adhesion"] == "OUI"


@pytest.mark.parametrize("name", SKINS)
def test_no_automation_hooks_in_any_skin(journeys, name):
    assert [k for k, p in journeys[name][1].items() if "data-testid" in p.text or "data-test" in p.text] == []
