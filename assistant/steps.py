"""Steps and flows as data (after Playwright Test's steps and Elastic's journey/step).

A :class:`Step` carries its number, the French instruction exactly as the portal's help gives it,
and the **page method that performs it**, e.g. ``AdhesionFormPage.go_to_step_2``: the page the
step starts on is the method's class, the page it leads to is the method's return type, and the
runner checks both. A page's classmethod (``InvoicesPage.open``) goes to that page from wherever
the journey is. What the reached page says (the family's state, a request number) is read by the
step's ``read`` into the flow's typed result, and may end the journey early (:class:`EndFlow`); ``args`` gives an act its
arguments from that result (the invoice to pay);
``check`` runs before the act and may refuse it; ``recover`` decides what a failed writing act
means once its click may have reached the portal. A :class:`Flow` is a login step, its steps and
the type of the result they fill, which lands in the run's report.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from .pages.base import PortalPage
from .pages.table import PAGES

#: reads the page a step reached into the flow's result; may raise EndFlow or an AssistantError
Read = Callable[[Any, Any], None]
#: a writing act failed after its click may have gone: (page, error, result) -> the page it led to
Recover = Callable[[Any, Exception, Any], PortalPage]


_PAGES_BY_NAME = {cls.__name__: cls for cls in PAGES}


def _ends_on(act: Callable) -> type[PortalPage]:
    """The page class ``act`` returns, from its annotation (a string under postponed annotations)."""
    hint = inspect.signature(act, eval_str=False).return_annotation
    if isinstance(hint, str):
        hint = _PAGES_BY_NAME.get(hint.strip("'\""))
    if not (isinstance(hint, type) and issubclass(hint, PortalPage)):
        raise TypeError(f"{act.__qualname__} must be annotated to return a page class")
    return hint


def _starts_on(act: Callable) -> type[PortalPage]:
    """The class whose method ``act`` is; a page's classmethod starts from any page."""
    if inspect.ismethod(act) and isinstance(act.__self__, type):
        return PortalPage
    owner = _PAGES_BY_NAME.get(act.__qualname__.split(".")[0])
    if owner is None:
        raise TypeError(f"{act.__qualname__} is not a method of a page class")
    return owner


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    act: Callable[..., PortalPage]
    writes: bool = False
    #: the act's arguments besides the page, taken from the flow's result (the invoice to pay)
    args: Callable[[Any], tuple] | None = None
    read: Read | None = None
    check: Read | None = None
    recover: Recover | None = None
    starts_on: type[PortalPage] = field(init=False, repr=False, compare=False)
    ends_on: type[PortalPage] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts_on", _starts_on(self.act))
        object.__setattr__(self, "ends_on", _ends_on(self.act))

    @property
    def from_anywhere(self) -> bool:
        """A page's classmethod: it opens its page itself, whatever page the journey is on."""
        return self.starts_on is PortalPage


@dataclass
class NoResult:
    """The result of a flow that reads nothing (a recording, a rehearsal of the steps alone)."""


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    login: Step
    steps: tuple[Step, ...]
    #: the typed result the steps fill, one fresh instance per run (it lands in ``RunReport.result``)
    result: Callable[[], Any] = NoResult
    # Log off at the end (what the portal's own clients do); a hand-off to a person keeps the session.
    log_off: bool = True
    #: after this step, every request that could write is refused (a monitor's rehearsal)
    guard_after: int | None = None


class EndFlow(Exception):
    """Control flow, not an error: the family's real state ends the journey early with ``outcome``."""

    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome
        self.message = message


def chain_breaks(flow: Flow) -> list[str]:
    """Where a step cannot follow the previous one (its page is not the one the previous step leads to)."""
    breaks, previous = [], flow.login
    for step in flow.steps:
        if not (step.from_anywhere or issubclass(previous.ends_on, step.starts_on)):
            breaks.append(f"step {step.number} starts on {step.starts_on.__name__}, "
                          f"step {previous.number} leads to {previous.ends_on.__name__}")
        previous = step
    return breaks


__all__ = ["EndFlow", "Flow", "NoResult", "Step", "chain_breaks"]
