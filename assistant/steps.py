"""Steps and flows as data (after Playwright Test's steps and Elastic's journey/step).

A :class:`Step` carries its number, the French instruction exactly as the portal's help gives it,
the action, the page it must end on, and whether it changes anything on the portal. A
:class:`Flow` is an ordered list of steps plus a login step; the same list feeds the automation,
the rehearsal, the monitoring and the illustrated guide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from .config import Settings
    from .pages.base import PortalPage


@dataclass
class Journey:
    """What a step's action works with: the browser page, the settings, and what was learnt."""

    page: "Page"
    context: "BrowserContext"
    settings: "Settings"
    current: "PortalPage | None" = None
    facts: dict[str, Any] = field(default_factory=dict)
    #: the address each page was reached at (page title -> URL), for reading a page back later
    visited: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    action: Callable[[Journey], "PortalPage"]
    ends_on: type["PortalPage"]
    writes: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    login: Step
    steps: tuple[Step, ...]
    # Log off at the end (what the portal's own clients do); a hand-off to a person keeps the session.
    log_off: bool = True


class EndFlow(Exception):
    """Control flow, not an error: the family's real state ends the journey early with ``outcome``."""

    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome
        self.message = message
