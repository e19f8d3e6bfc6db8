"""The portal's maintenance page: HTTP 503 on any route; its markup and wording are [guess]."""

from __future__ import annotations

import re

from .base import Clue, PortalPage, document_status

# The wording is not public: any of these words in a heading or a paragraph says « maintenance ».
# [guess] the maintenance notice's words
MAINTENANCE_WORDS = re.compile(
    r"maintenance|temporairement\s+(?:indisponible|fermé)|service\s+(?:momentanément\s+)?indisponible"
    r"|service\s+unavailable",
    re.IGNORECASE,
)


class MaintenancePage(PortalPage):
    """Maintenance notice shown instead of any page (HTTP 503)."""

    TITLE = "Maintenance du portail"
    PRIVATE = False
    # The HTTP status tells it (is_here); its words in a heading end a wait sooner. A heading only:
    # the same words in a news item of an ordinary page must not count.
    STATES = (
        Clue("guess", "un titre « maintenance »", lambda p: p.page.get_by_role("heading", name=MAINTENANCE_WORDS)),
    )

    def is_here(self) -> bool:
        return document_status(self.page) == 503 or self.shown()
