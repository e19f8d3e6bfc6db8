"""The portal's error page (HTTP 500, e.g. an ASP.NET unhandled error) [guess markup]."""

from __future__ import annotations

from .base import PortalPage
from .clues import Clue, document_status
from .interruptions import ERROR_TITLE, ERROR_WORDS, error_heading, error_shown

__all__ = ["ERROR_WORDS", "ServerErrorPage"]


class ServerErrorPage(PortalPage):
    """Error page shown instead of the page asked for (HTTP 5xx)."""

    TITLE = ERROR_TITLE
    PRIVATE = False
    # The HTTP status tells it (is_here); its words in a heading end a wait sooner (see .interruptions).
    STATES = (
        Clue("guess", "un titre « erreur »", lambda p: error_heading(p.page)),
    )

    def is_here(self) -> bool:
        return error_shown(self.page)

    def status(self) -> int:
        return document_status(self.page)
