"""The portal's error page (HTTP 500, e.g. an ASP.NET unhandled error) [guess markup]."""

from __future__ import annotations

import re

from .base import Clue, PortalPage, document_status

ERROR_WORDS = re.compile(
    r"erreur\s+(?:technique|serveur|interne|inattendue)|une\s+erreur\s+(?:est\s+survenue|s.est\s+produite)"
    r"|internal\s+server\s+error|server\s+error|erreur\s+500",
    re.IGNORECASE,
)


class ServerErrorPage(PortalPage):
    """Error page shown instead of the page asked for (HTTP 5xx)."""

    TITLE = "Erreur du portail"
    PRIVATE = False
    # The HTTP status tells it (is_here); its words in a heading end a wait sooner. A heading only:
    # the same words in a news item of an ordinary page must not count.
    STATES = (
        Clue("guess", "un titre « erreur »", lambda p: p.page.get_by_role("heading", name=ERROR_WORDS)),
    )

    def is_here(self) -> bool:
        status = document_status(self.page)
        return status >= 500 or self.shown()

    def status(self) -> int:
        return document_status(self.page)
