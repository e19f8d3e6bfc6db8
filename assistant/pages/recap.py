"""Adhesion wizard, the page with the green « VALIDER » [seed] (« Le récapitulatif » [seen chrome]).

The help page calls it « une page de confirmation » and names one control on it: « VALIDER » [seed].
That is what recognises it. Its title (« Le récapitulatif », « Vérifiez avant de valider votre
demande ») and whether it repeats the answer are [guess] hints: when the answer is shown it must
be « OUI » before anything is sent; when it is not shown, the radio checked one step earlier is
what was sent, and the state is read back after « VALIDER ».
"""

from __future__ import annotations

from loguru import logger
from playwright.sync_api import Locator

from ..errors import PortalChanged
from ..labels import label
from .base import PortalPage
from .clues import Clue
from .confirmation import ConfirmationPage
from .controls import control

# The seed's question, the anchor for reading answers on the wizard's pages
QUESTION = "Souhaitez-vous adhérer à la facture en ligne ?"
VALIDATE = "VALIDER"


class RecapPage(PortalPage):
    """The last page before sending: « VALIDER »."""

    TITLE = "Le récapitulatif"
    PROOFS = (
        Clue("seed", f"« {VALIDATE} »", lambda p: control(p.page, VALIDATE, roles=("button", "link")), words=VALIDATE),
    )
    HINTS = (
        Clue("guess", "le titre « Le récapitulatif »", lambda p: p.page.get_by_text(label("récapitulatif", loose=True))),
        Clue("guess", "la question et sa réponse", lambda p: p.page.get_by_text(label(QUESTION, loose=True))),
    )

    def __init__(self, page, settings):
        super().__init__(page, settings)
        self.validated = False  # a click on « VALIDER » was attempted: never a second one
        self.clicked = False  # the click happened: something may have been sent

    @property
    def validate_button(self) -> Locator:
        """The green « VALIDER » [seed] (a ``<button class="btn-style3">`` on other démarches [seen])."""
        return self.control(VALIDATE, roles=("button", "link"))

    def answer(self) -> str | None:
        """The answer about to be sent, « OUI » or « NON », when the page shows it (None otherwise)."""
        return self.answer_to(QUESTION)

    def validate(self) -> ConfirmationPage:
        """Click « VALIDER » exactly once (never retried); return the confirmation page."""
        if self.validated:
            raise PortalChanged("« VALIDER » a déjà été cliqué sur ce récapitulatif : pas de second envoi.",
                                page=self.TITLE, url=self.page.url, control=VALIDATE)
        button = self.validate_button
        self.validated = True
        logger.info("click « VALIDER »")
        self.click(button, VALIDATE)  # raises before any click when the button cannot be clicked
        self.clicked = True
        timeouts = self.settings.timeouts
        return ConfirmationPage(self.page, self.settings).wait_until_here(
            timeout=timeouts.navigation + timeouts.wait_modal, leaving=button)
