"""The « Merci de patienter... » modal the portal shows between a démarche's steps [seen]."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from ..errors import PortalUnavailable
from ..labels import label
from .base import PortalPage

WAIT_WORDS = re.compile(f"{label('Merci de patienter...').pattern}|{label('Patientez...').pattern}", re.IGNORECASE)


class WaitModal(PortalPage):
    """« Merci de patienter... » / « Patientez... » over any private page."""

    PATH = None
    TITLE = "Merci de patienter..."

    @property
    def marker(self) -> Locator:
        return self.page.get_by_role("dialog", name=WAIT_WORDS).or_(self.page.get_by_text(WAIT_WORDS))

    def wait_gone(self, timeout: float | None = None) -> None:
        """Wait until no wait modal is visible; a modal that never goes is PortalUnavailable."""
        timeout = timeout if timeout is not None else self.settings.timeouts.wait_modal
        try:
            expect(self.marker.filter(visible=True)).to_have_count(0, timeout=timeout)
        except AssertionError as exc:
            raise PortalUnavailable("Le portail reste sur « Merci de patienter... ».",
                                    page=self.TITLE, url=self.page.url) from exc
