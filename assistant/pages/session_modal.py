"""The « Prolonger ma session » modal the portal shows before a session ends [seen]."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from loguru import logger
from playwright.sync_api import Locator, Page

from .base import Clue, PortalPage
from .controls import control

if TYPE_CHECKING:
    from ..config import Settings

# one handler per browser page, however many times install() is called (runner and login step)
_INSTALLED: "WeakKeyDictionary[Page, SessionModal]" = WeakKeyDictionary()


class SessionModal(PortalPage):
    """« Votre session va bientôt expirer » with « Prolonger ma session »."""

    PATH = None
    TITLE = "Prolonger ma session"
    PROOFS = (
        Clue("seen", "« Prolonger ma session »", lambda p: p.extend_button, words="Prolonger ma session"),
    )

    def __init__(self, page: Page, settings: "Settings | None" = None):
        super().__init__(page, settings)
        self.extended = 0

    @property
    def extend_button(self) -> Locator:
        return control(self.page, "Prolonger ma session")  # [seen]

    @classmethod
    def install(cls, page: Page, settings: "Settings | None" = None) -> "SessionModal":
        """Click « Prolonger ma session » whenever it shows, before any other action or check.

        Idempotent per page; returns the installed modal (``extended`` counts the clicks).
        """
        if page in _INSTALLED:
            return _INSTALLED[page]
        modal = cls(page, settings)
        _INSTALLED[page] = modal

        def extend(button: Locator) -> None:
            logger.info("click « Prolonger ma session »")
            # the page's default timeout applies when no settings were given
            button.first.click(timeout=settings.timeouts.action if settings else None)
            modal.extended += 1

        page.add_locator_handler(modal.extend_button, extend)
        return modal
