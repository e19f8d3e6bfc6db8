"""Two controls with the same words count once when their markup states the same target (a link, a GET
form's submit button, a literal navigation in an onclick), and stay an ambiguity otherwise.

Hand-written snippets: element kinds, ids, classes and addresses of none of the replica's pages.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from assistant.errors import PortalChanged
from assistant.pages.recap import RecapPage
from support.snippets import SETTINGS, AnyPage, clicked

SITE = "http://127.0.0.1:9/commune"


def serve(page: Page, body: str) -> AnyPage:
    # served at an address of its own (relative targets resolve); every click is caught before it acts
    # (nothing is submitted, nobody navigates): the test reads which
    html = (f"<html lang='fr'><body>{body}<script>"
            "document.querySelectorAll('[data-k]').forEach(e => e.addEventListener('click', ev => {"
            "ev.preventDefault(); ev.stopImmediatePropagation(); window.clicked = e.dataset.k; }, true));"
            "</script></body></html>")
    page.route(f"{SITE}/Accueil", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(f"{SITE}/Accueil")
    return AnyPage(page, SETTINGS)


SAME_PLACE = [
    # a GET form's submit input in the header, a button calling location.assign in the content
    (f"<header><form action='{SITE}/Facturation' method='get'><input type='submit' value='Mes factures' data-k='a'>"
     f"</form></header><main><button type='button' onclick=\"location.assign('{SITE}/Facturation')\" data-k='b'>"
     "Mes factures</button></main>"),
    # an image button whose formaction overrides its form's, and a role=link with window.location = …
    (f"<form action='{SITE}/Autre' method='GET'><input type='image' src='data:,' alt='Mes factures' "
     f"formaction='{SITE}/Facturation' data-k='a'></form>"
     f"<div role='link' tabindex='0' onclick=\"window.location = '{SITE}/Facturation'; return false;\" data-k='b'>"
     "Mes factures</div>"),
    # a GET form with a hidden field, and a link to the address that form builds
    (f"<form action='{SITE}/Facturation?ignored=1'><input type='hidden' name='vue' value='liste'>"
     f"<button data-k='a'>Mes factures</button></form><a href='{SITE}/Facturation?vue=liste' data-k='b'>Mes factures</a>"),
    # role=menuitem with location.href = "…" (double quotes), an <a href="#"> with document.location.href
    (f"<ul role='menu'><li role='menuitem' tabindex='0' onclick='location.href=\"{SITE}/Facturation\"' data-k='a'>"
     f"Mes factures</li></ul><a href='#' onclick=\"document.location.href='{SITE}/Facturation'\" data-k='b'>"
     "Mes factures</a>"),
]


@pytest.mark.parametrize("markup", SAME_PLACE)
def test_two_controls_whose_markup_states_one_target_are_one_control(page: Page, markup):
    portal = serve(page, markup)
    portal.click("Mes factures")
    assert clicked(page) == "a"


DIFFERENT_OR_UNKNOWN = [
    # two GET forms to different addresses
    (f"<form action='{SITE}/Facturation'><input type='submit' value='Mes factures' data-k='a'></form>"
     f"<form action='{SITE}/Paiement'><input type='submit' value='Mes factures' data-k='b'></form>",
     ["bouton « Mes factures » vers /commune/Facturation", "bouton « Mes factures » vers /commune/Paiement"]),
    # one form, two formactions
    (f"<form action='{SITE}/Facturation'><input type='submit' value='Mes factures' data-k='a'>"
     f"<button formaction='{SITE}/Archives' data-k='b'>Mes factures</button></form>",
     ["bouton « Mes factures » vers /commune/Facturation", "bouton « Mes factures » vers /commune/Archives"]),
    # the same GET address with different fields
    (f"<form action='{SITE}/Facturation'><input type='hidden' name='an' value='2025'>"
     f"<input type='submit' value='Mes factures' data-k='a'></form><form action='{SITE}/Facturation'>"
     f"<input type='hidden' name='an' value='2026'><input type='submit' value='Mes factures' data-k='b'></form>",
     ["bouton « Mes factures » vers /commune/Facturation?an=2025", "bouton « Mes factures » vers /commune/Facturation?an=2026"]),
    # a POST form's answer is the server's: not an address to compare with a link's
    (f"<form action='{SITE}/Facturation' method='post'><button data-k='a'>Mes factures</button></form>"
     f"<a href='{SITE}/Facturation' data-k='b'>Mes factures</a>",
     ["bouton « Mes factures »", "lien « Mes factures » vers /commune/Facturation"]),
    # scripts that do more than one literal navigation: their targets are not known
    (f"<span role='button' tabindex='0' onclick=\"track(); location.href='{SITE}/Facturation'\" data-k='a'>"
     f"Mes factures</span><span role='button' tabindex='0' onclick=\"location.href='{SITE}/Facturation' + window.suffix\" "
     "data-k='b'>Mes factures</span>", ["bouton « Mes factures »", "bouton « Mes factures »"]),
    # a submit button with a script of its own, beside a GET form's button to the same address
    (f"<form action='{SITE}/Facturation'><input type='submit' value='Mes factures' onclick='return check()' data-k='a'>"
     f"</form><form action='{SITE}/Facturation'><input type='submit' value='Mes factures' data-k='b'></form>",
     ["bouton « Mes factures »", "bouton « Mes factures » vers /commune/Facturation"]),
]


@pytest.mark.parametrize(("markup", "named"), DIFFERENT_OR_UNKNOWN)
def test_two_controls_with_different_or_unknown_targets_are_named_and_none_is_clicked(page: Page, markup, named):
    portal = serve(page, markup)
    with pytest.raises(PortalChanged, match="2 contrôles différents s’appellent « Mes factures »") as caught:
        portal.click("Mes factures")
    assert caught.value.candidates == named
    assert clicked(page) == ""


@pytest.mark.parametrize("markup", [
    "<form method='post' onsubmit='return false'><input type='image' src='data:,' alt='Valider' data-k='v'></form>",
    "<div role='tablist'><span role='tab' tabindex='0' data-k='v'>VALIDER</span></div>",
    "<menu role='menu'><span role='menuitem' tabindex='0' data-k='v'>Valider</span></menu>",
])
def test_the_recap_is_recognised_and_validated_on_any_element_kind(page: Page, markup):
    page.set_content(f"<html lang='fr'><body><p>Vérification</p>{markup}<script>"
                     "document.querySelector('[data-k]').addEventListener('click', ev => { ev.preventDefault();"
                     " window.clicked = 'v'; document.body.innerHTML = '<p>Demande n° 1</p>'; });</script></body></html>")
    recap = RecapPage(page, SETTINGS)
    assert recap.is_here()
    assert recap.wait_until_here() is recap
    recap.validate_button.click()
    assert clicked(page) == "v"
