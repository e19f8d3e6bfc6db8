"""Adhesion wizard after « MODIFIER »: « OUI » / « NON » to the question, then « Aller à l’étape 2 » [seed].

Recognised by the help page's words [seed]: the control « Aller à l’étape 2 », a control named
« OUI », or a control (a group, a list, a switch) the question names. How the answer is drawn is
not public [guess]: radios (native, hidden behind their labels, ARIA), a drop-down list, a
checkbox or switch, toggle or segmented buttons; each is found by the question and the answer's
word and used as a person would (:mod:`.choice`), then read again: it must show « OUI ».
"""

from __future__ import annotations

from loguru import logger
from playwright.sync_api import Locator

from ..errors import PortalChanged, PortalUnavailable, Unreadable
from ..labels import label
from .base import PortalPage
from .choice import choose as answer_question
from .choice import targets
from .clues import Clue
from .controls import control
from .reading import Reading, candidates, read_answer, unreadable
from .recap import QUESTION, RecapPage
from .wait_modal import WaitModal

__all__ = ["QUESTION", "AdhesionFormPage"]

NEXT_STEP = "Aller à l’étape 2"
# the roles a control named « OUI » may have: a radio, a toggle or segmented button, a list's option
_ANSWER_ROLES = ("radio", "menuitemradio", "button", "tab", "option")
# the roles of a control the question itself names: a group of radios, a list, a switch, a checkbox
_ASKED_ROLES = ("group", "radiogroup", "combobox", "listbox", "switch", "checkbox")


def _named(page, roles: tuple[str, ...], name) -> Locator:
    found = page.get_by_role(roles[0], name=name)
    for role in roles[1:]:
        found = found.or_(page.get_by_role(role, name=name))
    return found


class AdhesionFormPage(PortalPage):
    """« Souhaitez-vous adhérer à la facture en ligne ? » with « OUI » / « NON »."""

    TITLE = "Adhésion à la facture/compte en ligne (modification)"
    PROOFS = (
        Clue("seed", f"« {NEXT_STEP} »", lambda p: control(p.page, NEXT_STEP), words=NEXT_STEP),
        Clue("seed", "le choix « OUI »", lambda p: _named(p.page, _ANSWER_ROLES, label("OUI"))),
        Clue("seed", f"le groupe « {QUESTION} »", lambda p: p.question_group),
    )

    @property
    def question_group(self) -> Locator:
        """The control(s) the question names (a fieldset + legend, a radiogroup, a list, a switch), if any."""
        return _named(self.page, _ASKED_ROLES, label(QUESTION, loose=True))

    @property
    def next_step(self) -> Locator:
        """« Aller à l’étape 2 » [seed]: an <a> on the product's démarches [seen], any element here."""
        return self.control(NEXT_STEP)

    def editable(self) -> bool:
        """The question can be answered now (« Aller à l’étape 2 » shows)."""
        return control(self.page, NEXT_STEP).count() > 0

    def reading(self) -> Reading:
        """What the page shows for the question (its controls, or the answer written beside it)."""
        return read_answer(self.page, QUESTION)

    def radio(self, answer: str) -> Locator:
        """The one control a person uses now to answer « OUI » / « NON » (a radio, a button, a list...)."""
        found = targets(self.reading(), answer)
        if len(found) != 1:
            raise self.missing(answer)
        member = found[0].member(answer)
        assert member is not None
        return candidates(self.page).nth(member["i"])

    def checked(self) -> str:
        """The answer the form shows now (enabled or not: read mode may show disabled controls).

        :class:`Unreadable` when none is checked, two disagree, or the word is not an answer.
        """
        found = self.reading()
        if found.answer:
            return found.answer
        raise self.unreadable(found)

    def unreadable(self, found: Reading) -> Unreadable:
        return unreadable(found, page=self.TITLE, url=self.page.url)

    def choose(self, adhere: bool) -> "AdhesionFormPage":
        """Answer « OUI » (or « NON ») as a person would, and verify the control now shows it."""
        answer_question(self, QUESTION, "OUI" if adhere else "NON")
        return self

    def choose_yes(self) -> "AdhesionFormPage":
        """Answer « OUI » (the help page's step 4)."""
        return self.choose(True)

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
