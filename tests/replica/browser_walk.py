"""A person's walk of the adhesion journey in Chromium on any composition, written knowing the composition
(which control kind, which question kind, which overlay): it proves the replica's renderings work by
themselves, apart from the assistant, whose own runs are tests/generated/."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from assistant.replica import Composition, Replica
from support import ACCOUNTS

REFUSE = {"tarteaucitron": "✗ Tout refuser", "axeptio": "Non merci", "didomi": "Continuer sans accepter →",
          "home_made": "× Fermer", "words_only": "Refuser", "shadow_root": "Je refuse"}
CLOSE = {"jai_compris": "J'ai compris", "fermer": "Fermer", "croix": "Fermer"}


def words(page: Page, text: str) -> Locator:
    """What reads ``text`` on the page: an element's text, or an input's value or alt."""
    # why: an <input> carries its words in value/alt, which text locators do not read
    inputs = page.locator(f'input[value="{text}"], input[alt="{text}"]')
    return page.get_by_text(text, exact=True).or_(inputs).filter(visible=True)


def log_in(page: Page, rep: Replica, comp: Composition, username: str) -> None:
    page.goto(rep.base_url + "Home/AccueilPublic")
    if comp.consent != "none":
        page.get_by_role("button", name=REFUSE[comp.consent]).click()
        expect(page.get_by_role("button", name=REFUSE[comp.consent])).to_have_count(0)
    if rep.app.login_style == "modal":
        page.get_by_role("button", name="Mon espace perso").click()
    page.locator("#username").fill(username)
    page.locator("#password").fill(ACCOUNTS[username]["password"])
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/CompteCitoyen$"))
    if comp.notice in CLOSE:
        page.get_by_role("button", name=CLOSE[comp.notice], exact=True).click()
        expect(page.locator(".voile-info, dialog")).to_have_count(0)


def answer_yes(page: Page, comp: Composition) -> None:
    """Set « OUI » the way the composition's question asks for it."""
    yes, q = comp.words()["yes"], comp.question
    if q in ("fieldset_native", "no_fieldset", "checkbox"):
        page.get_by_label(yes, exact=True).check()
    elif q in ("wrapped_hidden_inputs", "segmented"):
        page.get_by_text(yes, exact=True).click()
    elif q == "aria_radiogroup":
        page.get_by_role("radio", name=yes).click()
    elif q == "select":
        # why: the list is found by its field name; its label is the question, whose typography varies
        page.locator("select[name=AdhesionFactureEnLigne]").select_option("OUI")
    elif q == "switch":
        page.get_by_role("switch").click()
        expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "true")
    else:
        page.get_by_role("button", name=yes, exact=True).click()
        expect(page.get_by_role("button", name=yes, exact=True)).to_have_attribute("aria-pressed", "true")


def walk(page: Page, rep: Replica, comp: Composition, username: str = "famille.martin") -> None:
    """Log in, go to « Mes factures », open the adhesion, MODIFIER, OUI, « Aller à l’étape 2 », VALIDER."""
    w = comp.words()
    log_in(page, rep, comp, username)
    mes_factures = "Mes factures" + (" (2)" if w["count_in_label"] else "")
    words(page, mes_factures).first.click()
    page.wait_for_url(re.compile(r"/MonCompte(\?.*)?$"))  # a GET form adds « ? » (and x, y for an image)
    words(page, "Adhésion à la facture/compte en ligne").first.click()
    words(page, w["modifier"]).click()
    answer_yes(page, comp)
    words(page, w["next_step"]).click()
    expect(page.get_by_text("Vérifiez avant de valider votre demande")).to_be_visible()
    words(page, w["validate"]).click()
    if comp.confirmation == "back_to_step1":
        expect(page.get_by_text("a bien été enregistrée")).to_be_visible()
    else:
        expect(page.locator(".message-succes")).to_be_visible()
