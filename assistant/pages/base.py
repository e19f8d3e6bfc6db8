"""What every portal page object shares (after woob's ``URL(regex, Page)`` + ``Page.is_here``).

A page declares its ``PATH`` (a regex on the URL), a French ``TITLE`` for messages, the
``marker`` locator that tells it is shown, its controls once as properties (role + French label
through :func:`assistant.labels.label`), and the locators holding personal data (masked in
screenshots). Pages raise typed errors; the runner decides what to do with them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalChanged

if TYPE_CHECKING:
    from ..config import Settings

P = TypeVar("P", bound="PortalPage")


class PortalPage:
    """Base of all page objects: recognise, wait, act with typed errors."""

    PATH: re.Pattern[str] | None = None
    TITLE: str = "page du portail"

    def __init__(self, page: Page, settings: "Settings"):
        self.page = page
        self.settings = settings

    # -- recognising -------------------------------------------------------------------------
    @property
    def marker(self) -> Locator:
        """What a person sees that says this page is shown (a heading, usually)."""
        raise NotImplementedError

    def url_matches(self) -> bool:
        return self.PATH is None or bool(self.PATH.search(self.page.url.split("?", 1)[0]))

    def is_here(self) -> bool:
        """Probe without waiting."""
        return self.url_matches() and self.marker.count() > 0

    def wait_until_here(self: P, timeout: float | None = None) -> P:
        """Wait until this page shows; a timeout becomes :class:`PortalChanged` naming what is missing."""
        timeout = timeout if timeout is not None else self.settings.timeouts.navigation
        try:
            expect(self.marker.first).to_be_visible(timeout=timeout)
        except AssertionError as exc:
            raise PortalChanged(
                f"Page « {self.TITLE} » non reconnue : « {self.marker_name()} » est introuvable.",
                page=self.TITLE, url=self.page.url, control=self.marker_name(),
            ) from exc
        if not self.url_matches():
            raise PortalChanged(
                f"Page « {self.TITLE} » attendue, mais l’adresse ne correspond pas.",
                page=self.TITLE, url=self.page.url,
            )
        return self

    def marker_name(self) -> str:
        return self.TITLE

    # -- personal data -----------------------------------------------------------------------
    def personal_data(self) -> list[Locator]:
        """Locators masked in screenshots (names, identifiers, amounts tied to a family)."""
        return [self.page.locator("input[type=password]"), self.page.locator("input[name=username]")]

    def personal_values(self) -> list[str]:
        """Personal strings shown on this page, scrubbed from saved HTML and traces."""
        return []

    # -- acting --------------------------------------------------------------------------------
    def click(self, locator: Locator, control: str) -> None:
        """Click a control named by its French label; a missing control is portal drift."""
        try:
            locator.click(timeout=self.settings.timeouts.action)
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc
        except PlaywrightError as exc:
            if "strict mode violation" in exc.message:
                raise PortalChanged(
                    f"Sur « {self.TITLE} », plusieurs contrôles « {control} » : lequel choisir n’est plus clair.",
                    page=self.TITLE, url=self.page.url, control=control,
                ) from exc
            raise

    def missing(self, control: str) -> PortalChanged:
        return PortalChanged(
            f"Sur la page « {self.TITLE} », le contrôle « {control} » est introuvable.",
            page=self.TITLE, url=self.page.url, control=control,
        )

    def text_of(self, locator: Locator, control: str) -> str:
        """Inner text of a control, or :class:`PortalChanged` when it is not there."""
        try:
            return locator.inner_text(timeout=self.settings.timeouts.action).strip()
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc
