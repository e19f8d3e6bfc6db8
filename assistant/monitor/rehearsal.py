"""One monitoring rehearsal of one tenant, on a shared browser, with its fingerprints.

The flow is given by the command layer (``assistant surveiller`` gives :data:`flows.monitor.FLOW`:
the adhesion steps 1-5, never « VALIDER », then the invoice list) with the step after which the
page carrying the writing control shows; nothing here knows a journey. It is played by the
ordinary :class:`~assistant.runner.Runner`, one browser context per run. Read-only by three
locks: the flow has no writing step (checked here before every run);
``confirm`` always answers no, so a writing step added by mistake would be declined, never
clicked; and the monitor's own guard refuses every write once that step shows « VALIDER ». The
runner's rehearsal mode is not used: it routes every request of the run through Python to arm its
guard before a writing step this flow does not have, which cost ~15 % more CPU per rehearsal
(measured: 6.7 s against 5.7 s of CPU per rehearsal, whole process tree). This module only
instruments the run:

- the login step is wrapped to watch which documented controls the page objects use
  (:func:`assistant.pages.base.watch_actions`), step by step, and which login generation the portal
  showed (« Mon espace perso » means the modal one);
- once the ``guard_after`` step reached the page carrying « VALIDER », a :class:`~assistant.runner.NetworkGuard`
  armed from the start aborts every request but GET/HEAD for the rest of the run (the flow has no
  writing step, so this is a second lock, not the only one);
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
from ..pages.base import watch_actions
from ..results import RunReport
from ..runner import NetworkGuard, Runner
from ..steps import Flow, Journey, Step
from .fingerprint import PageFingerprint, capture
from .tenants import Tenant

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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
    """The per-run watchers: controls used per step, the login style seen, the write guard."""

    def __init__(self, run: Rehearsal, runner: Runner, guard_after: int):
        self.run = run
        self.runner = runner
        self.guard_after = guard_after
        self.used: list[str] = []
        self.mark = 0
        self.guard = NetworkGuard(armed=True)
        # page loads in flight, and those of the current step that took longer than an action may wait
        self.loading: dict[int, tuple[str, float]] = {}
        self.slow: list[str] = []
        self.slow_after_s = runner.settings.timeouts.action / 1000
        self.watched = None

    def flow(self, flow: Flow) -> Flow:
        steps = tuple(self._guarded(s) if s.number == self.guard_after else s for s in flow.steps)
        return replace(flow, login=replace(flow.login, action=self._watching(flow.login)), steps=steps)

    def _watching(self, step: Step):
        def action(journey: Journey):
            if journey.page is not self.watched:
                # once per page: the runner plays the login again after a lost session
                self.watched = journey.page
                watch_actions(journey.page, lambda page_object, locator, control: self.used.append(control))
                journey.page.on("request", self._loading)
                journey.page.on("requestfinished", self._loaded)
                journey.page.on("requestfailed", self._loaded)
            reached = step.action(journey)
            modal = any(MODAL_BUTTON.search(control) for control in self.used)
            self.run.login_seen = "modal" if modal else "classic"
            return reached
        return action

    def _loading(self, request) -> None:
        if request.is_navigation_request():
            self.loading[id(request)] = (f"{request.method} {urlsplit(request.url).path}", time.monotonic())

    def _loaded(self, request) -> None:
        started = self.loading.pop(id(request), None)
        if started is not None and time.monotonic() - started[1] >= self.slow_after_s:
            self.slow.append(f"{started[0]} ({format_seconds(time.monotonic() - started[1], 1)})")

    def _guarded(self, step: Step) -> Step:
        def action(journey: Journey):
            reached = step.action(journey)
            # the page carrying « VALIDER » is reached: from here on, nothing but GET/HEAD leaves the browser
            journey.context.route("**/*", self.guard)
            logger.info("monitor: write guard armed after step {}", step.number)
            return reached
        return replace(step, action=action)

    def observe(self, journey: Journey, step: Step, result) -> None:
        used, self.mark = self.used[self.mark:], len(self.used)
        if result.status == "failed":
            now = time.monotonic()
            self.run.pending_documents = [f"{what} (sans réponse après {format_seconds(now - t, 1)})"
                                          for what, t in self.loading.values()] + self.slow
        self.slow = []
        if step.number == 0 or journey.page.is_closed():
            return
        try:
            self.run.pages[step.number] = capture(
                journey.page, step=step.number, title=step.title, page_title=result.page, used=used,
                scrub=self.runner.redactor.scrub)
        except PlaywrightError as exc:
            logger.warning("fingerprint of step {} not taken: {}", step.number, (exc.message or str(exc)).splitlines()[0])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_flow(flow: Flow, guard_after: int) -> None:
    """A monitoring flow never writes, and its write guard arms after one of its own steps."""
    if any(step.writes for step in (flow.login, *flow.steps)):
        raise ConfigError("Un parcours de surveillance ne doit contenir aucune étape qui écrit.", key="flow")
    if guard_after not in {step.number for step in flow.steps}:
        raise ConfigError(f"Le verrou d’écriture doit suivre une étape du parcours (étape {guard_after} absente).",
                          key="guard_after")


def rehearse(tenant: Tenant, browser: "Browser", flow: Flow, *, guard_after: int, report_dir: Path,
             screenshots: bool = True, chromium: str | None = None, timeouts: Timeouts | None = None) -> Rehearsal:
    """Play ``flow`` once for ``tenant`` in a new context of ``browser``; from the end of step
    ``guard_after`` on, nothing but GET/HEAD leaves the browser."""
    check_flow(flow, guard_after)
    run = Rehearsal(tenant=tenant, started_at=_now(), report_dir=report_dir)
    settings = settings_for(tenant, report_dir=report_dir, screenshots=screenshots, chromium=chromium,
                            timeouts=timeouts)
    runner = Runner(settings, confirm=lambda step: False)
    instruments = _Instruments(run, runner, guard_after)
    runner.observe = instruments.observe
    t0 = time.perf_counter()
    try:
        run.report = runner.run(instruments.flow(flow), browser=browser)
    except AssistantError as exc:  # the runner types every failure it knows; this one happened outside a step
        logger.warning("rehearsal of {} could not run: {}", tenant.name, exc.message)
        raise
    run.duration_s = round(time.perf_counter() - t0, 3)
    run.blocked = list(instruments.guard.blocked)
    logger.info("rehearsal of {}: {} in {:.2f} s", tenant.name, run.report.outcome, run.duration_s)
    return run
