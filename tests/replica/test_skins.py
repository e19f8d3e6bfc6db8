"""Skins: every named skin serves the whole journey; every value of every aspect is used and shows."""

from __future__ import annotations

import json
import re
from html import unescape
from dataclasses import replace

import pytest

from assistant.replica import SKINS, Faults, Replica, ReplicaConfig, Skin, UnknownSkin
from assistant.replica.skins import ASPECTS, PRESETS, TYPOGRAPHY, WAIT_MS, WORDINGS
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


def _user_of(name: str) -> Skin:
    return Skin.named(name)


def test_catalogue_shape():
    assert len(SKINS) >= 4 and SKINS[0] == "classique"
    assert all(len(values) >= 3 for values in ASPECTS.values())
    assert Skin() == Skin.named("classique") and Skin().name == "classique"


def test_every_value_of_every_aspect_is_used_by_a_named_skin():
    unused = [(aspect, value) for aspect, values in ASPECTS.items() for value in values
              if not any(getattr(skin, aspect) == value for skin in PRESETS.values())]
    assert unused == []


def test_unknown_skin_lists_the_skins():
    with pytest.raises(UnknownSkin) as err:
        Skin.named("rococo")
    assert all(name in str(err.value) for name in SKINS)
    with pytest.raises(ValueError):
        ReplicaConfig(skin="rococo")


def test_single_aspect_override():
    skin = replace(Skin.named("classique"), radios="aria_radiogroup")
    assert skin.radios == "aria_radiogroup" and skin.name == "personnalisé"
    with pytest.raises(ValueError, match="radios"):
        replace(skin, radios="molette")


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


@pytest.mark.parametrize("name", SKINS)
def test_valider_is_green(journeys, name):
    recap = journeys[name][1]["recap"].text
    validate = TYPOGRAPHY[Skin.named(name).typography]["validate"]
    tag = re.search(rf'<[^>]*(?:>{validate}<|value="{validate}"[^>]*>)', recap).group(0)
    assert re.search(r"btn-style3|btn-success|btn-vert|bouton-vert|background-color:#3a8f1e", tag)


def _pages_for(value_skin: Skin) -> dict[str, str]:
    rep = Replica(ReplicaConfig(skin=value_skin))
    pages = {k: v.text for k, v in walk_journey(rep).items()}
    pages["recap_url"] = walk_journey(rep, "famille.bernard")["recap"].url
    pages["step1_url"] = rep.app.wizard.start
    bad = Client(rep)
    pages["login_error"] = bad.login(password="faux").text
    pages["pending"] = walk_journey(rep, "famille.petit")["step1"].text
    rep.set_faults(Faults(maintenance=True))
    pages["maintenance"] = Client(rep).get("Home/AccueilPublic").text
    return pages


def _w(skin: Skin, key: str) -> str:
    return normalise(skin.words()[key])


# (aspect, value) -> what shows that the value is served; checked on the first named skin using it
MARKERS = {
    ("routes", "path_steps"): lambda p, s: p["recap_url"].split("?")[0].endswith("/FACTURE/ADHESION/Recapitulatif"),
    ("routes", "query_steps"): lambda p, s: "etape=2&IdDemarche=" in p["recap_url"],
    ("routes", "postback"): lambda p, s: p["recap_url"].endswith(p["step1_url"]),
    ("adhesion_link", "paragraph"): lambda p, s: '<p class="adhesion">' in p["moncompte"],
    ("adhesion_link", "tabs"): lambda p, s: '<nav class="onglets"' in p["moncompte"],
    ("adhesion_link", "toolbar_button"): lambda p, s: '<div class="barre-actions">' in p["moncompte"],
    ("headings", "h_tags"): lambda p, s: "<h1>Adhésion à la facture/compte en ligne</h1>" in p["step1"],
    ("headings", "styled_divs"): lambda p, s: '<div class="titre">Adhésion' in p["step1"] and "<h1" not in p["step1"],
    ("headings", "aria_headings"): lambda p, s: '<div role="heading" aria-level="1"' in p["step1"],
    ("heading_texts", "classic"): lambda p, s: "Le récapitulatif" in p["recap"] and "Mon tableau de bord" in p["dashboard"],
    ("heading_texts", "numbered"): lambda p, s: "Étape 1 – Votre demande" in p["step1"] and "Mon compte" in p["moncompte"],
    ("heading_texts", "terse"): lambda p, s: "Vérification" in p["recap"] and "Facturation" in p["moncompte"]
    and "tableau de bord" not in p["dashboard"],
    ("heading_texts", "none"): lambda p, s: "tableau de bord" not in p["dashboard"] and "Ma demande" not in p["step1"]
    and "recapitulatif" not in visible_text(p["recap"]) and "Vérification" not in p["recap"],
    ("dashboard", "menu_and_tile"): lambda p, s: p["dashboard"].count(">Mes factures<") == 2,
    ("dashboard", "tile_badge_before"): lambda p, s: re.search(r'<span class="smarties">2</span> <img [^>]*alt="[^"]+"',
                                                               p["dashboard"]) is not None,
    ("dashboard", "tile_badge_after"): lambda p, s: re.search(r'Mes factures</span> <span class="badge">2</span>',
                                                              p["dashboard"]) is not None,
    ("dashboard", "menu_split_label"): lambda p, s: "<span>Mes</span> <span>factures</span>" in p["dashboard"]
    and 'class="dalle"><a href="/grandperigueux/espace-citoyens/MonCompte"' not in p["dashboard"],
    ("dashboard", "tile_role_link"): lambda p, s: re.search(r'role="link" tabindex="0" onclick="[^"]*MonCompte',
                                                            p["dashboard"]) is not None,
    ("controls", "classic"): lambda p, s: 'class="btn-style2 btnModifier"' in p["step1"]
    and '<a href="#" class="lienEtapeSuivante">' in p["step1"],
    ("controls", "buttons"): lambda p, s: '<button type="submit" class="btn btn-success">' in p["recap"]
    and '<form method="get" action=' in p["moncompte"],
    ("controls", "links"): lambda p, s: 'href="javascript:void(0)" class="lienEtapeSuivante"' in p["step1"]
    and 'class="btn-vert lnkValider"' in p["recap"],
    ("controls", "inputs"): lambda p, s: '<input type="button" class="btnModifier" value=' in p["step1"]
    and '<input type="submit" value=' in p["recap"],
    ("controls", "aria_roles"): lambda p, s: '<span role="button" tabindex="0" class="bouton js-modifier">' in p["step1"],
    ("radios", "fieldset_native"): lambda p, s: "<legend>" in p["step1"] and 'id="AdhesionFactureEnLigne_OUI"' in p["step1"],
    ("radios", "wrapped_hidden_inputs"): lambda p, s: '<label class="bascule"><input type="radio" class="visuellement-cache"'
    in p["step1"],
    ("radios", "aria_radiogroup"): lambda p, s: 'role="radiogroup" aria-labelledby="lblAdhesionFactureEnLigne"' in p["step1"]
    and 'role="radio"' in p["step1"],
    ("radios", "no_fieldset"): lambda p, s: "<fieldset" not in p["step1"] and '<p class="question">' in p["step1"],
    ("read_mode", "label_strong"): lambda p, s: re.search(r'<span class="libelle">[^<]+</span> <strong>NON</strong>',
                                                          p["step1"]) is not None,
    ("read_mode", "definition_list"): lambda p, s: '<dl class="lecture">' in p["step1"],
    ("read_mode", "table_row"): lambda p, s: '<table class="lecture">' in p["step1"],
    ("read_mode", "sentence"): lambda p, s: "Votre réponse actuelle à la question" in p["step1"],
    ("read_mode", "disabled_radios"): lambda p, s: 'id="lectureAdhesionNon" disabled checked' in p["step1"],
    ("typography", "seed"): lambda p, s: ">MODIFIER<" in p["step1"] and "Aller à l’étape 2<" in p["step1"]
    and "1\u00a0234,56\u00a0€" in p["moncompte"],
    ("typography", "title_case"): lambda p, s: "Modifier" in p["step1"] and "Aller à l&#39;étape 2" in p["step1"]
    and "en ligne\u00a0?" in p["step1"],
    ("typography", "caps_no_accents"): lambda p, s: "ALLER A L&#39;ETAPE 2" in p["step1"]
    and "1 234,56 €" in p["moncompte"],
    ("typography", "narrow_spaces"): lambda p, s: "en ligne\u202f?" in p["step1"] and "1\u202f234,56\u00a0€" in p["moncompte"]
    and "Mes factures (2)" in p["dashboard"] and "l’étape\u00a02" in p["step1"],
    ("consent", "none"): lambda p, s: "consentement-fond" not in p["accueil"],
    ("consent", "tarteaucitron"): lambda p, s: all(t in p["accueil"] for t in ("Tout accepter", "Tout refuser", "Personnaliser")),
    ("consent", "axeptio"): lambda p, s: all(t in p["accueil"] for t in ("OK pour moi", "Non merci", 'aria-label="Fermer"')),
    ("consent", "didomi"): lambda p, s: all(t in p["accueil"] for t in ("Accepter &amp; Fermer", "Continuer sans accepter →",
                                                                       "En savoir plus")),
    ("consent", "home_made"): lambda p, s: "J’accepte" in p["accueil"] and "× Fermer" in p["accueil"],
    ("error_pages", "classic"): lambda p, s: "<h1>" in p["maintenance"] and "portal.css" in p["maintenance"],
    ("error_pages", "bootstrap_alert"): lambda p, s: 'class="alert alert-danger" role="alert"' in p["maintenance"],
    ("error_pages", "app_offline"): lambda p, s: "portal.css" not in p["maintenance"] and "<h1" not in p["maintenance"],
    ("invoices", "classic"): lambda p, s: '<span class="statut statut-apayer">À payer</span>' in p["moncompte"],
    ("invoices", "reduced_columns"): lambda p, s: '<span class="label label-warning">À régler</span>' in p["moncompte"],
    ("invoices", "icons"): lambda p, s: 'role="img" aria-label="En attente de paiement"' in p["moncompte"],
}
for _value in WAIT_MS:
    MARKERS[("wait", _value)] = (lambda v: lambda p, s: f'data-delai-attente-ms="{WAIT_MS[v]}"' in p["step1"])(_value)
for _value in WORDINGS:
    MARKERS[("wordings", _value)] = lambda p, s: (
        _w(s, "login_user") in visible_text(p["accueil"]) and _w(s, "login_error") in visible_text(p["login_error"])
        and _w(s, "pending") in visible_text(p["pending"]) and _w(s, "confirm_title") in visible_text(p["confirm"])
        and _w(s, "wait") in visible_text(p["step1"]) and _w(s, "maintenance_title") in visible_text(p["maintenance"]))


def test_markers_cover_the_catalogue():
    assert set(MARKERS) == {(a, v) for a, values in ASPECTS.items() for v in values}


@pytest.fixture(scope="module")
def preset_pages():
    return {name: _pages_for(skin) for name, skin in PRESETS.items()}


@pytest.mark.parametrize("aspect,value", sorted(MARKERS))
def test_each_aspect_value_shows_in_a_named_skin(preset_pages, aspect, value):
    name = next(n for n, s in PRESETS.items() if getattr(s, aspect) == value)
    assert MARKERS[(aspect, value)](preset_pages[name], PRESETS[name])


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
