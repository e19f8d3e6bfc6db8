"""Adhesion wizard, first page: the family's current answer and « MODIFIER » [seed].

Recognised by the help page's words [seed]: « MODIFIER », or the question « Souhaitez-vous
adhérer à la facture en ligne ? ». Its step title (« Ma demande ») and its route (under
``Demande/`` like the product's other démarches) are [guess] hints only. A request being
processed shows neither: its wording is not public [guess], so it is a *state* clue: it ends the
wait and is read as « EN_ATTENTE », never taken for a proof elsewhere.
"""

from __future__ import annotations

import re

from loguru import logger
from playwright.sync_api import Locator

from ..labels import label
from .adhesion_form import QUESTION, AdhesionFormPage
from .base import PortalPage
from .clues import Clue
from .controls import control

MODIFY = "MODIFIER"
# [guess] how a portal says a request is being processed (the seed does not say)
PENDING = re.compile(
    r"en\s+cours\s+de\s+(?:traitement|validation|instruction)|en\s+attente\s+de\s+(?:traitement|validation|instruction)"
    r"|(?:déjà|deja)\s+(?:été\s+)?(?:en\s+cours|transmise|déposée|enregistrée)|demande\s+en\s+cours",
    re.IGNORECASE)


class AdhesionPage(PortalPage):
    """« Adhésion à la facture/compte en ligne », first page (read mode)."""

    TITLE = "Adhésion à la facture/compte en ligne"
    PROOFS = (
        Clue("seed", f"« {MODIFY} »", lambda p: control(p.page, MODIFY), words=MODIFY),
        Clue("seed", f"la question « {QUESTION} »", lambda p: p.page.get_by_text(label(QUESTION, loose=True))),
    )
    STATES = (
        Clue("guess", "un message de demande en cours de traitement", lambda p: p.pending_message),
    )
    HINTS = (
        Clue("guess", "le titre « Ma demande »", lambda p: p.page.get_by_text(label("Ma demande", loose=True))),
    )
    #: shown in a part of « Mes factures » (a tab, a panel) at that page's address, not at one of its own
    in_place: bool = False

    @property
    def modify_control(self) -> Locator:
        """« MODIFIER » [seed], whatever its element; waits for it."""
        return self.control(MODIFY)

    @property
    def pending_message(self) -> Locator:
        return self.page.get_by_text(PENDING)

    def current_choice(self) -> str:
        """``"OUI"``, ``"NON"`` or ``"EN_ATTENTE"`` (a request is being processed); sends nothing.

        Read, in order: a pending request's message [guess]; the answer the page shows for the
        question, by its controls or the words beside it (:mod:`.reading`); when it shows none, the
        form after « MODIFIER », which only opens it [seed]. Nothing is ever submitted. No default:
        an answer shown but not readable (none checked, two that disagree, an unknown word), or none
        shown at all, is :class:`~assistant.errors.Unreadable` naming what was seen.
        """
        if self.pending_message.filter(visible=True).count():
            return "EN_ATTENTE"
        form = AdhesionFormPage(self.page, self.settings)
        found = form.reading()
        if found.answer:
            return found.answer
        if found.problem:
            raise form.unreadable(found)
        if control(self.page, MODIFY).count():
            logger.info("the answer is not shown in read mode: opening the form to read it (nothing is sent)")
            return self.modify().checked()
        if found.asked:
            raise form.unreadable(found)
        raise self.missing(QUESTION)

    def modify(self) -> AdhesionFormPage:
        """Click « MODIFIER »; return the question with its radios (already open: returned as is)."""
        form = AdhesionFormPage(self.page, self.settings)
        if form.editable():
            return form
        self.click(MODIFY)
        return form.wait_until_here()
