"""The portal's maintenance page (HTTP 503 on any route) [guess markup]."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from .base import PortalPage, document_status

# The wording is not public: any of these words in a heading or a paragraph says « maintenance ».
MAINTENANCE_WORDS = re.compile(
    r"maintenance|temporairement\s+(?:indisponible|fermé)|service\s+(?:momentanément\s+)?indisponible"
    r"|service\s+unavailable",
    re.IGNORECASE,
)


class MaintenancePage(PortalPage):
    """Maintenance notice shown instead of any page (HTTP 503)."""

    PATH = None  # served on whatever route was asked
    TITLE = "Maintenance du portail"
    PRIVATE = False

    @property
    def marker(self) -> Locator:
        # a heading only: the same words in a news item of an ordinary page must not count
        return self.page.get_by_role("heading", name=MAINTENANCE_WORDS)

    def is_here(self) -> bool:
        return document_status(self.page) == 503 or self.shown()

    def message(self) -> str:
        """The portal's own sentence (for the report)."""
        return self.marker.filter(visible=True).first.inner_text(timeout=self.settings.timeouts.action).strip()
