"""The forced password change shown at first login (fact [seen], route and markup [guess])."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from ..errors import PasswordChangeRequired
from ..labels import label
from .base import PortalPage
from .clues import Clue

# [guess] the words of a password-change title
HEADING = re.compile(
    r"(?:changement|changer|modification|modifier|renouvel\w*|nouveau)\s+(?:de\s+|du\s+|votre\s+)*mot\s+de\s+passe",
    re.IGNORECASE,
)


class PasswordChangePage(PortalPage):
    """« Changement de mot de passe »: the family must choose a new password itself."""

    TITLE = "Changement de mot de passe"
    PRIVATE = False
    # The forced change at first login is [seen]; its route and wording are not [guess]: a form
    # with a new password and its confirmation shows two password fields, whatever its words.
    PROOFS = (
        Clue("seen", "deux champs de mot de passe", lambda p: p.page.locator("input[type=password]").nth(1)),
    )
    STATES = (
        Clue("guess", "le champ « Nouveau mot de passe »", lambda p: p.new_password),
        Clue("guess", "un titre « Changement de mot de passe »", lambda p: p.page.get_by_role("heading", name=HEADING)),
    )

    @property
    def new_password(self) -> Locator:
        return self.page.get_by_label(label("Nouveau mot de passe"))  # [guess]

    def refuse(self) -> PasswordChangeRequired:
        """The typed error to raise: the assistant never chooses a family's password."""
        return PasswordChangeRequired(
            "Le portail demande de choisir un nouveau mot de passe avant d’aller plus loin : "
            "la famille doit se connecter elle-même pour le faire.",
            page=self.TITLE, url=self.page.url,
        )
