"""Documented controls found by their words on markup of every kind, ambiguity and drift reported.

Each snippet is a guess of how some portal could draw the control (none is the replica's markup):
the finder must pick the control by the help page's words alone, report two different candidates
as ambiguity, and name the nearest controls when the documented one is gone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistant.errors import Obstructed, PortalChanged, PortalUnavailable
from assistant.pages.controls import nearest, similarity
from support.snippets import SETTINGS, AnyPage, clicked


def serve(page: Page, body: str) -> AnyPage:
    page.set_content(f"<html lang='fr'><body>{body}<script>"
                     "document.querySelectorAll('[data-k]').forEach(e => e.addEventListener('click', ev => {"
                     "ev.preventDefault(); window.clicked = e.dataset.k; }));</script></body></html>")
    return AnyPage(page, SETTINGS)


@pytest.mark.parametrize(("words", "markup"), [
    ("Mes factures", "<div class='tile'><a href='#' data-k='ok'><span class='badge'>3</span> <img alt='Factures' src='data:,'>"
                     "<strong>Mes factures</strong><em>Consulter et payer</em></a></div>"),
    ("Mes factures", "<nav><a href='#' data-k='ok'><span>Mes</span><span>factures</span> <b>(2)</b></a></nav>"),
    ("Mes factures", "<div role='link' tabindex='0' data-k='ok'>MES FACTURES <small>4 à payer</small></div>"),
    ("MODIFIER", "<input type='button' value='Modifier' data-k='ok'>"),
    ("MODIFIER", "<a data-k='ok' class='btn'>modifier</a>"),
    ("MODIFIER", "<span role='button' tabindex='0' data-k='ok'><i class='icon-edit'></i> Modifier <b>›</b></span>"),
    ("Aller à l’étape 2", "<input type='submit' value=\"ALLER A L'ETAPE 2\" data-k='ok'>"),
    ("Aller à l’étape 2", "<button data-k='ok'>Aller&nbsp;à&nbsp;l'étape&#8239;2 <span aria-hidden='true'>→</span></button>"),
    ("VALIDER", "<a href='javascript:void(0)' role='button' class='vert' data-k='ok'>Valider</a>"),
    ("Adhésion à la facture/compte en ligne",
     "<ul role='tablist'><li role='tab' data-k='ok'>Adhésion à la facture / compte en ligne</li></ul>"),
])
def test_a_control_is_found_by_its_words_whatever_its_markup(page: Page, words, markup):
    portal = serve(page, f"<p>Autre chose</p>{markup}<a href='#' data-k='no'>Retour</a>")
    portal.click(words)
    assert clicked(page) == "ok"


def test_the_name_closest_to_the_label_wins_over_a_longer_one(page: Page):
    portal = serve(page, "<a href='#' data-k='long'>Payer mes factures en ligne</a>"
                         "<a href='#' data-k='ok'>Mes factures</a>")
    portal.click("Mes factures")
    assert clicked(page) == "ok"


def test_a_menu_link_and_a_tile_to_the_same_place_are_one_control(page: Page):
    portal = serve(page, "<nav><a href='/x/MonCompte'>Mes factures (2)</a></nav>"
                         "<div><a href='/x/MonCompte'><b>2</b> Mes factures</a></div>")
    expect(portal.control("Mes factures")).to_have_attribute("href", "/x/MonCompte")


def test_two_different_controls_with_the_words_are_ambiguity_never_a_guess(page: Page):
    portal = serve(page, "<form><button data-k='a'>VALIDER</button></form><form><button data-k='b'>Valider</button></form>")
    with pytest.raises(PortalChanged, match="2 contrôles différents s’appellent « VALIDER »"):
        portal.click("VALIDER")
    assert clicked(page) == ""


def test_a_hidden_control_is_not_a_candidate(page: Page):
    portal = serve(page, "<button hidden data-k='no'>MODIFIER</button><button data-k='ok'>MODIFIER</button>")
    portal.click("MODIFIER")
    assert clicked(page) == "ok"


def test_a_renamed_control_is_drift_naming_the_nearest_candidates(page: Page):
    portal = serve(page, "<button data-k='x'>CHANGER</button><a href='#'>Modifier mon adresse</a>"
                         "<a href='#'>Mentions légales</a>")
    with pytest.raises(PortalChanged) as caught:
        portal.click("MODIFIER")
    assert caught.value.control == "MODIFIER"
    assert caught.value.candidates[0] == "lien « Modifier mon adresse »"
    assert "Contrôles proches sur la page : lien « Modifier mon adresse »" in caught.value.message
    assert clicked(page) == ""  # never a substitute


def test_nearest_ranks_a_renamed_button_by_its_words(page: Page):
    serve(page, "<nav><a href='#'>Accueil</a><a href='#'>Mes démarches</a></nav>"
                "<main><button>Annuler</button><button>Aller à l’étape suivante</button><button>CHANGER</button></main>")
    assert nearest(page, "Aller à l’étape 2")[0] == "bouton « Aller à l’étape suivante »"
    assert "lien « Accueil »" not in nearest(page, "Aller à l’étape 2")
    assert "bouton « CHANGER »" in nearest(page, "MODIFIER")
    assert similarity("VALIDER", "Valider") == 1.0


def test_a_click_under_an_overlay_is_reported_with_the_overlay_text(page: Page):
    portal = serve(page, "<button data-k='ok'>MODIFIER</button>"
                         "<div style='position:fixed;inset:0;background:#0004'><p>Nouveau : paiement par prélèvement"
                         "</p><button>J’ai compris</button></div>")
    with pytest.raises(Obstructed, match="intercepté par une fenêtre .*« Nouveau : paiement par prélèvement"):
        portal.click("MODIFIER")
    assert clicked(page) == ""


def test_a_wait_modal_that_never_goes_is_portal_unavailable(page: Page):
    portal = serve(page, "<button data-k='ok'>VALIDER</button>"
                         "<div role='dialog' style='position:fixed;inset:0'><p>Merci de patienter…</p></div>")
    with pytest.raises(PortalUnavailable, match="Merci de patienter"):
        portal.click("VALIDER")


def test_a_wait_modal_is_let_go_before_the_click(page: Page):
    portal = serve(page, "<button data-k='ok'>VALIDER</button>"
                         "<div id='w' style='position:fixed;inset:0;background:#fff'>Patientez...</div>"
                         "<script>setTimeout(() => document.getElementById('w').remove(), 600)</script>")
    portal.click("VALIDER")
    assert clicked(page) == "ok"


def test_an_inactive_control_is_said_so(page: Page):
    portal = serve(page, "<button disabled data-k='ok'>VALIDER</button>")
    with pytest.raises(PortalChanged, match="affiché mais ne répond pas"):
        portal.click("VALIDER")
