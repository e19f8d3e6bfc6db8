"""Adhesion wizard, step 1 « Ma demande »: the family's current answer and « MODIFIER » [seed].

The wizard lives under ``Demande/…`` like the portal's other démarches [seen]; its exact route is
not public, so the page is recognised by its words.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from ..labels import label
from .adhesion_form import QUESTION, AdhesionFormPage
from .base import PortalPage

PENDING = re.compile(r"en\s+cours\s+de\s+traitement|en\s+attente\s+de\s+(?:traitement|validation)|déjà\s+en\s+cours",
                     re.IGNORECASE)


class AdhesionPage(PortalPage):
    """« Adhésion à la facture/compte en ligne », step 1 « Ma demande » (read mode)."""

    PATH = re.compile(r"/espace-citoyens/Demande/", re.IGNORECASE)
    TITLE = "Adhésion à la facture/compte en ligne"

    @property
    def marker(self) -> Locator:
        return self.page.get_by_role("heading", name=label("Ma demande"))

    @property
    def modify_control(self) -> Locator:
        name = label("MODIFIER")
        return self.page.get_by_role("button", name=name).or_(self.page.get_by_role("link", name=name))

    @property
    def pending_message(self) -> Locator:
        return self.page.get_by_text(PENDING).filter(visible=True)

    def current_choice(self) -> str:
        """``"OUI"``, ``"NON"`` or ``"EN_ATTENTE"`` (a request is being processed)."""
        if self.pending_message.count():
            return "EN_ATTENTE"
        form = AdhesionFormPage(self.page, self.settings)
        if form.shown():
            # the question shown as radios straight away: the checked radio is the answer (the
            # text after the question would be the first radio's label, « OUI », whatever is checked)
            return form.checked() or "NON"
        answer = self.answer_to(QUESTION)
        if answer:
            return answer
        raise self.missing(QUESTION)

    def modify(self) -> AdhesionFormPage:
        """Click « MODIFIER »; return the question with its radios."""
        self.click(self.modify_control.filter(visible=True).first, "MODIFIER")
        return AdhesionFormPage(self.page, self.settings).wait_until_here()
