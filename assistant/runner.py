"""Runs any flow's steps in a real browser and collects typed results with evidence.

Per step: start time and duration, status, page reached, a screenshot with personal data masked,
a Playwright trace group. On failure: screenshot, the page's HTML and the trace are kept, and the
run gets a typed outcome. Pages raise; the runner decides.

Safety: in a rehearsal, once the flow reaches the page that carries the writing step's control,
a network guard aborts every non-GET request to the portal, so a rehearsal cannot change an
account. A writing step runs at most once per run and is never retried; a real run asks
``confirm`` before it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .browser import CONTEXT_OPTIONS, open_browser
from .config import Settings
from .errors import AssistantError, PortalChanged
from .outcomes import outcome as describe
from .pages.base import PortalPage
from .pages.session_modal import SessionModal
from .redact import Redactor
from .results import RunReport, StepResult
from .steps import EndFlow, Flow, Journey, Step

Progress = Callable[[str, Step, StepResult | None], None]
Confirm = Callable[[Step], bool]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class NetworkGuard:
    """Aborts every non-GET request to the portal once armed; remembers what it stopped."""

    origin: str
    armed: bool = False
    blocked: list[str] = field(default_factory=list)

    def __call__(self, route) -> None:
        request = route.request
        if self.armed and request.method != "GET" and request.url.startswith(self.origin):
            self.blocked.append(f"{request.method} {urlsplit(request.url).path}")
            logger.warning("network guard aborted {} {}", request.method, urlsplit(request.url).path)
            route.abort("blockedbyclient")
        else:
            route.fallback()


class Runner:
    """Runs one flow once. ``progress`` gets ("start"|"end", step, result) events."""

    def __init__(self, settings: Settings, *, progress: Progress | None = None, confirm: Confirm | None = None):
        self.settings = settings
        self.progress = progress or (lambda event, step, result: None)
        self.confirm = confirm or (lambda step: True)
        self.redactor = Redactor()
        self.redactor.add(settings.username, settings.password)

    # -- evidence ---------------------------------------------------------------------------
    def _evidence(self, journey: Journey, result: StepResult, report_dir: Path, *, failed: bool) -> None:
        page = journey.page
        try:
            if not page.is_closed():
                result.url = urlsplit(page.url).path
                current = journey.current or PortalPage(page, self.settings)
                self.redactor.add(*current.personal_values())
                stem = f"step-{result.number:02d}{'-failed' if failed else ''}"
                if self.settings.screenshots or failed:
                    shot = report_dir / f"{stem}.png"
                    page.screenshot(path=shot, mask=current.personal_data(), animations="disabled")
                    result.screenshot = shot.name
                if failed:
                    html_path = report_dir / f"{stem}.html"
                    html_path.write_text(self.redactor.scrub(page.content()), encoding="utf-8")
                    result.html = html_path.name
        except PlaywrightError as exc:
            logger.warning("evidence for step {} could not be taken: {}", result.number, exc.message.splitlines()[0])

    # -- one step -----------------------------------------------------------------------------
    def _run_step(self, step: Step, journey: Journey, result: StepResult) -> None:
        reached = step.action(journey)
        journey.current = reached
        if not isinstance(reached, step.ends_on):
            raise PortalChanged(
                f"Étape {step.number} : la page « {step.ends_on.TITLE} » était attendue, "
                f"« {getattr(reached, 'TITLE', '?')} » est affichée.",
                page=getattr(reached, "TITLE", None), url=journey.page.url,
            )
        result.page = reached.TITLE
        self.redactor.add(*reached.personal_values())

    def run(self, flow: Flow, *, rehearse: bool = False) -> RunReport:
        settings = self.settings
        report_dir = Path(settings.report_dir or "reports/last")
        report_dir.mkdir(parents=True, exist_ok=True)
        steps = [flow.login, *flow.steps]
        results: list[StepResult] = []
        outcome_key: str | None = None
        failure: AssistantError | None = None
        guard = NetworkGuard(settings.origin)
        started, t_run = _now(), time.perf_counter()
        trace_path: Path | None = None
        facts: dict = {}
        stopped_at: str | None = None

        with open_browser(settings.chromium, headless=settings.headless) as browser:
            context = browser.new_context(**CONTEXT_OPTIONS)
            context.set_default_timeout(settings.timeouts.action)
            context.set_default_navigation_timeout(settings.timeouts.navigation)
            context.route("**/*", guard)
            page = context.new_page()
            SessionModal.install(page)
            journey = Journey(page=page, context=context, settings=settings, rehearse=rehearse)
            tracing = False
            try:
                for index, step in enumerate(steps):
                    result = StepResult(number=step.number, title=step.title, status="skipped", writes=step.writes)
                    results.append(result)
                    if outcome_key is not None:
                        continue
                    if step.writes and rehearse:
                        outcome_key = "rehearsed"
                        self.progress("skip", step, result)
                        continue
                    if step.writes and not self.confirm(step):
                        outcome_key = "rehearsed"
                        facts["declined"] = True
                        self.progress("skip", step, result)
                        continue
                    self.progress("start", step, result)
                    if tracing:
                        context.tracing.group(f"Étape {step.number} · {step.title}")
                    result.started_at, t0 = _now(), time.perf_counter()
                    try:
                        self._run_step(step, journey, result)
                        result.status = "ok"
                    except EndFlow as end:
                        result.status = "ok"
                        result.page = getattr(journey.current, "TITLE", None)
                        outcome_key = end.outcome
                        facts["end_message"] = end.message
                    except AssistantError as exc:
                        result.status, result.error, result.control = "failed", exc.message, exc.control
                        result.page = exc.page or getattr(journey.current, "TITLE", None)
                        failure, outcome_key = exc, exc.outcome
                    except PlaywrightError as exc:
                        # An unexpected browser error (page crashed, target closed...): keep the evidence.
                        first = exc.message.splitlines()[0]
                        result.status, result.error = "failed", f"Erreur du navigateur : {first}"
                        failure, outcome_key = PortalChanged(result.error), "portal_changed"
                    except KeyboardInterrupt:
                        result.status, result.error = "failed", "Interrompu par l’opérateur (Ctrl-C)."
                        outcome_key = "interrupted"
                    result.duration_s = round(time.perf_counter() - t0, 3)
                    if outcome_key != "interrupted":
                        self._evidence(journey, result, report_dir, failed=result.status == "failed")
                    if tracing:
                        context.tracing.group_end()
                    self.progress("end", step, result)
                    if result.status == "failed":
                        stopped_at = f"Étape {step.number} · {step.title}"
                    if step is flow.login and result.status == "ok" and settings.trace:
                        # Tracing starts after login: the typed password never enters the trace.
                        context.tracing.start(snapshots=True, screenshots=False, sources=False, title=flow.title)
                        tracing = True
                    upcoming = steps[index + 1] if index + 1 < len(steps) else None
                    if rehearse and upcoming is not None and upcoming.writes and outcome_key is None:
                        guard.armed = True
                        logger.info("rehearsal: network guard armed before step {}", upcoming.number)
            except KeyboardInterrupt:
                outcome_key, stopped_at = "interrupted", stopped_at or "entre deux étapes"
            finally:
                if tracing:
                    trace_path = report_dir / "trace.zip"
                    try:
                        context.tracing.stop(path=trace_path)
                        self.redactor.scrub_zip(trace_path)
                    except PlaywrightError as exc:
                        logger.warning("trace could not be saved: {}", exc.message.splitlines()[0])
                        trace_path = None
                facts.update({k: v for k, v in journey.facts.items() if isinstance(v, (str, int, float, bool))})
                context.close()

        if outcome_key is None:
            outcome_key = "done"
        if guard.blocked:
            facts["blocked_requests"] = guard.blocked
        chosen = describe(outcome_key)
        message = failure.message if failure else facts.pop("end_message", None) or chosen.sentence
        report = RunReport(
            flow=flow.name, title=flow.title, outcome=outcome_key, exit_code=chosen.exit_code,
            message=message, next_action=chosen.next_action, base_url=settings.base_url,
            rehearse=rehearse, started_at=started, duration_s=round(time.perf_counter() - t_run, 3),
            steps=results, facts=facts, trace=trace_path.name if trace_path else None, stopped_at=stopped_at,
        )
        report.message = self.redactor.scrub(report.message)
        return report
