"""The journey's links and buttons found by their words on element kinds the replica does not use,
and what must still stop: two controls that answer the words equally are named, never chosen.

Hand-written snippets (other element kinds, ids and classes than the replica's).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from assistant.errors import PortalChanged
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.invoices import InvoicesPage
from support.snippets import SETTINGS, AnyPage, clicked


def serve(page: Page, body: str) -> AnyPage:
    page.set_content(f"<html lang='fr'><body>{body}<script>"
                     "document.querySelectorAll('[data-k]').forEach(e => e.addEventListener('click', ev => {"
                     "ev.preventDefault(); ev.stopPropagation(); window.clicked = e.dataset.k; }));</script></body></html>")
    return AnyPage(page, SETTINGS)


TILE = ("<div class='grid'><div class='tuile' data-k='ok' style='cursor:pointer' onclick='void 0'>"
        "<img src='data:,' alt=''><span class='cpt'>3</span><span class='t'>Mes factures</span>"
        "<span class='st'>Consulter et payer vos factures</span></div>"
        "<div class='tuile' onclick='void 0'><span class='t'>Mes démarches</span></div></div>")


@pytest.mark.parametrize(("words", "markup"), [
    ("VALIDER", "<form onsubmit='return false'><input type='image' src='data:,' alt='Valider' data-k='ok'></form>"),
    ("VALIDER", "<form onsubmit='return false'><input type='submit' value='VALIDER' data-k='ok'></form>"),
    ("VALIDER", "<div role='button' tabindex='0' onclick='void 0' class='vert' data-k='ok'>Valider</div>"),
    ("Mes factures", "<ul role='menubar'><li role='menuitem' onclick='void 0' data-k='ok'>Mes factures</li>"
                     "<li role='menuitem' onclick='void 0'>Mes démarches</li></ul>"),
    ("Mes factures", TILE),
    ("Mes factures", "<section><a href='/x/Compte' data-k='ok'><i class='ico-euro'></i><b>3</b>"
                     "<span>Mes factures</span><small>Consulter et payer vos factures</small></a></section>"),
    ("Mes factures", "<p><a href='/x/Compte' data-k='ok'><span>Mes</span><span>factures</span></a></p>"),
    ("Aller à l’étape 2", "<p><button type='button' data-k='ok'><span>Aller</span> <span>à l’</span>"
                          "<span>étape</span>&nbsp;<span>2</span></button></p>"),
    ("Adhésion à la facture/compte en ligne",
     "<div class='tabs'><span role='tab' onclick='void 0' data-k='ok'>Adhésion à la facture/compte en ligne</span>"
     "<span role='tab' onclick='void 0'>Mes factures</span></div>"),
    ("MODIFIER", "<div class='zone'><span role='link' onclick='void 0' data-k='ok'>MODIFIER</span></div>"),
])
def test_a_journey_control_is_found_on_any_element_kind(page: Page, words, markup):
    portal = serve(page, f"<header><a href='/x/'>Accueil</a></header>{markup}")
    portal.click(words)
    assert clicked(page) == "ok"


def test_two_modifier_leading_to_different_places_are_named_and_not_clicked(page: Page):
    portal = serve(page, "<div><h4>Mon adresse</h4><a href='/x/Adresse/Modifier' data-k='a'>Modifier</a></div>"
                         "<div><h4>Ma demande</h4><a href='/x/Demande/Modifier' data-k='b'>MODIFIER</a></div>")
    with pytest.raises(PortalChanged, match="2 contrôles différents s’appellent « MODIFIER »") as caught:
        portal.click("MODIFIER")
    assert caught.value.candidates == ["lien « Modifier » vers /x/Adresse/Modifier (sous « Mon adresse »)",
                                       "lien « MODIFIER » vers /x/Demande/Modifier (sous « Ma demande »)"]
    assert clicked(page) == ""


def test_two_billing_accounts_each_offering_the_adhesion_are_never_chosen_between(page: Page):
    page.set_content("""<html lang='fr'><body><h2>Mes factures</h2>
<div class='compte'><div class='entete' role='heading' aria-level='3'>Accueil périscolaire</div>
  <table><tr class='compte'><td>Facture 12</td></tr></table>
  <p><a href='/x/Demande/ADH?compte=11'>Adhésion à la facture/compte en ligne</a></p></div>
<div class='compte'><div class='entete' role='heading' aria-level='3'>Restauration scolaire</div>
  <table><tr class='compte'><td>Facture 13</td></tr></table>
  <p><a href='/x/Demande/ADH?compte=12'>Adhésion à la facture / compte en ligne</a></p></div>
<script>document.querySelectorAll('a').forEach(a => a.onclick = e => { e.preventDefault(); window.clicked = a.href; });</script>
</body></html>""")
    with pytest.raises(PortalChanged) as caught:
        InvoicesPage(page, SETTINGS).open_adhesion()
    assert caught.value.outcome == "portal_changed", caught.value.message
    assert caught.value.candidates == [  # noqa
        "lien « Adhésion à la facture/compte en ligne » vers /x/Demande/ADH?compte=11 (sous « Accueil périscolaire »)",
        "lien « Adhésion à la facture / compte en ligne » vers /x/Demande/ADH?compte=12 (sous « Restauration scolaire »)"]
    assert "Accueil périscolaire" in caught.value.message and "Restauration scolaire" in caught.value.message
    assert clicked(page) == ""


INVOICES_WITH_TABS = """<html lang='fr'><body><h2>Facturation</h2>
<div class='onglets' role='tablist'>
  <button role='tab' id='t1' aria-selected='true' aria-controls='p1'>Mes factures</button>
  <button role='tab' id='t2' aria-selected='false' aria-controls='p2'>Adhésion à la facture/compte en ligne</button>
</div>
<div id='p1' role='tabpanel'><table><tr class='compte' id='91'><td class='ligneCompte'>Cantine mars</td></tr></table></div>
<div id='p2' role='tabpanel' hidden>
  <div class='l'><span>Souhaitez-vous adhérer à la facture en ligne ?</span> <b>Non</b></div>
  <span class='act' role='button' tabindex='0'>Modifier</span>
</div>
<script>
document.querySelectorAll('[role=tab]').forEach(t => t.onclick = () => {
  document.querySelectorAll('[role=tab]').forEach(o => {
    o.setAttribute('aria-selected', String(o === t));
    document.getElementById(o.getAttribute('aria-controls')).hidden = o !== t;
  });
});
</script></body></html>"""


def test_the_adhesion_in_a_tab_of_the_invoices_page_is_recognised_by_its_proofs(page: Page):
    page.set_content(INVOICES_WITH_TABS)
    url = page.url
    adhesion = InvoicesPage(page, SETTINGS).open_adhesion()
    assert isinstance(adhesion, AdhesionPage)
    assert page.url == url  # the tab does not navigate
    assert adhesion.current_choice() == "NON"
