"""The « Prolonger ma session » modal the portal shows before a session ends [seen]."""

from __future__ import annotations

from loguru import logger
from playwright.sync_api import Locator, Page

from ..labels import label
from .base import PortalPage


class SessionModal(PortalPage):
    """« Votre session va bientôt expirer » with « Prolonger ma session »."""

    PATH = None
    TITLE = "Prolonger ma session"

    def __init__(self, page: Page, settings):
        super().__init__(page, settings)
        self.extended = 0

    @property
    def extend_button(self) -> Locator:
        name = label("Prolonger ma session")
        return self.page.get_by_role("button", name=name).or_(self.page.get_by_role("link", name=name))

    @property
    def marker(self) -> Locator:
        return self.extend_button

    @classmethod
    def install(cls, page: Page, settings) -> "SessionModal":
        """Click « Prolonger ma session » whenever it shows, before any other action or check."""
        modal = cls(page, settings)

        def extend(button: Locator) -> None:
            logger.info("click « Prolonger ma session »")
            button.first.click(timeout=settings.timeouts.action)
            modal.extended += 1

        page.add_locator_handler(modal.extend_button, extend)
        return modal
