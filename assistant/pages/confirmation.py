"""Adhesion wizard, after « VALIDER »: a confirmation that names the request [seen chrome].

On the product's démarches the confirmation shows the request's number and status, and the
request then appears in « Mes démarches » [seen]. The number is the proof; the sentence around
it (« Votre demande a bien été enregistrée ») is a [guess] state clue that also ends the wait.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from .base import PortalPage
from .clues import Clue
from .controls import control
from .requests import RequestsPage

# [guess] the sentence around the request (the product's démarches show number and status [seen])
CONFIRMED = re.compile(
    r"(?:demande|d[ée]marche)\b[^.!\n]{0,80}?\b(?:bien\s+)?(?:été\s+)?(?:enregistr|transmis|prise?\s+en\s+compte|envoy|re[çc]u|valid)",
    re.IGNORECASE)
# [seen] a confirmation names the request by its number; the words before it are tolerant
NUMBER = re.compile(
    r"(?:N°|n°|num[ée]ro|r[ée]f[ée]rence)\s*(?:de\s+(?:la\s+|votre\s+)?(?:demande|d[ée]marche|dossier)\s*)?:?\s*"
    r"([A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_]*)", re.IGNORECASE)
# [seen] and its status
STATUS = re.compile(r"\b(?:Statut|État|Etat)[ \t\u00a0\u202f]*:?[ \t\u00a0\u202f]*([^\n]*)", re.IGNORECASE)


class ConfirmationPage(PortalPage):
    """« N° de demande », « Statut » (and « Votre demande a bien été enregistrée »)."""

    TITLE = "Confirmation de la demande"
    PROOFS = (
        Clue("seen", "le numéro de la demande", lambda p: p.page.get_by_text(NUMBER)),
    )
    STATES = (
        Clue("guess", "« Votre demande a bien été enregistrée »", lambda p: p.page.get_by_text(CONFIRMED)),
    )

    @property
    def requests_link(self) -> Locator:
        return control(self.page, "Mes démarches")

    def request(self) -> tuple[str | None, str | None]:
        """The request's number (e.g. ``2026-000123``) and status (« Acceptée »...), as the page shows them.

        None where the page shows none (no number, « N° : — », an empty status): never invented.
        """
        text = self.content_text()
        number, status = NUMBER.search(text), STATUS.search(text)
        said = status.group(1).strip(" .:-–—\t\u00a0\u202f") if status else ""
        return (number.group(1).rstrip(".") if number else None, said if re.search(r"\w", said) else None)

    def request_number(self) -> str | None:
        """The request's number as the portal shows it, None if not shown."""
        return self.request()[0]

    def status(self) -> str | None:
        """The request's status, None if not shown."""
        return self.request()[1]

    def open_requests(self) -> RequestsPage:
        # the menu and the page both link to « Mes démarches »: the same place
        self.click("Mes démarches")
        return RequestsPage(self.page, self.settings).wait_until_here()
