"""Adhesion wizard, the confirmation page: request number and status [seen chrome]."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from ..labels import label
from .base import PortalPage
from .requests import RequestsPage

CONFIRMED = re.compile(r"demande\s+a\s+(?:bien\s+)?été\s+(?:enregistrée|transmise|prise\s+en\s+compte|envoyée)",
                       re.IGNORECASE)
NUMBER = re.compile(r"N°\s*(?:de\s+(?:la\s+)?demande)?\s*:?\s*([A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_]*)", re.IGNORECASE)
STATUS = re.compile(r"(?:Statut|État|Etat)\s*:?\s*([^\n]+)", re.IGNORECASE)


class ConfirmationPage(PortalPage):
    """« Votre demande a bien été enregistrée », « N° de demande », « Statut »."""

    PATH = re.compile(r"/espace-citoyens/Demande/", re.IGNORECASE)
    TITLE = "Confirmation de la demande"

    @property
    def marker(self) -> Locator:
        return self.page.get_by_text(CONFIRMED)

    @property
    def requests_link(self) -> Locator:
        return self.page.get_by_role("link", name=label("Mes démarches")).filter(visible=True)

    def request_number(self) -> str:
        """The request's number as the portal shows it (e.g. ``2026-000123``)."""
        found = NUMBER.search(self.content_text())
        if not found:
            raise self.missing("N° de demande")
        return found.group(1).rstrip(".")

    def status(self) -> str:
        """The request's status (e.g. « Acceptée », « En cours de traitement »)."""
        found = STATUS.search(self.content_text())
        if not found:
            raise self.missing("Statut")
        return found.group(1).strip()

    def open_requests(self) -> RequestsPage:
        # the menu and the page both link to « Mes démarches »: the same place
        self.click(self.requests_link.first, "Mes démarches")
        return RequestsPage(self.page, self.settings).wait_until_here()
