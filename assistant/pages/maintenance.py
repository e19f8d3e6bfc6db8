"""The portal's maintenance page: HTTP 503 on any route; its markup and wording are [guess]."""

from __future__ import annotations

from .base import PortalPage
from .clues import Clue
from .interruptions import MAINTENANCE_TITLE, MAINTENANCE_WORDS, maintenance_heading, maintenance_shown

__all__ = ["MAINTENANCE_WORDS", "MaintenancePage"]


class MaintenancePage(PortalPage):
    """Maintenance notice shown instead of any page (HTTP 503)."""

    TITLE = MAINTENANCE_TITLE
    PRIVATE = False
    # The HTTP status tells it (is_here); its words in a heading end a wait sooner (see .interruptions).
    STATES = (
        Clue("guess", "un titre « maintenance »", lambda p: maintenance_heading(p.page)),
    )

    def is_here(self) -> bool:
        return maintenance_shown(self.page)
