"""One monitoring rehearsal of one tenant, on a shared browser, with its fingerprints.

The flow is given by the command layer (``assistant surveiller`` gives :data:`flows.monitor.FLOW`:
the adhesion steps 1-5, never « VALIDER », then the invoice list), which names the step after which
the page carrying the writing control shows (``Flow.guard_after``); nothing here knows a journey. It is played by the
ordinary :class:`~assistant.runner.Runner`, one browser context per run. Read-only by three
locks: the flow has no writing step (checked here before every run);
``confirm`` always answers no, so a writing step added by mistake would be declined, never
clicked; and the runner's guard refuses every write once the ``guard_after`` step shows
« VALIDER » (routed from then on only: routing every request of a run through Python cost ~15 %
more CPU per rehearsal). This module only instruments the run:

- as soon as the browser page exists, it watches which documented controls the page objects use
  (:func:`assistant.pages.watch.watch_actions`), step by step, and which login generation the portal
  showed (« Mon espace perso » means the modal one);
- the runner's ``observe`` hook reads each step's fingerprint, scrubbed with the runner's own
  redactor (the test account's identifiant, password, session cookie and the names it read).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from ..config import Settings, Timeouts
from ..errors import AssistantError, ConfigError
from ..invoices.french import format_seconds
from ..labels import label
from ..pages.base import PortalPage
from ..pages.browser_error import error_page_shown
from ..pages.watch import watch_actions
from ..results import RunReport
from ..runner import Runner
from ..steps import Flow, Step
from .fingerprint import PageFingerprint, capture
from .tenants import Tenant

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

MODAL_BUTTON = label("Mon espace perso")


@dataclass
class Rehearsal:
    """What one rehearsal of one tenant gave: the runner's report and the pages' fingerprints."""

    tenant: Tenant
    started_at: str
    report_dir: Path
    report: RunReport | None = None
    pages: dict[int, PageFingerprint] = field(default_factory=dict)
    login_seen: str | None = None
    blocked: list[str] = field(default_factory=list)
    #: page loads of the failed step still waiting for the portal's answer, or answered later than an
    #: action may wait: the step failed on a time-out, not on a change
    pending_documents: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.outcome == "rehearsed"


def settings_for(tenant: Tenant, *, report_dir: Path, screenshots: bool, chromium: str | None = None,
                 timeouts: Timeouts | None = None) -> Settings:
    """The runner's settings for one tenant's rehearsal (no trace: monitoring keeps screenshots only)."""
    timeouts = timeouts or (Timeouts.for_replica() if tenant.loopback else Timeouts())
    settings = Settings(base_url=tenant.base_url, chromium=chromium, timeouts=timeouts, report_dir=report_dir,
                        screenshots=screenshots, trace=False)
    return replace(settings, username=tenant.username, password=tenant.password)


class _Instruments:
    """The per-run watchers: controls used per step, the login style seen, slow page loads."""

    def __init__(self, run: Rehearsal, runner: Runner):
        self.run = run
        self.runner = runner
        self.used: list[str] = []
        self.mark = 0
        # page loads in flight, and those of the current step that took longer than an action may wait
        self.loading: dict[int, tuple[str, float]] = {}
        self.slow: list[str] = []
        self.slow_after_s = runner.settings.timeouts.action / 1000

    def on_page(self, page: "Page") -> None:
        watch_actions(page, lambda page_object, locator, control: self.used.append(control))
        page.on("request", self._loading)
        page.on("requestfinished", self._loaded)
        page.on("requestfailed", self._loaded)

    def _loading(self, request) -> None:
        if request.is_navigation_request():
            self.loading[id(request)] = (f"{request.method} {urlsplit(request.url).path}", time.monotonic())

    def _loaded(self, request) -> None:
        started = self.loading.pop(id(request), None)
        if started is not None and time.monotonic() - started[1] >= self.slow_after_s:
            self.slow.append(f"{started[0]} ({format_seconds(time.monotonic() - started[1], 1)})")

    def observe(self, shown: PortalPage | None, step: Step, result) -> None:
        used, self.mark = self.used[self.mark:], len(self.used)
        if step.number == 0:
            self.run.login_seen = "modal" if any(MODAL_BUTTON.search(control) for control in used) else "classic"
        if result.status == "failed":
            now = time.monotonic()
            self.run.pending_documents = [f"{what} (sans réponse après {format_seconds(now - t, 1)})"
                                          for what, t in self.loading.values()] + self.slow
        self.slow = []
        if step.number == 0 or shown is None or shown.page.is_closed() or error_page_shown(shown.page):
            return  # Chromium's own error page is no page of the portal: never a fingerprint
        try:
            self.run.pages[step.number] = capture(
                shown.page, step=step.number, title=step.title, page_title=result.page, used=used,
                scrub=self.runner.redactor.scrub)
        except PlaywrightError as exc:
            logger.warning("fingerprint of step {} not taken: {}", step.number, (exc.message or str(exc)).splitlines()[0])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_flow(flow: Flow) -> None:
    """A monitoring flow never writes, and its write guard arms after the login or one of its own steps."""
    if any(step.writes for step in (flow.login, *flow.steps)):
        raise ConfigError("Un parcours de surveillance ne doit contenir aucune étape qui écrit.", key="flow")
    if flow.guard_after not in {step.number for step in (flow.login, *flow.steps)}:
        raise ConfigError(f"Le verrou d’écriture doit suivre une étape du parcours (étape {flow.guard_after} "
                          "absente).", key="guard_after")


def rehearse(tenant: Tenant, browser: "Browser", flow: Flow, *, report_dir: Path,
             screenshots: bool = True, chromium: str | None = None, timeouts: Timeouts | None = None) -> Rehearsal:
    """Play ``flow`` once for ``tenant`` in a new context of ``browser``; from the end of step
    ``flow.guard_after`` on, nothing but GET/HEAD leaves the browser."""
    check_flow(flow)
    run = Rehearsal(tenant=tenant, started_at=_now(), report_dir=report_dir)
    settings = settings_for(tenant, report_dir=report_dir, screenshots=screenshots, chromium=chromium,
                            timeouts=timeouts)
    runner = Runner(settings, confirm=lambda step: False)
    instruments = _Instruments(run, runner)
    runner.observe, runner.on_page = instruments.observe, instruments.on_page
    t0 = time.perf_counter()
    try:
        run.report = runner.run(flow, browser=browser)
    except AssistantError as exc:  # the runner types every failure it knows; this one happened outside a step
        logger.warning("rehearsal of {} could not run: {}", tenant.name, exc.message)
        raise
    run.duration_s = round(time.perf_counter() - t0, 3)
    run.blocked = list(run.report.blocked_requests)
    logger.info("rehearsal of {}: {} in {:.2f} s", tenant.name, run.report.outcome, run.duration_s)
    return run
