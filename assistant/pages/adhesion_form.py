"""Adhesion wizard, step 1 after « MODIFIER »: the OUI/NON question and « Aller à l’étape 2 » [seed]."""

from __future__ import annotations

import re

from loguru import logger
from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalChanged, PortalUnavailable
from ..labels import label
from .base import PortalPage
from .recap import QUESTION, RecapPage
from .wait_modal import WaitModal

__all__ = ["QUESTION", "AdhesionFormPage"]


class AdhesionFormPage(PortalPage):
    """« Souhaitez-vous adhérer à la facture en ligne ? » with radios « OUI » / « NON »."""

    PATH = re.compile(r"/espace-citoyens/Demande/", re.IGNORECASE)
    TITLE = "Adhésion à la facture/compte en ligne (modification)"

    @property
    def question_group(self) -> Locator:
        """The radios' group named by the question (a fieldset + legend, or a radiogroup)."""
        name = label(QUESTION)
        return self.page.get_by_role("group", name=name).or_(self.page.get_by_role("radiogroup", name=name))

    @property
    def marker(self) -> Locator:
        return self.question_group

    def radio(self, answer: str) -> Locator:
        return self.question_group.get_by_role("radio", name=label(answer))

    @property
    def next_step(self) -> Locator:
        # « Aller à l’étape 2 » is an <a> on the portal's démarches [seen]; a button elsewhere would do too
        name = label("Aller à l’étape 2")
        return self.page.get_by_role("link", name=name).or_(self.page.get_by_role("button", name=name))

    def checked(self) -> str | None:
        """The answer checked now, if any."""
        for answer in ("OUI", "NON"):
            if self.radio(answer).count() == 1 and self.radio(answer).is_checked():
                return answer
        return None

    def choose(self, adhere: bool) -> "AdhesionFormPage":
        """Check « OUI » (or « NON ») in the question's group and verify it is checked."""
        answer = "OUI" if adhere else "NON"
        radio = self.radio(answer)
        logger.info("check « {} » ({})", answer, QUESTION)
        self.about_to_act(radio, answer)
        try:
            radio.check(timeout=self.settings.timeouts.action)
        except PlaywrightTimeout:
            # styled radios hide the input: click its label, as a person would
            self.click(self.question_group.get_by_text(label(answer)), answer)
        try:
            expect(radio).to_be_checked(timeout=self.settings.timeouts.action)
        except AssertionError as exc:
            raise PortalChanged(f"« {answer} » n’a pas pu être coché pour « {QUESTION} ».",
                                page=self.TITLE, url=self.page.url, control=answer) from exc
        return self

    def go_to_step_2(self) -> RecapPage:
        """Click « Aller à l’étape 2 », let « Merci de patienter... » pass; return « Le récapitulatif »."""
        logger.info("click « Aller à l’étape 2 »")
        self.click(self.next_step.filter(visible=True).first, "Aller à l’étape 2")
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
