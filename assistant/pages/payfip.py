"""The payment provider's page: the State's PayFiP, where a person enters the card.

Its two URL shapes are public [seen]: ``/tpa/paiement.web?numcli=…&exer=…&refdet=…&objet=…
&montant=…&mel=…&urlcl=…&saisie=…`` (``montant`` in cents; ``saisie`` T test, X activation,
W production) and ``/tpa/paiementws.web?idop=…``. Its markup is not ours to know, so the page is
recognised by its address and a heading about payment. The assistant reads this page, never
types in it: the card is for the family or the agent to enter.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Locator

from ..invoices.french import CENT, UnreadableText
from ..labels import label
from .base import PortalPage
from .clues import Clue

SAISIE_FR = {"T": "test", "X": "activation", "W": "production"}


class PayfipPage(PortalPage):
    """« Paiement de vos créances publiques » — PayFiP (``/tpa/paiement.web``)."""

    PATH = re.compile(r"/tpa/paiement(?:ws)?\.web$", re.IGNORECASE)  # [seen] PayFiP's two URL shapes
    TITLE = "Paiement PayFiP"
    PRIVATE = False  # another site: the portal's login page cannot replace it

    # the provider's wording is not ours [guess]: its address [seen] tells it, a heading about
    # payment or its own name ends a wait sooner
    STATES = (
        Clue("guess", "un titre « paiement »", lambda p: p.page.get_by_role("heading", name=label("paiement", exact=False))),
        Clue("guess", "le nom PayFiP", lambda p: p.page.get_by_text(re.compile(r"\bPayFiP\b", re.IGNORECASE))),
    )

    @property
    def card_fields(self) -> Locator:
        """The card inputs (what only a person fills in)."""
        # why: card inputs are named by the provider; the autocomplete tokens are the standard ones
        # [guess] the provider's card fields (standard autocomplete tokens)
        return self.page.locator("input[autocomplete^='cc-']").or_(
            self.page.get_by_label(label("Numéro de carte", exact=False)))

    def params(self) -> dict[str, str]:
        """The query of the payment address (``refdet``, ``montant`` in cents, ``saisie``...)."""
        return {k.lower(): v for k, v in parse_qsl(urlsplit(self.page.url).query, keep_blank_values=True)}

    def amount(self) -> Decimal | None:
        """The amount the provider asks (``montant``, in cents [seen]); None when the address does not carry it
        (``paiementws.web?idop=…``); :class:`UnreadableText` when it carries something that is not cents."""
        asked = self.params().get("montant")
        if asked is None:
            return None
        if not re.fullmatch(r"\d{1,9}", asked.strip()):
            raise UnreadableText("montant demandé", asked)
        return (Decimal(asked.strip()) / 100).quantize(CENT)

    @property
    def mode(self) -> str:
        """« test », « production », « activation », or « inconnu » (``paiementws.web`` hides it)."""
        return SAISIE_FR.get(self.params().get("saisie", ""), "inconnu")

    def hand_over(self, person: Callable[["PayfipPage"], None] | None) -> "PayfipPage":
        """Leave this page to ``person`` (they return once done); with nobody there, leave it as is.

        The assistant types nothing here: a person enters the card."""
        if person is not None:
            person(self)
        return self

    def personal_data(self) -> list[Locator]:
        return [self.page.locator("main, body").first]
