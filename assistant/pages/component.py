"""Components: overlays and fragments shown over or inside a page, not pages.

« Merci de patienter... », « Prolonger ma session », the login window, the invoices table and an
invoice's detail are parts of whatever page carries them: they are recognised by their own clues
(:class:`~.clues.Recognisable`), but never listed in the table of pages (:mod:`.table`) and never
waited for as a page is. The overlays among them are cleared before each action
(:meth:`~.base.PortalPage.clear_overlays`); whatever else covers the page is found by :mod:`.covers`
and sorted by :mod:`.dialogs` (consent overlays by :mod:`.consent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from .clues import Recognisable

if TYPE_CHECKING:
    from ..config import Settings


class Component(Recognisable):
    """A part of the page shown in ``page``: recognised by its clues, read or answered in place."""

    TITLE = "élément du portail"

    def __init__(self, page: Page, settings: "Settings | None" = None):
        self.page = page
        self.settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.page.url!r})"

    def personal_data(self) -> list[Locator]:
        """Locators masked in screenshots (names, identifiers, amounts tied to a family)."""
        return []

    def personal_values(self) -> list[str]:
        """Personal strings shown, scrubbed from saved HTML and traces."""
        return []
