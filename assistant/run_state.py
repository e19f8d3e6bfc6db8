"""The mutable state of one run, and the rehearsal's network guard (kept beside the runner)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loguru import logger

from . import interrupts
from .errors import (AssistantError, LoginRejected, PortalChanged, PortalUnavailable, PortalUnreachable, SessionExpired,
                     Unreadable)
from .fetch import ServerErrors
from .outcomes import outcome as describe
from .pages.browser_error import unreachable
from .redact import masked_identifier
from .results import RunReport, StepResult
from .steps import Flow
from .suggest import with_flags

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from .config import Settings
    from .pages.base import PortalPage
    from .redact import Redactor


def now() -> str:
    """Now, in UTC, as ISO 8601 to the millisecond."""
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


@dataclass
class RunState:
    """The mutable state of one run, shared by the runner's small methods: the browser page, the page
    object the journey is on, the flow's typed result, and what the runner notes on the way."""

    flow: Flow
    rehearse: bool
    report_dir: Path
    guard: NetworkGuard
    result: Any = None
    context: "BrowserContext | None" = None
    page: "Page | None" = None
    current: "PortalPage | None" = None
    results: list[StepResult] = field(default_factory=list)
    outcome: str | None = None
    failure: AssistantError | None = None
    end_message: str | None = None
    relogins: int = 0
    stopped_at: str | None = None
    tracing: bool = False
    trace: str | None = None
    trace_lost: str | None = None
    first_trace: str | None = None
    session_relogin: str | None = None
    consent_refused: str | None = None
    dialogs_closed: str | None = None
    server_errors: ServerErrors = field(default_factory=ServerErrors)
    started_at: str = field(default_factory=now)
    t0: float = field(default_factory=time.perf_counter)

    def may_replay(self) -> bool:
        """A lost session, nothing written, no new login yet (by the runner or the flow itself): play again once."""
        return (isinstance(self.failure, SessionExpired) and not self.relogins
                and not getattr(self.result, "relogins", 0)
                and not any(r.writes and r.status != "skipped" for r in self.results)
                and not any(r.status == "failed" and r.number == 0 for r in self.results))

    def outage(self, page: "Page", error: AssistantError, *, origin: str, writes: bool, since: int = 0
               ) -> AssistantError:
        """What ``error`` is when the portal stopped answering. A page or a value looked for on Chromium's own
        error page, or while a page or a call of the portal (``origin``) got no answer at all (from the
        ``since``-th one on), is that outage: never a drift, an unreadable value, a refused login (the portal's
        script saying « une erreur est survenue » for a call that got no answer) or a lost session (a writing
        step's error is its read-back's, kept); an address that leads nowhere once the portal has answered in
        this run (a step went through) is the portal gone, not a wrong address (the next action: try again
        later, not check it)."""
        told: AssistantError | None = None
        lost = [(where, cause) for at, where, cause in self.server_errors.lost[since:] if at == origin]
        if isinstance(error, (PortalChanged, Unreadable, LoginRejected, SessionExpired)) and not writes:
            told = unreachable(page, error.page)
            if told is None and lost:
                where, cause = lost[-1]
                told = PortalUnavailable(f"Le portail est injoignable : {cause} ({where} sans réponse).",
                                         page=error.page, url=origin + where.split(" ", 1)[1])
        elif type(error) is PortalUnreachable and any(r.status == "ok" for r in self.results):
            told = PortalUnavailable(f"{error.message} Le portail a répondu plus tôt dans ce parcours : il s’est "
                                     "arrêté ou la connexion a été coupée (l’adresse n’est pas en cause).",
                                     page=error.page, url=error.url, control=error.control)
        if told is None:
            return error
        told.__cause__ = error
        return told

    def report(self, settings: "Settings", redactor: "Redactor") -> RunReport:
        """The run's typed report: outcome, French message and next action (one instruction: the one the
        failure carries, if any; the commands it names carry the run's portal and family, ``Settings.again``),
        steps, result, notes (a new login the flow itself made is noted as the runner's own); the commune and
        the family's identifiant (masked in part) from ``settings``."""
        key = "interrupted" if interrupts.received() else self.outcome or "done"
        chosen = describe(key)
        message = self.failure.message if self.failure else self.end_message or chosen.sentence
        played = [r for r in self.results if r.status != "skipped"]
        if key == "interrupted":
            message = f"Parcours interrompu par {interrupts.reason()}."
            last = played[-1] if played else None
            self.stopped_at = self.stopped_at or (f"après l’étape {last.number} · {last.title}" if last
                                                  else "avant le début du parcours")
        next_action = (self.failure.next_action if self.failure else None) or chosen.next_action
        read_back = self.failure is not None and self.failure.read_back is not None
        nothing_sent = self.failure is not None and self.failure.nothing_sent
        if not read_back and not nothing_sent and any(r.writes and (r.status == "failed" or key == "interrupted") for r in played):
            # the writing click may have reached the portal before the failure: never replay blindly
            message += (" Attention : l’étape qui écrit a commencé, la demande a peut-être été enregistrée ; "
                        "vérifiez avec « assistant statut » avant de relancer.")
            next_action = "Lancer « assistant statut » (lecture seule) et ne relancer que si l’adhésion n’y figure pas."
        return RunReport(
            flow=self.flow.name, title=self.flow.title, outcome=key,
            exit_code=interrupts.exit_code() if key == "interrupted" else chosen.exit_code,
            message=redactor.scrub(with_flags(message, settings.again)),
            next_action=with_flags(next_action, settings.again), base_url=settings.base_url,
            rehearse=self.rehearse, started_at=self.started_at, commune=settings.tenant, replica=settings.replica,
            account=masked_identifier(settings.username), duration_s=round(time.perf_counter() - self.t0, 3),
            steps=self.results, result=self.result, trace=self.trace, stopped_at=self.stopped_at,
            consent_refused=self.consent_refused, dialogs_closed=self.dialogs_closed,
            session_relogin=self.session_relogin or getattr(self.result, "session_relogin", None),
            blocked_requests=list(self.guard.blocked), first_trace=self.first_trace, trace_lost=self.trace_lost,
        )
