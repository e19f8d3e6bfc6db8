"""The « Mon espace perso » login modal of the newer portal generation.

Its HTML fragment comes from ``POST Home/RecupererModaleConnexion``; it posts to
``POST Home/LogonAjax``, which answers JSON ``{"Status", "LocationHref" | "Message"}`` [seen].
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from playwright.sync_api import Locator

from ..labels import label
from .clues import Clue
from .component import Component

if TYPE_CHECKING:
    from playwright.sync_api import Page

# [guess] the identifiant field's label (the field's name `username` is [seen])
USERNAME_LABEL = re.compile(
    r"^\s*(?:identifiant|nom\s+d.utilisateur|login|courriel|e-?mail|adresse\s+(?:e-?mail|électronique|mail))\b",
    re.IGNORECASE,
)
# « Connexion » [seen]; the other wordings a tenant may use [guess]
LOGIN_BUTTON = re.compile(r"^\W*(?:connexion|se\s+connecter|me\s+connecter|je\s+me\s+connecte|connecter|valider)\W*$",
                          re.IGNORECASE)


def password_field(scope: "Page | Locator") -> Locator:
    """« Mot de passe » within ``scope`` (both login generations use it)."""
    # why: a password input is recognisable by its type whatever its label says
    # [seen] `password` field; [guess] its label « Mot de passe »
    return scope.get_by_label(label("Mot de passe")).or_(scope.locator("input[type=password]"))


def username_field(scope: "Page | Locator") -> Locator:
    """The identifiant field within ``scope``."""
    # why: `name=username` is the portal's field name [seen], kept as a fallback to the label
    return scope.get_by_label(USERNAME_LABEL).or_(scope.locator("input[name=username]"))


class LoginModal(Component):
    """The login dialog: username, « Mot de passe », « Connexion »."""

    TITLE = "Mon espace perso"
    PROOFS = (Clue("seen", "la fenêtre de connexion (un champ mot de passe)", lambda p: p.root),)

    @property
    def root(self) -> Locator:
        """The dialog holding a password field (or the form holding it if not marked as a dialog)."""
        dialog = self.page.get_by_role("dialog").filter(has=password_field(self.page))  # [seen] the modal login
        # why: some generations do not mark the modal as a dialog: the form with a password field is it
        form = self.page.locator("form").filter(has=password_field(self.page))
        return dialog.or_(form).filter(visible=True).first

    @property
    def username(self) -> Locator:
        return username_field(self.root).first

    @property
    def password(self) -> Locator:
        return password_field(self.root).first

    @property
    def submit(self) -> Locator:
        return self.root.get_by_role("button", name=LOGIN_BUTTON)

    def personal_data(self) -> list[Locator]:
        return [username_field(self.page), password_field(self.page)]

    @property
    def error_message(self) -> Locator:
        # why: `span.erreurLogin` is where the portal writes its login messages [seen]
        return self.root.locator(".erreurLogin").or_(self.root.get_by_role("alert")).filter(visible=True)
