"""What a person sees that tells a page or a part of a page, with where we know it from.

A page (:class:`~.base.PortalPage`) or a component (:class:`~.component.Component`) declares a
French ``TITLE`` for messages and how it is recognised, each clue tagged with where we know it from
(the marks of docs/portal.md):

- ``PROOFS``: what the help page [seed] or public sources [seen] say it shows; any one of them,
  visible, tells it. Never a [guess].
- ``STATES``: [guess] wordings of a state that hides the proofs (a request being processed has
  no « MODIFIER »): they end a wait like a proof, and are read as that state, nothing more.
- ``HINTS``: [guess] clues (a step heading, a wizard route). They may be absent; they only
  confirm, and name what changed in a drift report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

Source = Literal["seed", "seen", "guess"]


@dataclass(frozen=True)
class Clue:
    """Something a person sees on a page, with where we know it from.

    ``says`` names it in French for messages; ``words`` is the documented label when the clue is a
    control (drift reports then look for the nearest control on the page); ``find`` builds the
    locator from the page object (or component) that declares it.
    """

    source: Source
    says: str
    find: Callable[[Any], Locator]
    words: str | None = None


class Recognisable:
    """What pages and components share: their clues, and probing them without waiting."""

    TITLE: str = "page du portail"
    PROOFS: tuple[Clue, ...] = ()
    STATES: tuple[Clue, ...] = ()
    HINTS: tuple[Clue, ...] = ()
    page: Page

    @property
    def marker(self) -> Locator:
        """Any proof, visible."""
        return self._any(self.PROOFS)

    @property
    def awaited(self) -> Locator:
        """What ends a wait for it: a proof, or a state that hides the proofs."""
        return self._any(self.PROOFS + self.STATES)

    def _any(self, clues: tuple[Clue, ...]) -> Locator:
        if not clues:
            # why: a page known by its address only has no proof to show: a locator matching nothing
            return self.page.locator("html:not(html)")
        found = clues[0].find(self)
        for clue in clues[1:]:
            found = found.or_(clue.find(self))
        return found.filter(visible=True)

    def shown(self) -> bool:
        """Whether a proof (or a state clue) is visible right now (no waiting)."""
        return self.awaited.count() > 0

    def absent(self, clue: Clue) -> bool:
        """Whether ``clue`` is not visible now (a page that navigates away counts as absent)."""
        try:
            return clue.find(self).filter(visible=True).count() == 0
        except PlaywrightError:
            return True


# The HTTP status of the document shown, read from the browser's own navigation timing
# (no response listener needed, works for pages reached by a click or a form POST).
_STATUS_JS = "() => { const e = performance.getEntriesByType('navigation')[0]; return e ? (e.responseStatus || 0) : 0; }"


def document_status(page: Page) -> int:
    """HTTP status of the document shown in ``page`` (0 when unknown, e.g. ``set_content``)."""
    try:
        return int(page.evaluate(_STATUS_JS) or 0)
    except PlaywrightError:
        # the page is navigating: the next wait will look again
        return 0


def address_matches(pattern: "re.Pattern[str] | None", url: str) -> bool:
    """Whether ``url``'s path (query and fragment left out) is the public address ``pattern`` says."""
    return pattern is not None and bool(pattern.search(url.split("?", 1)[0].split("#", 1)[0]))
