"""The « Merci de patienter... » modal the portal shows between a démarche's steps [seen].

Its wording is public (« Patientez... / Merci de patienter... ») [seen], its markup and duration
are not [guess]: a dialog or any element with those words; « Chargement en cours » is read the
same way [guess]. It is a component over any private page, not a page.
"""

from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalUnavailable
from ..labels import label
from .clues import Clue
from .component import Component

# [seen] « Patientez... / Merci de patienter... »; [guess] the two other wordings
WAIT_WORDS = re.compile(
    "|".join(label(words, loose=True).pattern for words in ("Merci de patienter...", "Patientez...",
                                                           "Veuillez patienter", "Chargement en cours")),
    re.IGNORECASE)


class WaitModal(Component):
    """« Merci de patienter... » / « Patientez... » over any private page."""

    TITLE = "Merci de patienter..."
    PROOFS = (
        Clue("seen", "« Merci de patienter... »",
             lambda p: p.page.get_by_role("dialog", name=WAIT_WORDS).or_(p.page.get_by_text(WAIT_WORDS))),
    )

    def wait_gone(self, timeout: float | None = None) -> None:
        """Wait until no wait modal is visible; a modal that never goes is PortalUnavailable."""
        timeout = timeout if timeout is not None else self.settings.timeouts.wait_modal
        try:
            # why wait_for on the first visible one: it polls on every frame (see wait_until_here)
            self.marker.first.wait_for(state="hidden", timeout=timeout)
        except PlaywrightTimeout as exc:
            raise PortalUnavailable("Le portail reste sur « Merci de patienter... ».",
                                    page=self.TITLE, url=self.page.url) from exc

    def wait_gone_if_shown(self) -> bool:
        """Before an action: let a wait modal that shows now go away; whether one showed."""
        if not self.shown():
            return False
        self.wait_gone()
        return True
