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

SIGINT or SIGTERM (:mod:`assistant.interrupts`) ends the run as "interrupted" wherever it comes,
even when the browser died with it: the report says where it stopped and, once the writing step
has begun, that the request may have been recorded.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from . import interrupts
from .browser import CONTEXT_OPTIONS, open_browser
from .config import Settings
from .errors import AssistantError, BrowserUnavailable, PortalChanged, SessionExpired
from .evidence import first_line, save_trace, take_evidence
from .locks import family_lock
from .outcomes import outcome as describe
from .pages import consent
from .pages.table import shown_instead
from .redact import Redactor
from .results import RunReport, StepResult
from .run_state import NetworkGuard, RunState, now
from .steps import EndFlow, Flow, Journey, Step

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

Progress = Callable[[str, Step, StepResult | None], None]
Confirm = Callable[[Step], bool]
#: called after each played step, its evidence taken (monitoring fingerprints, guides); must not act on the page
Observe = Callable[[Journey, Step, StepResult], None]


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
        SIGINT/SIGTERM (:mod:`assistant.interrupts`) at any point give the "interrupted" report.
        """
        run = RunState(flow=flow, rehearse=rehearse, report_dir=Path(self.settings.report_dir or "reports/last"),
                   guard=NetworkGuard())
        try:
            with ExitStack() as stack:
                if not rehearse and any(step.writes for step in flow.steps) and self.settings.username:
                    wait, told = self.settings.lock_wait_s, lambda: self.progress("wait", flow.login, None)
                    stack.enter_context(family_lock(self.settings.base_url, self.settings.username, wait_s=wait,
                                                    on_wait=told))
                if browser is None:
                    browser = stack.enter_context(open_browser(self.settings.chromium, headless=self.settings.headless))
                self._run(run, browser)
        except KeyboardInterrupt:
            run.outcome = "interrupted"
        except (AssistantError, PlaywrightError):
            if not interrupts.received():
                raise
            run.outcome = "interrupted"  # Chromium died with the signal while starting or closing
        with interrupts.deferred():
            return self._report(run)

    def _run(self, run: "RunState", browser: "Browser") -> None:
        settings, flow, rehearse = self.settings, run.flow, run.rehearse
        run.report_dir.mkdir(parents=True, exist_ok=True)
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
                    run.first_trace = save_trace(context, run.report_dir / "trace-1.zip", self.redactor, trusted=True)
                    run.tracing = False
                run.results, run.outcome, run.failure, run.stopped_at = [], None, None, None
                journey.current = None
                self._play_all(steps, journey, run)
        except KeyboardInterrupt:
            run.outcome = "interrupted"
        except PlaywrightError as exc:
            run.failure = BrowserUnavailable(f"Le navigateur s’est arrêté pendant le parcours : {first_line(exc)}")
            run.outcome = run.failure.outcome
        finally:
            with interrupts.deferred():
                if journey is not None:
                    run.facts.update({k: v for k, v in journey.facts.items() if isinstance(v, (str, int, float, bool))})
                if context is not None:
                    self._close(context, run)

    def _play_all(self, steps: list[Step], journey: Journey, run: "RunState") -> None:
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
    def _may_replay(run: "RunState", journey: Journey) -> bool:
        """A lost session, nothing written, no new login yet: the flow may be played again once."""
        return (isinstance(run.failure, SessionExpired) and not journey.facts.get("relogins")
                and not any(r.writes and r.status != "skipped" for r in run.results)
                and not any(r.status == "failed" and r.number == 0 for r in run.results))

    def _remember_cookies(self, context) -> None:
        """Session cookie values are secrets too: a trace keeps the requests' Cookie headers."""
        self.redactor.add(*(cookie["value"] for cookie in context.cookies()))

    def _close(self, context, run: "RunState") -> None:
        """Note refused banners, log off, save and scrub the trace, close the context; each part on its own.
        After an interruption too: a browser still alive keeps its trace, a dead one (the signal
        reached the process group) fails at once and the report says the trace is lost."""
        logged_in = bool(run.results) and run.results[0].status == "ok"
        if refused := consent.notes(context):
            run.facts["consent_refused"] = " ; ".join(refused)
        try:
            self._remember_cookies(context)
            if logged_in and run.flow.log_off:
                # a plain GET with the session's cookies ends the session; no page to render
                context.request.get(self.settings.url("Home/LogOff"), max_redirects=0).dispose()
            alive = True
        except PlaywrightError as exc:
            logger.warning("log off failed: {}", first_line(exc))
            alive = False
        if run.tracing:
            run.trace = save_trace(context, run.report_dir / "trace.zip", self.redactor, trusted=alive)
            if run.trace is None:
                run.facts["trace_lost"] = ("le navigateur s’est arrêté avec l’interruption" if run.outcome == "interrupted"
                                           else "elle n’a pas pu être enregistrée ou nettoyée (voir run.log)")
        try:
            context.close()
        except PlaywrightError as exc:
            logger.warning("browser context could not be closed: {}", first_line(exc))

    def _play(self, step: Step, journey: Journey, run: "RunState", *, arm_guard: bool = False) -> None:
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
            result.started_at = now()
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
            result.status = "failed"
            run.outcome = "interrupted"
        if interrupts.received() or run.outcome == "interrupted":
            # the signal came first: whatever failed after it (Chromium died with it) is the interruption
            result.error = f"Interrompu par {interrupts.reason()}." if result.status == "failed" else None
            run.failure, run.outcome = None, "interrupted"
        result.duration_s = round(time.perf_counter() - t0, 3)
        if run.outcome != "interrupted":
            take_evidence(journey, result, run.report_dir, self.settings, self.redactor,
                          failed=result.status == "failed")
            if self.observe is not None:
                self.observe(journey, step, result)
            if run.tracing:
                journey.context.tracing.group_end()
        self.progress("end", step, result)
        if result.status == "ok":
            run.stopped_at = None

    def _report(self, run: "RunState") -> RunReport:
        key = "interrupted" if interrupts.received() else run.outcome or "done"
        if run.guard.blocked:
            run.facts["blocked_requests"] = list(run.guard.blocked)
        if run.first_trace:
            run.facts["first_trace"] = run.first_trace
        chosen = describe(key)
        message = run.failure.message if run.failure else run.end_message or chosen.sentence
        played = [r for r in run.results if r.status != "skipped"]
        if key == "interrupted":
            message = f"Parcours interrompu par {interrupts.reason()}."
            last = played[-1] if played else None
            run.stopped_at = run.stopped_at or (f"après l’étape {last.number} · {last.title}" if last
                                                else "avant le début du parcours")
        next_action = chosen.next_action
        if any(r.writes and (r.status == "failed" or key == "interrupted") for r in played):
            # the writing click may have reached the portal before the failure: never replay blindly
            message += (" Attention : l’étape qui écrit a commencé, la demande a peut-être été enregistrée ; "
                        "vérifiez avec « assistant statut » avant de relancer.")
            next_action = "Lancer « assistant statut » (lecture seule) et ne relancer que si l’adhésion n’y figure pas."
        return RunReport(
            flow=run.flow.name, title=run.flow.title, outcome=key,
            exit_code=interrupts.exit_code() if key == "interrupted" else chosen.exit_code,
            message=self.redactor.scrub(message), next_action=next_action, base_url=self.settings.base_url,
            rehearse=run.rehearse, started_at=run.started_at, duration_s=round(time.perf_counter() - run.t0, 3),
            steps=run.results, facts=run.facts, trace=run.trace, stopped_at=run.stopped_at,
        )
