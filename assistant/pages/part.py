"""A component a person acts on: the invoices table's rows and links are clicked like a page's controls.

Its actions go through a page object of its own (:class:`~.base.PortalPage`), titled and masked
like the component, so that overlays are cleared first, the watchers told (the illustrated guide
photographs the component's own data masked) and errors typed the same way as on any page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from .base import PortalPage
from .component import Component

if TYPE_CHECKING:
    from ..config import Settings


class Part(Component):
    """A component with controls: :meth:`click` acts as :meth:`PortalPage.click` does."""

    def __init__(self, page: Page, settings: "Settings"):
        super().__init__(page, settings)
        self.host = _Host(self)

    def click(self, target: "Locator | str", control: str | None = None) -> None:
        """Click a control of the component (see :meth:`PortalPage.click`)."""
        self.host.click(target, control)


class _Host(PortalPage):
    """The page a :class:`Part` acts on, named and masked as the part."""

    def __init__(self, part: Part):
        super().__init__(part.page, part.settings)  # type: ignore[arg-type]
        self.part = part
        self.TITLE = part.TITLE

    def personal_data(self) -> list[Locator]:
        return self.part.personal_data()

    def personal_values(self) -> list[str]:
        return self.part.personal_values()
