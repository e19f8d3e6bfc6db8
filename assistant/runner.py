"""Runs any flow's steps in a real browser and collects typed results with evidence.

A step is a page method (:mod:`assistant.steps`): the runner checks the journey is on the page
the method belongs to, calls it, checks the page it returns is the one its annotation promises,
then lets the step's ``read`` fill the flow's typed result (which lands in the report). Per step:
start time and duration, status, page reached, a screenshot with personal data masked, a
Playwright trace group. On failure: screenshot, the page's HTML and the trace are kept, and the
run gets a typed outcome. Pages raise; the runner decides.

Safety: in a rehearsal, once the flow reaches the page that carries the writing step's control
(right after the login for a flow without a writing step), a network guard aborts every non-GET
request; a flow may name the step after which the guard arms in any run (``Flow.guard_after``,
a monitor's rehearsal). A writing step runs at most once per run and is never retried; a real run
asks ``confirm`` before it, and a failure once its click may have left goes to the step's
``recover`` (read the state back), never to a second click.

A portal that stops answering is an outage, never a change (:meth:`RunState.outage`). A session lost
before anything was written: the runner logs in once more and plays the flow again from its first
step (never once a writing step has started). Consent overlays refused on the way
(:mod:`assistant.pages.consent`) and informative dialogs closed (:mod:`assistant.pages.dialogs`) are
noted in the report.

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
from .errors import AssistantError, BrowserUnavailable, PortalChanged, from_browser
from .evidence import first_line, page_wanted, save_trace, take_evidence
from .locks import family_lock
from .pages import consent, dialogs
from .pages.base import PortalPage
from .pages.table import shown_instead
from .redact import Redactor
from .results import RunReport, StepResult
from .run_state import NetworkGuard, RunState, now
from .steps import EndFlow, Flow, Step

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

Progress = Callable[[str, Step, StepResult | None], None]
Confirm = Callable[[Step], bool]
#: called after each played step with the page object the journey is on (None before the first), its
#: evidence taken (monitoring fingerprints, guides); must not act on the page
Observe = Callable[[PortalPage | None, Step, StepResult], None]


class Runner:
    """Runs one flow once. ``progress`` gets ("start"|"end"|"skip"|"wait", step, result) events."""

    def __init__(self, settings: Settings, *, progress: Progress | None = None, confirm: Confirm | None = None,
                 observe: Observe | None = None, on_page: "Callable[[Page], None] | None" = None,
                 context_options: dict | None = None, on_context: "Callable[[BrowserContext], None] | None" = None,
                 redactor: Redactor | None = None):
        """``on_page`` sees the browser page before the login; ``context_options`` go to ``new_context`` (a HAR
        recording), ``on_context`` readies the context (a HAR replay); ``redactor`` may be shared between runs."""
        self.settings = settings
        self.observe = observe
        self.on_page = on_page
        self.context_options = context_options or {}
        self.on_context = on_context
        self.progress = progress or (lambda event, step, result: None)
        self.confirm = confirm or (lambda step: True)
        self.redactor = redactor or Redactor()
        self.redactor.add(settings.username, settings.password)

    # -- one step -----------------------------------------------------------------------------
    def _run_step(self, step: Step, run: "RunState", result: StepResult) -> None:
        """The page the step starts on, its act, the page it leads to, then what the step reads there."""
        assert run.page is not None
        page = run.current if run.current is not None else step.starts_on(run.page, self.settings)
        if not (step.from_anywhere or isinstance(page, step.starts_on)):
            raise PortalChanged(f"Étape {step.number} : la page « {step.starts_on.TITLE} » était attendue pour "
                                f"continuer, « {page.TITLE} » est affichée.", page=page.TITLE, url=run.page.url)
        if step.check is not None:
            try:
                step.check(page, run.result)
            except AssistantError as exc:
                if step.writes:
                    exc.nothing_sent = True  # checked before the writing control is used: nothing left
                raise
        args = step.args(run.result) if step.args is not None else ()
        try:
            reached = step.act(run.page, self.settings) if step.from_anywhere else step.act(page, *args)
        except AssistantError as exc:
            if step.recover is None:
                raise
            reached = step.recover(page, exc, run.result)  # a writing act that may have left: read back
        run.current = reached
        if not isinstance(reached, step.ends_on):
            raise PortalChanged(
                f"Étape {step.number} : la page « {step.ends_on.TITLE} » était attendue, "
                f"« {getattr(reached, 'TITLE', '?')} » est affichée.",
                page=getattr(reached, "TITLE", None), url=run.page.url,
            )
        result.page = reached.TITLE
        if step.read is not None:
            step.read(reached, run.result)

    def run(self, flow: Flow, *, rehearse: bool = False, browser: "Browser | None" = None,
            context: "BrowserContext | None" = None) -> RunReport:
        """Run ``flow`` once; ``browser`` lets a caller share one already started, ``context`` one of its
        contexts (the tests' own, with their options and guards: used as it is, left open). A run that
        can write holds the family's lock (:mod:`assistant.locks`; ``progress`` gets a "wait" event while
        another run holds it). SIGINT/SIGTERM (:mod:`assistant.interrupts`) give the "interrupted" report."""
        run = RunState(flow=flow, rehearse=rehearse, report_dir=Path(self.settings.report_dir or "reports/last"),
                       guard=NetworkGuard(), result=flow.result())
        try:
            with ExitStack() as stack:
                if not rehearse and any(step.writes for step in flow.steps) and self.settings.username:
                    wait, told = self.settings.lock_wait_s, lambda: self.progress("wait", flow.login, None)
                    stack.enter_context(family_lock(self.settings.lock_portal, self.settings.username, wait_s=wait,
                                                    folder=self.settings.lock_dir, on_wait=told))
                if context is None and browser is None:
                    browser = stack.enter_context(open_browser(self.settings.chromium, headless=self.settings.headless))
                self._run(run, browser, context)
        except KeyboardInterrupt:
            run.outcome = "interrupted"
        except (AssistantError, PlaywrightError):
            if not interrupts.received():
                raise
            run.outcome = "interrupted"  # Chromium died with the signal while starting or closing
        with interrupts.deferred():
            return run.report(self.settings, self.redactor)

    def _run(self, run: "RunState", browser: "Browser | None", given: "BrowserContext | None") -> None:
        settings, flow = self.settings, run.flow
        run.report_dir.mkdir(parents=True, exist_ok=True)
        steps = [flow.login, *flow.steps]
        try:
            if given is None:
                assert browser is not None
                run.context = browser.new_context(**{**CONTEXT_OPTIONS, **self.context_options})
            else:
                run.context = given
            run.context.on("response", run.server_errors)  # a 5xx tells a lost session from a failing call
            run.context.on("requestfailed", run.server_errors.failed)  # no answer at all: an outage
            if self.on_context is not None:
                self.on_context(run.context)
            run.context.set_default_timeout(settings.timeouts.action)
            run.context.set_default_navigation_timeout(settings.timeouts.navigation)
            run.page = run.context.new_page()
            if self.on_page is not None:
                self.on_page(run.page)
            self._play_all(steps, run)
            if run.may_replay():
                # nothing was written: log in once more and play the flow again from its start
                lost = run.results[-1] if run.results[-1].status == "failed" else next(
                    r for r in run.results if r.status == "failed")
                run.session_relogin = (f"Session perdue à l’étape {lost.number} (« {lost.title} ») : "
                                       "nouvelle connexion, parcours repris depuis le début.")
                logger.warning("session lost at step {}: logging in again once and replaying the flow", lost.number)
                run.relogins += 1
                if run.tracing:
                    # the first attempt's trace is kept apart; the new login stays out of any trace
                    run.first_trace = save_trace(run.context, run.report_dir / "trace-1.zip", self.redactor,
                                                 trusted=True)
                    run.tracing = False
                run.results, run.outcome, run.failure, run.stopped_at = [], None, None, None
                run.current, run.result = None, flow.result()
                self._play_all(steps, run)
        except KeyboardInterrupt:
            run.outcome = "interrupted"
        except PlaywrightError as exc:
            run.failure = from_browser(exc, "Le navigateur s’est arrêté pendant le parcours", default=BrowserUnavailable)
            run.outcome = run.failure.outcome
        finally:
            with interrupts.deferred():
                if run.context is not None:
                    self._close(run, own=given is None)

    def _play_all(self, steps: list[Step], run: "RunState") -> None:
        """Play the login and the flow's steps in order (a failure skips the rest)."""
        flow, settings, context = run.flow, self.settings, run.context
        assert context is not None
        never_writes = not any(s.writes for s in flow.steps)
        for index, step in enumerate(steps):
            upcoming = steps[index + 1] if index + 1 < len(steps) else None
            arm = step.number == flow.guard_after or (
                run.rehearse and upcoming is not None and (upcoming.writes or never_writes))
            self._play(step, run, arm_guard=arm)  # a rehearsed flow that never writes: armed after login
            if step is flow.login and run.results[-1].status == "ok":
                self._remember_cookies(context)
                if settings.trace and not run.tracing:
                    # Tracing starts after login: the typed password never enters the trace.
                    context.tracing.start(snapshots=True, screenshots=False, sources=False, title=flow.title)
                    run.tracing = True

    def _remember_cookies(self, context) -> None:
        """Session cookie values are secrets too: a trace keeps the requests' Cookie headers."""
        self.redactor.add(*(cookie["value"] for cookie in context.cookies()))

    def _close(self, run: "RunState", *, own: bool) -> None:
        """Note refused banners and closed dialogs, log off, save and scrub the trace, close the context (if it is the run's
        own); each part on its own. After an interruption too: a browser still alive keeps its trace,
        a dead one (the signal reached the process group) fails at once and the report says the trace is lost."""
        context = run.context
        logged_in = bool(run.results) and run.results[0].status == "ok"
        context.remove_listener("response", run.server_errors)
        context.remove_listener("requestfailed", run.server_errors.failed)
        if refused := consent.notes(context):
            run.consent_refused = " ; ".join(refused)
        if closed := dialogs.notes(context):
            run.dialogs_closed = " ; ".join(closed)
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
                run.trace_lost = ("le navigateur s’est arrêté avec l’interruption" if run.outcome == "interrupted"
                                  else "elle n’a pas pu être enregistrée ou nettoyée (voir run.log)")
        try:
            if own:
                context.close()
            else:  # a context lent by the caller is left as it was given
                if run.guard.armed:
                    context.unroute("**/*", run.guard)
                if run.page is not None:
                    run.page.close()
        except PlaywrightError as exc:
            logger.warning("browser context could not be closed: {}", first_line(exc))

    def _arm(self, run: "RunState", step: Step) -> None:
        """From now on nothing but GET/HEAD leaves the browser (routed only from here: routing costs time)."""
        if not run.guard.armed:
            run.guard.armed = True
            run.context.route("**/*", run.guard)
            logger.info("network guard armed after step {}", step.number)

    def _play(self, step: Step, run: "RunState", *, arm_guard: bool = False) -> None:
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
        t0, since, lost = time.perf_counter(), len(run.server_errors.seen), len(run.server_errors.lost)
        page = run.page
        assert page is not None and run.context is not None
        try:
            self.progress("start", step, result)
            if run.tracing:
                run.context.tracing.group(f"Étape {step.number} · {step.title}")
            result.started_at = now()
            self._run_step(step, run, result)
            result.status = "ok"
            if arm_guard:
                self._arm(run, step)  # the page carrying the writing control is reached
        except EndFlow as end:
            result.status, result.page = "ok", getattr(run.current, "TITLE", None)
            run.outcome, run.end_message = end.outcome, end.message
        except AssistantError as error:
            exc = run.server_errors.told(page, self.settings, error, since=since)  # a 5xx is no lost session
            exc = run.outage(page, exc, origin=self.settings.origin, writes=step.writes, since=lost)  # down, not changed
            exc.message += shown_instead(page, exc)  # a drift error names the page shown, if known
            result.status, result.error, result.control = "failed", self.redactor.scrub(exc.message), exc.control
            result.candidates = [self.redactor.scrub(c) for c in getattr(exc, "candidates", [])]
            result.page = exc.page or getattr(run.current, "TITLE", None)
            run.failure, run.outcome = exc, exc.outcome
        except PlaywrightError as exc:
            # An unexpected browser error (page crashed, target closed, name not resolved...): keep the evidence.
            failure = from_browser(exc, "Erreur du navigateur", page=getattr(run.current, "TITLE", None))
            run.failure = run.outage(page, failure, origin=self.settings.origin, writes=step.writes, since=lost)
            result.status, result.error = "failed", self.redactor.scrub(run.failure.message)
            run.outcome = run.failure.outcome
        except KeyboardInterrupt:
            result.status = "failed"
            run.outcome = "interrupted"
        if interrupts.received() or run.outcome == "interrupted":
            # the signal came first: whatever failed after it (Chromium died with it) is the interruption
            result.error = f"Interrompu par {interrupts.reason()}." if result.status == "failed" else None
            run.failure, run.outcome = None, "interrupted"
        result.duration_s = round(time.perf_counter() - t0, 3)
        if run.outcome != "interrupted":
            take_evidence(page, run.current, result, run.report_dir, self.settings, self.redactor,
                          failed=result.status == "failed", keep_html=page_wanted(run.result))
            if self.observe is not None:
                self.observe(run.current, step, result)
            if run.tracing:
                run.context.tracing.group_end()
        self.progress("end", step, result)
        if result.status == "ok":
            run.stopped_at = None
