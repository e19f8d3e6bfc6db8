"""An answer that cannot be read is said so (Unreadable), never « NON »; a question that cannot be
answered without a guess is drift (PortalChanged naming the candidates), with nothing clicked.

Hand-written pages, unlike the replica's markup.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from assistant.config import Settings, Timeouts
from assistant.errors import PortalChanged, Unreadable
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage

SETTINGS = Settings(base_url="http://127.0.0.1:9/commune/espace-citoyens/",
                    timeouts=Timeouts(action=1_500, navigation=3_000, wait_modal=3_000))
Q = "Souhaitez-vous adhérer à la facture en ligne ?"


def show(page: Page, markup: str) -> None:
    page.set_content(f"<html lang='fr'><body><main><h3>Ma demande</h3>{markup}</main></body></html>")


UNREADABLE = {
    "radios, none checked": (f"<div><p>{Q}</p><label><input type='radio' name='a'> Oui</label>"
                             "<label><input type='radio' name='a'> Non</label></div>", "aucune réponse cochée"),
    "list left on its blank option": (f"<p><label>{Q} <select><option value='' selected>-- Choisir --</option>"
                                      "<option>Oui</option><option>Non</option></select></label></p>",
                                      "aucune réponse choisie"),
    "list on an unknown word": (f"<p><label for='s'>{Q}</label><select id='s' disabled><option>Oui</option>"
                                "<option>Non</option><option selected>Peut-être</option></select></p>",
                                "réponse « Peut-être » non reconnue"),
    "badge with an unknown word": (f"<div class='f'><span>{Q}</span> <span class='badge'>Peut-être</span></div>"
                                   "<button>Modifier</button>", "réponse « Peut-être » non reconnue"),
    "a third radio checked": (f"<div role='radiogroup' aria-label='{Q}'><span role='radio' aria-checked='false'>Oui</span>"
                              "<span role='radio' aria-checked='false'>Non</span>"
                              "<span role='radio' aria-checked='true'>Je ne sais pas</span></div>",
                              "réponse « Je ne sais pas » non reconnue"),
    "both answers checked": (f"<div><b>{Q}</b><span role='radio' aria-checked='true'>OUI</span>"
                             "<span role='radio' aria-checked='true'>NON</span></div>", "plusieurs réponses cochées"),
    "two readings that disagree": (f"<div><p>{Q}</p><select disabled><option selected>Oui</option><option>Non</option>"
                                   f"</select></div><div><p>{Q}</p><select disabled><option>Oui</option>"
                                   "<option selected>Non</option></select></div>", "réponses contradictoires"),
    "toggle buttons marked by a class only": (f"<div><p>{Q}</p><button class='btn active'>OUI</button>"
                                              "<button class='btn'>NON</button></div>", "l’état n’est pas indiqué"),
    "a switch without aria-checked": (f"<div><span id='k'>{Q}</span><span role='switch' class='on' "
                                      "aria-labelledby='k'></span></div>", "l’état n’est pas indiqué"),
    "the question alone": (f"<p>{Q}</p>", "aucune réponse affichée"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_an_answer_that_cannot_be_read_is_unreadable_never_non(page: Page, case):
    markup, said = UNREADABLE[case]
    show(page, markup)
    with pytest.raises(Unreadable, match=said) as caught:
        AdhesionPage(page, SETTINGS).current_choice()
    assert caught.value.outcome == "unreadable" and caught.value.control == Q


def test_the_forms_checked_answer_is_unreadable_when_none_is_checked(page: Page):
    show(page, f"<table><tr><td>{Q}</td><td><input type='radio' name='z' id='y'><label for='y'>OUI</label>"
               "<input type='radio' name='z' id='n'><label for='n'>NON</label></td></tr></table>")
    with pytest.raises(Unreadable, match="aucune réponse cochée") as caught:
        AdhesionFormPage(page, SETTINGS).checked()
    assert "boutons radio" in caught.value.seen


def test_the_form_opened_by_modifier_with_nothing_checked_is_unreadable(page: Page):
    show(page, f"<div id='ro'><p>{Q}</p><a href='#' id='m'>MODIFIER</a></div>"
               f"<div id='ed' style='display:none'><p>{Q}</p><label><input type='radio' name='q'> OUI</label>"
               "<label><input type='radio' name='q'> NON</label><a href='#'>Aller à l’étape 2</a></div>"
               "<script>document.getElementById('m').onclick = e => { e.preventDefault();"
               "document.getElementById('ro').style.display = 'none';"
               "document.getElementById('ed').style.display = 'block'; };</script>")
    with pytest.raises(Unreadable, match="aucune réponse cochée"):
        AdhesionPage(page, SETTINGS).current_choice()


def checked_anything(page: Page) -> bool:
    return page.evaluate("() => Array.from(document.querySelectorAll('input')).some(i => i.checked)"
                         " || !!document.querySelector('[aria-pressed=true]')")


def test_two_groups_that_both_answer_oui_are_ambiguity_nothing_checked(page: Page):
    show(page, f"<div><p>{Q}</p><div class='g1'><label><input type='radio' name='a'> OUI</label>"
               "<label><input type='radio' name='a'> NON</label></div>"
               "<div class='g2'><button type='button' aria-pressed='false'>OUI</button>"
               "<button type='button' aria-pressed='false'>NON</button></div></div>")
    with pytest.raises(PortalChanged, match="2 contrôles différents répondent « OUI »") as caught:
        AdhesionFormPage(page, SETTINGS).choose_yes()
    assert caught.value.candidates == ["boutons radio : aucune réponse cochée", "boutons : aucune réponse cochée"]
    assert not checked_anything(page)


def test_a_question_that_is_gone_is_drift_nothing_checked(page: Page):
    show(page, "<div><p>Souhaitez-vous recevoir la lettre d’information ?</p>"
               "<label><input type='radio' name='a'> OUI</label><label><input type='radio' name='a' checked> NON</label>"
               "</div>")
    with pytest.raises(PortalChanged, match=re.escape(f"le contrôle « {Q} » est introuvable")):
        AdhesionFormPage(page, SETTINGS).choose_yes()
    assert page.evaluate("() => document.querySelector('input').checked") is False


def test_an_answer_that_is_gone_is_drift_naming_the_nearest_controls(page: Page):
    show(page, f"<div><p>{Q}</p><label><input type='radio' name='a'> D’accord</label>"
               "<label><input type='radio' name='a' checked> NON</label></div>")
    with pytest.raises(PortalChanged, match="le contrôle « OUI » est introuvable") as caught:
        AdhesionFormPage(page, SETTINGS).choose_yes()
    assert caught.value.control == "OUI"
    assert page.evaluate("() => document.querySelector('input').checked") is False


def test_a_control_that_does_not_take_the_answer_is_named(page: Page):
    show(page, f"<div><p>{Q}</p><button type='button' aria-pressed='false'>OUI</button>"
               "<button type='button' aria-pressed='true'>NON</button></div>")
    with pytest.raises(PortalChanged, match="« OUI » n’a pas pu être choisi .*boutons : « NON »"):
        AdhesionFormPage(page, SETTINGS).choose_yes()


def test_another_question_beside_it_is_not_read(page: Page):
    show(page, f"<div class='a'><p>{Q}</p><select><option>Oui</option><option selected>Non</option></select></div>"
               "<div class='b'><p>Souhaitez-vous recevoir la lettre d’information ?</p>"
               "<select><option selected>Oui</option><option>Non</option></select></div>")
    assert AdhesionPage(page, SETTINGS).current_choice() == "NON"
    AdhesionFormPage(page, SETTINGS).choose_yes()
    assert page.evaluate("() => Array.from(document.querySelectorAll('select'), s => s.value)") == ["Oui", "Oui"]
