"""Runs any flow's steps in a real browser and collects typed results with evidence.

Per step: start time and duration, status, page reached, a screenshot with personal data masked,
a Playwright trace group. On failure: screenshot, the page's HTML and the trace are kept, and the
run gets a typed outcome. Pages raise; the runner decides.

Safety: in a rehearsal, once the flow reaches the page that carries the writing step's control
(right after the login for a flow without a writing step), a network guard aborts every non-GET
request to the portal, so a rehearsal cannot change an account. A writing step runs at most once per run and is never retried; a real run asks
``confirm`` before it.

A lost session while nothing has been written yet (a read-only flow, a rehearsal, the adhesion
steps before « VALIDER »): the runner logs in once more and plays the flow again from its first
step. Once a writing step has started it never does: the flow reads the state back instead.
Consent overlays refused on the way (:mod:`assistant.pages.consent`) are noted in the report.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from contextlib import ExitStack
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .browser import CONTEXT_OPTIONS, open_browser
from .config import Settings
from .errors import AssistantError, BrowserUnavailable, PortalChanged
from .outcomes import outcome as describe
from .errors import SessionExpired
from .locks import family_lock
from .pages import consent
from .pages.base import PortalPage
from .pages.payfip import PayfipPage
from .pages.table import COMPONENTS, PAGES, shown_instead
from .redact import Redactor
from .results import RunReport, StepResult
from .steps import EndFlow, Flow, Journey, Step

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

Progress = Callable[[str, Step, StepResult | None], None]
Confirm = Callable[[Step], bool]
#: called after each played step, its evidence taken (monitoring fingerprints, guides); must not act on the page
Observe = Callable[[Journey, Step, StepResult], None]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class NetworkGuard:
    """Once armed, aborts every request that could write (any method but GET/HEAD), whatever its host."""

    armed: bool = False
    blocked: list[str] = field(default_factory=list)

    def __call__(self, route) -> None:
        request = route.request
        if self.armed and request.method not in ("GET", "HEAD"):
            self.blocked.append(f"{request.method} {urlsplit(request.url).path}")
            logger.warning("network guard aborted {} {}", request.method, urlsplit(request.url).path)
            route.abort("blockedbyclient")
        else:
            route.fallback()


def _shown(masks: list) -> list:
    """The masks that match something: masking costs a repaint of the page, masking nothing too."""
    if not masks:
        return []
    union = masks[0]
    for mask in masks[1:]:
        union = union.or_(mask)
    return masks if union.count() else []


def first_line(exc: PlaywrightError) -> str:
    return (exc.message or str(exc)).splitlines()[0]


class Runner:
    """Runs one flow once. ``progress`` gets ("start"|"end"|"skip"|"wait", step, result) events."""

    def __init__(self, settings: Settings, *, progress: Progress | None = None, confirm: Confirm | None = None,
                 observe: Observe | None = None, context_options: dict | None = None,
                 on_context: "Callable[[BrowserContext], None] | None" = None, redactor: Redactor | None = None):
        """``context_options`` go to ``new_context`` (e.g. a HAR recording), ``on_context`` readies the
        context before the first page (e.g. a HAR replay); ``redactor`` may be shared between runs."""
        self.settings = settings
        self.observe = observe
        self.context_options = context_options or {}
        self.on_context = on_context
        self.progress = progress or (lambda event, step, result: None)
        self.confirm = confirm or (lambda step: True)
        self.redactor = redactor or Redactor()
        self.redactor.add(settings.username, settings.password)

    # -- evidence ---------------------------------------------------------------------------
    def _masks(self, journey: Journey, failed: bool) -> tuple[list, list[str]]:
        """Locators to mask and values to scrub: the current page's, or every portal page's on failure
        (the browser may show a page the journey did not expect). The payment provider's page masks
        its whole body: only when it is the one shown."""
        pages = [journey.current or PortalPage(journey.page, self.settings)]
        if failed:
            pages += [cls(journey.page, self.settings) for cls in (*PAGES, *COMPONENTS)
                      if cls is not PayfipPage or PayfipPage.path_matches(journey.page.url)]
        masks, values = [], []
        for page_object in pages:
            masks += page_object.personal_data()
            values += page_object.personal_values()
        return masks, values

    def _evidence(self, journey: Journey, result: StepResult, report_dir: Path, *, failed: bool) -> None:
        page = journey.page
        try:
            if page.is_closed():
                return
            result.url = urlsplit(page.url).path
            masks, values = self._masks(journey, failed)
            self.redactor.add_names(*values)
            stem = f"step-{result.number:02d}{'-failed' if failed else ''}"
            if self.settings.screenshots or failed:
                shot = report_dir / f"{stem}.jpeg"
                page.screenshot(path=shot, type="jpeg", quality=60, caret="initial", mask=_shown(masks))
                result.screenshot = shot.name
            if failed:
                html_path = report_dir / f"{stem}.html"
                html_path.write_text(self.redactor.scrub(page.content()), encoding="utf-8")
                result.html = html_path.name
        except PlaywrightError as exc:
            logger.warning("evidence for step {} could not be taken: {}", result.number, first_line(exc))

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
        journey.visited[reached.TITLE] = journey.page.url

    def run(self, flow: Flow, *, rehearse: bool = False, browser: "Browser | None" = None) -> RunReport:
        """Run ``flow`` once; ``browser`` lets a caller (the tests) share one already started.

        A run that can write holds the family's lock (:mod:`assistant.locks`): a second one on the
        same family waits for it (``progress`` gets a "wait" event), then finds the work done.
        """
        with ExitStack() as stack:
            if not rehearse and any(step.writes for step in flow.steps) and self.settings.username:
                wait, told = self.settings.lock_wait_s, lambda: self.progress("wait", flow.login, None)
                stack.enter_context(family_lock(self.settings.base_url, self.settings.username, wait_s=wait, on_wait=told))
            if browser is None:
                browser = stack.enter_context(open_browser(self.settings.chromium, headless=self.settings.headless))
            return self._run(flow, rehearse, browser)

    def _run(self, flow: Flow, rehearse: bool, browser: "Browser") -> RunReport:
        settings = self.settings
        run = _Run(flow=flow, rehearse=rehearse, report_dir=Path(settings.report_dir or "reports/last"),
                   guard=NetworkGuard())
        run.report_dir.mkdir(parents=True, exist_ok=True)
        for stale in [*run.report_dir.glob("step-*"), *run.report_dir.glob("trace*.zip")]:
            stale.unlink(missing_ok=True)  # a re-run into the same folder must not show old evidence
        steps = [flow.login, *flow.steps]
        context = journey = None
        try:
            context = browser.new_context(**{**CONTEXT_OPTIONS, **self.context_options})
            if self.on_context is not None:
                self.on_context(context)
            context.set_default_timeout(settings.timeouts.action)
            context.set_default_navigation_timeout(settings.timeouts.navigation)
            if rehearse:
                # Routed only in a rehearsal: routing every request through Python costs time.
                context.route("**/*", run.guard)
            page = context.new_page()
            journey = Journey(page=page, context=context, settings=settings)
            self._play_all(steps, journey, run)
            if self._may_replay(run, journey):
                # nothing was written: log in once more and play the flow again from its start
                lost = run.results[-1] if run.results[-1].status == "failed" else next(
                    r for r in run.results if r.status == "failed")
                run.facts["session_relogin"] = (f"Session perdue à l’étape {lost.number} (« {lost.title} ») : "
                                                "nouvelle connexion, parcours repris depuis le début.")
                logger.warning("session lost at step {}: logging in again once and replaying the flow", lost.number)
                journey.facts["relogins"] = journey.facts.get("relogins", 0) + 1
                if run.tracing:
                    # the first attempt's trace is kept apart; the new login stays out of any trace
                    run.first_trace = self._save_trace(context, run.report_dir, trusted=True, name="trace-1.zip")
                    run.tracing = False
                run.results, run.outcome, run.failure, run.stopped_at = [], None, None, None
                journey.current = None
                self._play_all(steps, journey, run)
        except KeyboardInterrupt:
            run.outcome = "interrupted"
            run.stopped_at = run.stopped_at or "avant le début du parcours"
        except PlaywrightError as exc:
            run.failure = BrowserUnavailable(f"Le navigateur s’est arrêté pendant le parcours : {first_line(exc)}")
            run.outcome = run.failure.outcome
        finally:
            if journey is not None:
                run.facts.update({k: v for k, v in journey.facts.items() if isinstance(v, (str, int, float, bool))})
            if context is not None:
                refused = consent.notes(context)
                if refused:
                    run.facts["consent_refused"] = " ; ".join(refused)
                self._close(context, run)
        return self._report(run)

    def _play_all(self, steps: list[Step], journey: Journey, run: "_Run") -> None:
        """Play the login and the flow's steps in order (a failure skips the rest)."""
        flow, settings, context = run.flow, self.settings, journey.context
        for index, step in enumerate(steps):
            upcoming = steps[index + 1] if index + 1 < len(steps) else None
            arm = run.rehearse and upcoming is not None and (upcoming.writes or not any(s.writes for s in flow.steps))
            self._play(step, journey, run, arm_guard=arm)  # a rehearsed flow that never writes: armed after login
            if step is flow.login and run.results[-1].status == "ok":
                self._remember_cookies(context)
                if settings.trace and not run.tracing:
                    # Tracing starts after login: the typed password never enters the trace.
                    context.tracing.start(snapshots=True, screenshots=False, sources=False, title=flow.title)
                    run.tracing = True

    @staticmethod
    def _may_replay(run: "_Run", journey: Journey) -> bool:
        """A lost session, nothing written, no new login yet: the flow may be played again once."""
        return (isinstance(run.failure, SessionExpired) and not journey.facts.get("relogins")
                and not any(r.writes and r.status != "skipped" for r in run.results)
                and not any(r.status == "failed" and r.number == 0 for r in run.results))

    def _remember_cookies(self, context) -> None:
        """Session cookie values are secrets too: a trace keeps the requests' Cookie headers."""
        self.redactor.add(*(cookie["value"] for cookie in context.cookies()))

    def _close(self, context, run: "_Run") -> None:
        """Log off, save and scrub the trace, close the context; each part on its own."""
        alive = run.outcome != "interrupted"
        logged_in = bool(run.results) and run.results[0].status == "ok"
        try:
            if alive:
                self._remember_cookies(context)
            if alive and logged_in and run.flow.log_off:
                # a plain GET with the session's cookies ends the session; no page to render
                context.request.get(self.settings.url("Home/LogOff"), max_redirects=0).dispose()
        except PlaywrightError as exc:
            logger.warning("log off failed: {}", first_line(exc))
            alive = False
        if run.tracing:
            run.trace = self._save_trace(context, run.report_dir, trusted=alive)
        try:
            context.close()
        except PlaywrightError as exc:
            logger.warning("browser context could not be closed: {}", first_line(exc))

    def _play(self, step: Step, journey: Journey, run: "_Run", *, arm_guard: bool = False) -> None:
        """Play one step (or record why it is not played) and append its result."""
        result = StepResult(number=step.number, title=step.title, status="skipped", writes=step.writes)
        run.results.append(result)
        if run.outcome is not None:
            return
        if step.writes and (run.rehearse or not self.confirm(step)):
            run.outcome = "rehearsed" if run.rehearse else "declined"
            self.progress("skip", step, result)
            return
        run.stopped_at = f"Étape {step.number} · {step.title}"
        t0 = time.perf_counter()
        try:
            self.progress("start", step, result)
            if run.tracing:
                journey.context.tracing.group(f"Étape {step.number} · {step.title}")
            result.started_at = _now()
            self._run_step(step, journey, result)
            result.status = "ok"
            if arm_guard:
                # Armed as soon as the page carrying the writing control is reached.
                run.guard.armed = True
                logger.info("rehearsal: network guard armed before step {}", step.number + 1)
        except EndFlow as end:
            result.status, result.page = "ok", getattr(journey.current, "TITLE", None)
            run.outcome, run.end_message = end.outcome, end.message
        except AssistantError as exc:
            exc.message += shown_instead(journey.page, exc)  # a drift error names the page shown, if known
            result.status, result.error, result.control = "failed", self.redactor.scrub(exc.message), exc.control
            result.candidates = [self.redactor.scrub(c) for c in getattr(exc, "candidates", [])]
            result.page = exc.page or getattr(journey.current, "TITLE", None)
            run.failure, run.outcome = exc, exc.outcome
        except PlaywrightError as exc:
            # An unexpected browser error (page crashed, target closed...): keep the evidence.
            result.status = "failed"
            result.error = self.redactor.scrub(f"Erreur du navigateur : {first_line(exc)}")
            run.failure, run.outcome = PortalChanged(result.error), "portal_changed"
        except KeyboardInterrupt:
            result.status, result.error = "failed", "Interrompu par l’opérateur (Ctrl-C)."
            run.outcome = "interrupted"
        result.duration_s = round(time.perf_counter() - t0, 3)
        if run.outcome != "interrupted":
            self._evidence(journey, result, run.report_dir, failed=result.status == "failed")
            if self.observe is not None:
                self.observe(journey, step, result)
            if run.tracing:
                journey.context.tracing.group_end()
        self.progress("end", step, result)
        if result.status == "ok":
            run.stopped_at = None

    def _save_trace(self, context, report_dir: Path, *, trusted: bool, name: str = "trace.zip") -> str | None:
        """Stop tracing and scrub the archive; a trace that cannot be scrubbed is deleted."""
        path = report_dir / name
        try:
            context.tracing.stop(path=path)
        except PlaywrightError as exc:
            logger.warning("trace could not be saved: {}", first_line(exc))
            trusted = False
        if not path.exists():
            return None
        try:
            if not trusted:
                raise zipfile.BadZipFile("run interrupted: the session cookie may be unknown")
            self.redactor.scrub_zip(path)
        except (zipfile.BadZipFile, OSError) as exc:
            logger.warning("trace deleted, it could not be scrubbed: {}", exc)
            path.unlink(missing_ok=True)
            return None
        return path.name

    def _report(self, run: "_Run") -> RunReport:
        key = run.outcome or "done"
        if run.guard.blocked:
            run.facts["blocked_requests"] = list(run.guard.blocked)
        if run.first_trace:
            run.facts["first_trace"] = run.first_trace
        chosen = describe(key)
        message = run.failure.message if run.failure else run.end_message or chosen.sentence
        if any(r.writes and r.status == "failed" for r in run.results):
            # the writing click may have reached the portal before the failure: never replay blindly
            message += (" Attention : l’étape qui écrit a commencé, la demande a peut-être été enregistrée ; "
                        "vérifiez avec « assistant statut » avant de relancer.")
        return RunReport(
            flow=run.flow.name, title=run.flow.title, outcome=key, exit_code=chosen.exit_code,
            message=self.redactor.scrub(message), next_action=chosen.next_action, base_url=self.settings.base_url,
            rehearse=run.rehearse, started_at=run.started_at, duration_s=round(time.perf_counter() - run.t0, 3),
            steps=run.results, facts=run.facts, trace=run.trace, stopped_at=run.stopped_at,
        )


@dataclass
class _Run:
    """The mutable state of one run, shared by the runner's small methods."""

    flow: Flow
    rehearse: bool
    report_dir: Path
    guard: NetworkGuard
    results: list[StepResult] = field(default_factory=list)
    outcome: str | None = None
    failure: AssistantError | None = None
    end_message: str | None = None
    facts: dict = field(default_factory=dict)
    stopped_at: str | None = None
    tracing: bool = False
    trace: str | None = None
    first_trace: str | None = None
    started_at: str = field(default_factory=_now)
    t0: float = field(default_factory=time.perf_counter)
