"""Adhesion wizard, step 2 « Le récapitulatif » with the green « VALIDER » [seen chrome, seed]."""

from __future__ import annotations

import re

from loguru import logger
from playwright.sync_api import Locator

from ..errors import PortalChanged
from ..labels import label
from .base import PortalPage
from .confirmation import ConfirmationPage

# The seed's question, the anchor for reading answers on step 1 and on the recap
QUESTION = "Souhaitez-vous adhérer à la facture en ligne ?"


class RecapPage(PortalPage):
    """« Le récapitulatif »: « Vérifiez avant de valider votre demande », then « VALIDER »."""

    PATH = re.compile(r"/espace-citoyens/Demande/", re.IGNORECASE)
    TITLE = "Le récapitulatif"

    def __init__(self, page, settings):
        super().__init__(page, settings)
        self._validated = False

    @property
    def marker(self) -> Locator:
        return self.page.get_by_role("heading", name=label("Le récapitulatif"))

    @property
    def validate_button(self) -> Locator:
        # the green « VALIDER » is a <button class="btn-style3"> [seen]: found by role and label
        return self.page.get_by_role("button", name=label("VALIDER"))

    def answer(self) -> str:
        """The answer about to be sent, « OUI » or « NON »."""
        answer = self.answer_to(QUESTION)
        if answer is None:
            raise self.missing(QUESTION)
        return answer

    def validate(self) -> ConfirmationPage:
        """Click « VALIDER » exactly once (never retried); return the confirmation page."""
        if self._validated:
            raise PortalChanged("« VALIDER » a déjà été cliqué sur ce récapitulatif : pas de second envoi.",
                                page=self.TITLE, url=self.page.url, control="VALIDER")
        self._validated = True
        logger.info("click « VALIDER »")
        self.click(self.validate_button, "VALIDER")
        timeouts = self.settings.timeouts
        return ConfirmationPage(self.page, self.settings).wait_until_here(
            timeout=timeouts.navigation + timeouts.wait_modal)
