"""Every rendering of renderings.py shows in the pages of a composition that uses it (today's markup,
``classique``, with that one aspect changed), and the table is whole (sources, README)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.replica import Composition, Faults, Replica, ReplicaConfig
from assistant.replica.renderings import ASPECTS, CONTROL_ASPECTS, SOURCES, markdown_table
from markup import Page, kind_of
from replica_helpers import Client, normalise, visible_text, walk_journey

README = Path(__file__).resolve().parents[2] / "fixtures" / "README.md"
ALL = [(a, r.key) for a, rs in ASPECTS.items() for r in rs]
CONTROL_WORDS = {"ctl_mes_factures": ("dashboard", "Mes factures"),
                 "ctl_adhesion": ("moncompte", "Adhésion à la facture/compte en ligne"),
                 "ctl_modifier": ("step1", "MODIFIER"), "ctl_next_step": ("step1", "Aller à l’étape 2"),
                 "ctl_valider": ("recap", "VALIDER")}


def pages_of(comp: Composition) -> dict[str, str]:
    """The pages a composition serves: the adhesion journey, a family paying in part, errors."""
    rep = Replica(ReplicaConfig(skin=comp))
    walk = walk_journey(rep, login_style=comp.login)
    pages = {k: v.text for k, v in walk.items()}
    pages["number"] = rep.account("famille.martin")["requests"][-1]["number"]
    pages["recap_url"], pages["confirm_url"] = walk["recap"].url, walk["confirm"].url
    pages["step1_url"] = rep.app.wizard.start
    c = Client(rep)
    c.login("famille.garcia", follow=False)
    pages["garcia"] = c.get("MonCompte").text  # the first private page of this session
    pages["detail"] = c.get("MonCompte/DetailFacture?IdFactureUnique=485601").text  # paid in part
    pages["after"] = c.get("CompteCitoyen").text  # the second private page of a session
    pages["login_error"] = Client(rep).login(password="faux").text
    pending = Client(rep)
    pending.login("famille.petit")
    pages["pending"] = pending.get(rep.app.wizard.start).text
    rep.set_faults(Faults(maintenance=True))
    pages["maintenance"] = Client(rep).get("Home/AccueilPublic").text
    return pages


@pytest.fixture(scope="module")
def served():
    """(aspect, rendering) -> the pages of ``classique`` with that rendering (made once, on demand)."""
    cache: dict = {}

    def get(aspect: str, key: str) -> dict[str, str]:
        if (aspect, key) not in cache:
            cache[(aspect, key)] = pages_of(replace(Composition(), **{aspect: key}))
        return cache[(aspect, key)]
    return get


def _places(html: str) -> set[str]:
    """Where « Mes factures » is on the dashboard: « menu » and/or « tile »."""
    out = set()
    for node in Page(html).labelled("Mes factures"):
        tags = [(a.tag, a.attrs.get("class", "")) for a in node.ancestors()]
        out |= {"menu" for t, _ in tags if t == "nav"} | {"tile" for t, c in tags if "dalles" in c}
    return out


# (aspect, rendering) -> what shows it in the pages (p) of a composition (s) using it
MARKERS = {
    ("login", "classic"): lambda p, s: 'id="idFormConnexion"' in p["accueil"],
    ("login", "modal"): lambda p, s: "btnMonEspacePerso" in p["accueil"] and 'id="idFormConnexion"' not in p["accueil"],
    ("routes", "path_steps"): lambda p, s: p["recap_url"].split("?")[0].endswith("/FACTURE/ADHESION/Recapitulatif"),
    ("routes", "query_steps"): lambda p, s: "etape=2&IdDemarche=" in p["recap_url"],
    ("routes", "postback"): lambda p, s: p["recap_url"].endswith(p["step1_url"]),
    ("headings", "h_tags"): lambda p, s: "<h1>Adhésion à la facture/compte en ligne</h1>" in p["step1"],
    ("headings", "styled_divs"): lambda p, s: '<div class="titre">Adhésion' in p["step1"] and "<h1" not in p["step1"],
    ("headings", "aria_headings"): lambda p, s: '<div role="heading" aria-level="1"' in p["step1"],
    ("heading_texts", "classic"): lambda p, s: "Le récapitulatif" in p["recap"] and "Mon tableau de bord" in p["dashboard"],
    ("heading_texts", "numbered"): lambda p, s: "Étape 1 – Votre demande" in p["step1"] and "Mon compte" in p["moncompte"],
    ("heading_texts", "terse"): lambda p, s: "Vérification" in p["recap"] and "Facturation" in p["moncompte"]
    and "tableau de bord" not in p["dashboard"],
    ("heading_texts", "none"): lambda p, s: "tableau de bord" not in p["dashboard"] and "Ma demande" not in p["step1"]
    and "recapitulatif" not in visible_text(p["recap"]) and "Vérification" not in p["recap"],
    ("factures_place", "menu_and_tile"): lambda p, s: _places(p["dashboard"]) == {"menu", "tile"},
    ("factures_place", "tile_only"): lambda p, s: _places(p["dashboard"]) == {"tile"},
    ("factures_place", "menu_only"): lambda p, s: _places(p["dashboard"]) == {"menu"},
    ("tile_shape", "heading_paragraph"): lambda p, s: p["dashboard"].count('<div class="dalle"><a href=') == 3,
    ("tile_shape", "badge_before"): lambda p, s: re.search(r'<span class="smarties">2</span> <img [^>]*alt="[^"]+"',
                                                           p["dashboard"]) is not None,
    ("tile_shape", "badge_after"): lambda p, s: 'Mes factures</span> <span class="badge">2</span>' in p["dashboard"],
    ("tile_shape", "title_description"): lambda p, s: p["dashboard"].count('class="dalle-description"') == 3,
    ("tile_shape", "icon_counter_subtitle"): lambda p, s: '<span class="dalle-compteur">2</span>' in p["dashboard"]
    and p["dashboard"].count('class="dalle-sous-titre"') == 3,
    ("adhesion_place", "paragraph_link"): lambda p, s: '<p class="adhesion"><a href="/grandperigueux/espace-citoyens/'
                                                       'Demande/NouvelleDemande/FACTURE/ADHESION">' in p["moncompte"],
    ("adhesion_place", "tab_bar_link"): lambda p, s: '<nav class="onglets"' in p["moncompte"]
    and 'id="pnlAdhesion"' not in p["moncompte"],
    ("adhesion_place", "toolbar"): lambda p, s: '<div class="barre-actions">' in p["moncompte"],
    ("adhesion_place", "tab_panel"): lambda p, s: '<nav class="onglets"' in p["moncompte"]
    and re.search(r'<section id="pnlAdhesion"[^>]*hidden>', p["moncompte"]) and 'class="formDemarche"' in p["moncompte"]
    and 'href="#pnlAdhesion"' in p["moncompte"],
    ("adhesion_place", "accordion"): lambda p, s: '<section class="accordeon">' in p["moncompte"]
    and 'class="formDemarche"' in p["moncompte"],
    ("adhesion_place", "two_accounts"): lambda p, s: p["moncompte"].count('<section class="compte-facturation">') == 2
    and len(Page(p["moncompte"]).controls("Adhésion à la facture/compte en ligne")) == 2,
    ("read_mode", "label_strong"): lambda p, s: re.search(r'<span class="libelle">[^<]+</span> <strong>NON</strong>',
                                                          p["step1"]) is not None,
    ("read_mode", "definition_list"): lambda p, s: '<dl class="lecture">' in p["step1"],
    ("read_mode", "table_row"): lambda p, s: '<table class="lecture">' in p["step1"],
    ("read_mode", "sentence"): lambda p, s: "Votre réponse actuelle à la question" in p["step1"],
    ("read_mode", "disabled_radios"): lambda p, s: 'id="lectureAdhesionNon" disabled checked' in p["step1"],
    ("read_mode", "disabled_select"): lambda p, s: '<select id="lectureAdhesion" disabled>' in p["step1"]
    and '<option value="NON" selected>NON</option>' in p["step1"],
    ("read_mode", "badge"): lambda p, s: '<span class="badge badge-neutre">NON</span>' in p["step1"],
    ("question", "fieldset_native"): lambda p, s: "<legend>" in p["step1"] and 'id="AdhesionFactureEnLigne_OUI"' in p["step1"],
    ("question", "wrapped_hidden_inputs"): lambda p, s: '<label class="bascule"><input type="radio" class="visuellement-cache"'
    in p["step1"],
    ("question", "aria_radiogroup"): lambda p, s: 'role="radiogroup" aria-labelledby="lblAdhesionFactureEnLigne"' in p["step1"],
    ("question", "no_fieldset"): lambda p, s: "<fieldset" not in p["step1"] and '<div class="reponses">' in p["step1"],
    ("question", "select"): lambda p, s: '<select id="AdhesionFactureEnLigne" name="AdhesionFactureEnLigne">' in p["step1"],
    ("question", "checkbox"): lambda p, s: '<input type="checkbox" id="AdhesionFactureEnLigne" name=' in p["step1"],
    ("question", "switch"): lambda p, s: 'role="switch" aria-checked="false"' in p["step1"],
    ("question", "toggle_buttons"): lambda p, s: '<button type="button" aria-pressed="true" data-valeur="NON">' in p["step1"],
    ("question", "segmented"): lambda p, s: 'class="btn-check" name="AdhesionFactureEnLigne"' in p["step1"]
    and 'role="group" aria-labelledby="lblAdhesionFactureEnLigne"' in p["step1"],
    ("confirmation", "number_and_status"): lambda p, s: f"N° de demande : <strong>{p['number']}</strong>" in p["confirm"],
    ("confirmation", "number_in_sentence"): lambda p, s: f"Votre demande n° {p['number']} a bien" in p["confirm"],
    ("confirmation", "no_number"): lambda p, s: p["number"] not in p["confirm"] and "prise en compte" in p["confirm"],
    ("confirmation", "back_to_step1"): lambda p, s: p["number"] not in p["confirm"]
    and p["confirm_url"].endswith(p["step1_url"]) and "a bien été enregistrée" in p["confirm"]
    and "<strong>OUI</strong>" in p["confirm"],
    ("typography", "seed"): lambda p, s: ">MODIFIER<" in p["step1"] and "Aller à l’étape 2<" in p["step1"],
    ("typography", "title_case"): lambda p, s: "Modifier" in p["step1"] and "Aller à l&#39;étape 2" in p["step1"]
    and "en ligne\u00a0?" in p["step1"],
    ("typography", "caps_no_accents"): lambda p, s: "ALLER A L&#39;ETAPE 2" in p["step1"],
    ("typography", "narrow_spaces"): lambda p, s: "en ligne\u202f?" in p["step1"] and "Mes factures (2)" in p["dashboard"]
    and "l’étape\u00a02" in p["step1"],
    ("consent", "none"): lambda p, s: "/cmp/consentement" not in p["accueil"],
    ("consent", "tarteaucitron"): lambda p, s: all(t in p["accueil"] for t in ("Tout accepter", "Tout refuser", "Personnaliser")),
    ("consent", "axeptio"): lambda p, s: all(t in p["accueil"] for t in ("OK pour moi", "Non merci", 'aria-label="Fermer"')),
    ("consent", "didomi"): lambda p, s: all(t in p["accueil"] for t in ("Accepter &amp; Fermer", "Continuer sans accepter →",
                                                                       "En savoir plus")),
    ("consent", "home_made"): lambda p, s: "J’accepte" in p["accueil"] and "× Fermer" in p["accueil"],
    ("consent", "words_only"): lambda p, s: '<div class="voile-bas">' in p["accueil"] and "traceurs" in p["accueil"],
    ("consent", "shadow_root"): lambda p, s: '<bandeau-visite><template shadowrootmode="open">' in p["accueil"],
    ("notice", "none"): lambda p, s: "voile-info" not in p["dashboard"] and "<dialog" not in p["dashboard"],
    ("notice", "jai_compris"): lambda p, s: ">J'ai compris</button>" in p["dashboard"] and 'role="dialog"' in p["dashboard"],
    ("notice", "fermer"): lambda p, s: re.search(r'<div class="voile-info">\s*<div class="fenetre-info">', p["dashboard"])
    and ">Fermer</button>" in p["dashboard"],
    ("notice", "croix"): lambda p, s: '<dialog class="fenetre-info js-dialogue-modal"' in p["dashboard"]
    and 'aria-label="Fermer">×</button>' in p["dashboard"],
    ("notice", "fields"): lambda p, s: 'type="tel"' in p["dashboard"] and ">Enregistrer</button>" in p["dashboard"],
    ("notice", "survey"): lambda p, s: "Votre avis nous intéresse" in p["dashboard"],
    ("notice", "attestation"): lambda p, s: "J'atteste sur l'honneur" in p["dashboard"],
    ("notice", "second_factor"): lambda p, s: "Code reçu par SMS" in p["dashboard"],
    ("wait", "short"): lambda p, s: 'data-delai-attente-ms="400"' in p["step1"],
    ("wait", "instant"): lambda p, s: 'data-delai-attente-ms="0"' in p["step1"],
    ("wait", "long"): lambda p, s: 'data-delai-attente-ms="3000"' in p["step1"],
    ("wait", "very_long"): lambda p, s: 'data-delai-attente-ms="10000"' in p["step1"],
    ("error_pages", "classic"): lambda p, s: "<h1>" in p["maintenance"] and "portal.css" in p["maintenance"],
    ("error_pages", "bootstrap_alert"): lambda p, s: 'class="alert alert-danger" role="alert"' in p["maintenance"],
    ("error_pages", "app_offline"): lambda p, s: "portal.css" not in p["maintenance"] and "<h1" not in p["maintenance"],
    ("invoice_table", "classic"): lambda p, s: '<th scope="col">Concerne</th>' in p["moncompte"],
    ("invoice_table", "reduced_columns"): lambda p, s: '<table class="table table-striped factures">' in p["moncompte"],
    ("invoice_table", "icons"): lambda p, s: 'role="img" aria-label="À payer"' in p["moncompte"],
    ("detail_status", "fixed"): lambda p, s: "<dd>À payer</dd>" in p["detail"] and "Reste à payer" in p["detail"],
    ("detail_status", "as_table"): lambda p, s: "<dd>Partiellement réglée</dd>" in p["detail"],
    ("status_case", "as_written"): lambda p, s: ">Partiellement réglée<" in p["garcia"],
    ("status_case", "upper"): lambda p, s: ">À PAYER<" in p["garcia"] and ">PAYÉE<" in p["garcia"],
    ("status_case", "lower"): lambda p, s: ">à payer<" in p["garcia"] and ">partiellement réglée<" in p["garcia"],
    ("status_case", "no_accents"): lambda p, s: ">A PAYER<" in p["garcia"] and ">PARTIELLEMENT REGLEE<" in p["garcia"],
    ("amount_grouping", "nbsp"): lambda p, s: ">1\u00a0234,56\u00a0€<" in p["moncompte"],
    ("amount_grouping", "nnbsp"): lambda p, s: ">1\u202f234,56\u00a0€<" in p["moncompte"],
    ("amount_grouping", "space"): lambda p, s: ">1 234,56\u00a0€<" in p["moncompte"],
    ("amount_grouping", "dot"): lambda p, s: ">1.234,56\u00a0€<" in p["moncompte"],
    ("amount_grouping", "none"): lambda p, s: ">1234,56\u00a0€<" in p["moncompte"],
    ("amount_currency", "euro_nbsp"): lambda p, s: ">1\u00a0234,56\u00a0€<" in p["moncompte"],
    ("amount_currency", "euro_space"): lambda p, s: ">1\u00a0234,56 €<" in p["moncompte"],
    ("amount_currency", "none"): lambda p, s: ">1\u00a0234,56<" in p["moncompte"] and ">Montant (€)<" in p["moncompte"],
}
for _key, (_paid, _unpaid) in {"payee_a_payer": ("Payée", "À payer"), "reglee_a_regler": ("Réglée", "À régler"),
                               "payee_en_attente": ("Payée", "En attente de paiement"),
                               "reglee_non_reglee": ("Réglée", "Non réglée"), "acquittee_impayee": ("Acquittée", "Impayée"),
                               "soldee_a_payer": ("Soldée", "À payer"),
                               "prelevee_prelevement": ("Prélevée", "Prélèvement en cours")}.items():
    MARKERS[("status_words", _key)] = (lambda paid, unpaid: lambda p, s: (
        f">{paid}<" in p["garcia"] and f">{unpaid}<" in p["garcia"] and ">Partiellement réglée<" in p["garcia"]
        and "Reste à payer : 1\u00a0345,60\u00a0€" in p["garcia"]))(_paid, _unpaid)
for _value in ("classic", "username", "email"):
    MARKERS[("wordings", _value)] = lambda p, s: all(
        normalise(s.words()[key]) in visible_text(p[page])
        for key, page in (("login_user", "accueil"), ("login_error", "login_error"), ("pending", "pending"),
                          ("confirm_title", "confirm"), ("wait", "step1"), ("maintenance_title", "maintenance")))
for _aspect in CONTROL_ASPECTS:
    for _r in ASPECTS[_aspect]:
        MARKERS[(_aspect, _r.key)] = (lambda aspect, key: lambda p, s: (
            {kind_of(node, reader) for node, reader in Page(p[CONTROL_WORDS[aspect][0]]).controls(CONTROL_WORDS[aspect][1])}
            == {key}))(_aspect, _r.key)


def test_markers_cover_the_table():
    assert set(MARKERS) == set(ALL)


@pytest.mark.parametrize("aspect,key", ALL, ids=[f"{a}={k}" for a, k in ALL])
def test_each_rendering_shows_in_a_composition_using_it(served, aspect, key):
    assert MARKERS[(aspect, key)](served(aspect, key), replace(Composition(), **{aspect: key}))


def test_the_dialog_after_the_login_shows_once(served):
    pages = served("notice", "jai_compris")
    assert "J'ai compris" in pages["dashboard"] and "voile-info" not in pages["moncompte"]
    assert "J'ai compris" in pages["garcia"]  # another session: on its first page, whichever it is
    assert "voile-info" not in pages["after"]  # and on that one only


def test_every_rendering_has_a_source_and_words():
    assert all(r.source in SOURCES and r.description for rs in ASPECTS.values() for r in rs)
    assert all(len(rs) >= 2 for rs in ASPECTS.values())
    assert all(not rs[0].stop for rs in ASPECTS.values())  # the first rendering is today's markup


def test_the_readme_shows_the_table():
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_the_help_page_words_stay_whatever_the_composition(served):
    seed_words = ["Mes factures", "Adhésion à la facture/compte en ligne", "MODIFIER", "OUI",
                  "Souhaitez-vous adhérer à la facture en ligne ?", "Aller à l’étape 2", "VALIDER"]
    for aspect in CONTROL_ASPECTS + ("question", "adhesion_place", "read_mode"):
        for r in ASPECTS[aspect]:
            p = served(aspect, r.key)
            shown = [Page(p[k]) for k in ("dashboard", "moncompte", "step1", "recap")]
            assert [w for w in seed_words if not any(page.labelled(w) for page in shown)] == [], (aspect, r.key)


@pytest.mark.parametrize("detail", ["fixed", "as_table"])
def test_an_invoice_being_debited_is_said_so_in_its_detail_too(detail):
    """The table says « Prélèvement en cours »: the detail never says « À payer » for it."""
    rep = Replica(ReplicaConfig(skin=replace(Composition(), status_words="prelevee_prelevement", detail_status=detail)))
    c = Client(rep)
    c.login("famille.garcia", follow=False)
    assert ">Prélèvement en cours<" in c.get("MonCompte").text
    shown = visible_text(c.get("MonCompte/DetailFacture?IdFactureUnique=485602").text)  # not paid yet
    assert "statut prelevement en cours" in shown and "a payer" not in shown
    paid = visible_text(c.get("MonCompte/DetailFacture?IdFactureUnique=485603").text)
    assert ("statut payee" if detail == "fixed" else "statut prelevee") in paid
