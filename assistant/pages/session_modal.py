"""The « Prolonger ma session » modal the portal shows before a session ends [seen]."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from loguru import logger
from playwright.sync_api import Locator, Page

from ..labels import label
from .clues import Clue
from .component import Component

# how many times « Prolonger ma session » was clicked, per browser page
_EXTENDED: "WeakKeyDictionary[Page, int]" = WeakKeyDictionary()


class SessionModal(Component):
    """« Votre session va bientôt expirer » with « Prolonger ma session »: answered before any action."""

    TITLE = "Prolonger ma session"
    PROOFS = (
        Clue("seen", "« Prolonger ma session »", lambda p: p.extend_button, words="Prolonger ma session"),
    )

    @property
    def extend_button(self) -> Locator:
        # [seen] « Prolonger ma session »; by its name only (looked for before every action: kept cheap)
        name = label("Prolonger ma session")
        return self.page.get_by_role("button", name=name).or_(self.page.get_by_role("link", name=name))

    @property
    def extended(self) -> int:
        """How many times the session was extended on this page."""
        return _EXTENDED.get(self.page, 0)

    def extend(self) -> bool:
        """Click « Prolonger ma session » if it shows; whether it did."""
        button = self.extend_button.filter(visible=True)
        if not button.count():
            return False
        logger.info("click « Prolonger ma session »")
        # the page's default timeout applies when no settings were given
        button.first.click(timeout=self.settings.timeouts.action if self.settings else None)
        _EXTENDED[self.page] = self.extended + 1
        return True
