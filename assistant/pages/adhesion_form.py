"""Adhesion wizard after « MODIFIER »: « OUI » / « NON » to the question, then « Aller à l’étape 2 » [seed].

Recognised by the help page's words [seed]: the control « Aller à l’étape 2 », the question's
radios « OUI » / « NON », or the group the question names. How the radios are drawn is not
public [guess]: native inputs with their labels, labels around visually hidden inputs, or ARIA
radios; each is found by its role and its word, and checked the way a person would (the radio
itself when a click on it lands there, else its visible label), then verified checked.
"""

from __future__ import annotations

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect

from ..errors import PortalChanged, PortalUnavailable
from ..labels import label
from .base import PortalPage
from .clues import Clue
from .controls import control, hit_test
from .recap import QUESTION, RecapPage
from .wait_modal import WaitModal

__all__ = ["QUESTION", "AdhesionFormPage"]

NEXT_STEP = "Aller à l’étape 2"
# For each radio of a choice: can a person use it (enabled, and itself or its label shown)?
_USABLE_JS = """els => els.map(e => {
  const shown = x => !!x && x.getClientRects().length > 0 && getComputedStyle(x).visibility !== 'hidden';
  const off = e.disabled || e.getAttribute('aria-disabled') === 'true' || !!e.closest('fieldset[disabled]');
  const own = (e.labels && e.labels.length) ? Array.from(e.labels) : [];
  return !off && (shown(e) || own.some(shown));
})"""


class AdhesionFormPage(PortalPage):
    """« Souhaitez-vous adhérer à la facture en ligne ? » with « OUI » / « NON »."""

    TITLE = "Adhésion à la facture/compte en ligne (modification)"
    PROOFS = (
        Clue("seed", f"« {NEXT_STEP} »", lambda p: control(p.page, NEXT_STEP), words=NEXT_STEP),
        Clue("seed", "le choix « OUI »", lambda p: p.page.get_by_role("radio", name=label("OUI"))),
        Clue("seed", f"le groupe « {QUESTION} »", lambda p: p.question_group),
    )

    @property
    def question_group(self) -> Locator:
        """The radios' group named by the question (a fieldset + legend, or a radiogroup), if any."""
        name = label(QUESTION, loose=True)
        return self.page.get_by_role("group", name=name).or_(self.page.get_by_role("radiogroup", name=name))

    @property
    def next_step(self) -> Locator:
        """« Aller à l’étape 2 » [seed]: an <a> on the product's démarches [seen], any element here."""
        return self.control(NEXT_STEP)

    def editable(self) -> bool:
        """The question can be answered now (« Aller à l’étape 2 » shows)."""
        return control(self.page, NEXT_STEP).count() > 0

    def _radios(self, answer: str) -> Locator:
        # [seed] the words « OUI » / « NON »; a radio's role covers inputs and ARIA radios alike
        exact = self.page.get_by_role("radio", name=label(answer), include_hidden=True)
        return exact.or_(self.page.get_by_role("radio", name=label(answer, loose=True), include_hidden=True))

    def radio(self, answer: str) -> Locator:
        """The one radio « OUI » / « NON » a person can use now (hidden inputs included)."""
        candidates = self._radios(answer)
        try:
            usable = candidates.evaluate_all(_USABLE_JS)
        except PlaywrightError:
            usable = []
        chosen = [i for i, ok in enumerate(usable) if ok]
        if len(chosen) > 1:
            # several sets of radios: the one of the question's own group
            grouped = self.question_group.get_by_role("radio", name=label(answer, loose=True), include_hidden=True)
            if grouped.count() == 1:
                return grouped
            raise PortalChanged(f"Sur « {self.TITLE} », plusieurs choix « {answer} » : lequel cocher n’est pas clair.",
                                page=self.TITLE, url=self.page.url, control=answer)
        if chosen:
            return candidates.nth(chosen[0])
        return candidates.first

    def checked(self) -> str | None:
        """The answer checked now, if any (enabled or not: read mode may show disabled radios)."""
        for answer in ("OUI", "NON"):
            radios = self._radios(answer)
            try:
                if any(radios.nth(i).is_checked(timeout=1_000) for i in range(radios.count())):
                    return answer
            except PlaywrightError:
                continue
        return None

    def choose(self, adhere: bool) -> "AdhesionFormPage":
        """Check « OUI » (or « NON ») as a person would, and verify it is checked."""
        answer = "OUI" if adhere else "NON"
        radio = self.radio(answer)
        if radio.count() == 0:
            raise self.missing(answer)
        logger.info("check « {} » ({})", answer, QUESTION)
        self.about_to_act(radio, answer)
        self.clear_overlays(wait_modal=True)
        landing = hit_test(radio)["hit"]
        if landing == "self":
            radio.check(timeout=self.settings.timeouts.action)
        else:
            # styled radios hide the input: a person clicks the label (its own, or the word itself)
            self.click(self._label_of(radio, answer), answer)
        try:
            expect(radio).to_be_checked(timeout=self.settings.timeouts.action)
        except AssertionError as exc:
            raise PortalChanged(f"« {answer} » n’a pas pu être coché pour « {QUESTION} ».",
                                page=self.TITLE, url=self.page.url, control=answer) from exc
        return self

    def choose_yes(self) -> "AdhesionFormPage":
        """Check « OUI » (the help page's step 4)."""
        return self.choose(True)

    def _label_of(self, radio: Locator, answer: str) -> Locator:
        """What a person clicks for a radio whose input hides: its own <label>, else its visible word."""
        ident = radio.get_attribute("id")
        # why: a <label> wraps the input, or points at it by id; neither has a role of its own
        own = self.page.locator("label").filter(has=radio)  # [guess] a styled radio's own label
        if ident:
            own = own.or_(self.page.locator(f"label[for='{ident}']"))
        own = own.filter(visible=True)
        if own.count():
            return own.first
        return self.page.get_by_text(label(answer)).filter(visible=True).first

    def go_to_step_2(self) -> RecapPage:
        """Click « Aller à l’étape 2 », let « Merci de patienter... » pass; return the page with « VALIDER »."""
        logger.info("click « {} »", NEXT_STEP)
        self.click(NEXT_STEP)
        recap = RecapPage(self.page, self.settings)
        timeouts = self.settings.timeouts
        try:
            recap.wait_until_here(timeout=timeouts.navigation + timeouts.wait_modal)
        except PortalChanged:
            wait = WaitModal(self.page, self.settings)
            if wait.shown():
                raise PortalUnavailable("Le portail reste sur « Merci de patienter... » après « Aller à l’étape 2 ».",
                                        page=wait.TITLE, url=self.page.url) from None
            raise
        WaitModal(self.page, self.settings).wait_gone()
        return recap
