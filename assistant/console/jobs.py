"""One console run (a :class:`Job`): what it does (an :class:`Action`), on which portal (a
:class:`Commune`), its live events for the page, the agent's answer before « VALIDER », and, once
finished, its record for the history (no identifiant, no password). A console that stops while a
run waits for that answer answers no (:meth:`Job.interrupt`): « VALIDER » is never clicked, and the
run is recorded as interrupted (:func:`interrupted_record`).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from loguru import logger

from .. import interrupts
from ..config import Timeouts
from ..outcomes import outcome as describe
from ..steps import Step

#: how long « VALIDER » waits for the agent's answer before it counts as « non »
CONFIRM_TIMEOUT_S = 10 * 60
#: how long a stopping console gives its runs, in all, to close their browsers and write their reports
STOP_WAIT_S = 10.0


class Refused(Exception):
    """A run the console will not start; ``message`` is French, for the page."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Action:
    """What a run does: its key in the form, its French label and help; whether it needs a family's credentials."""

    key: str
    label: str
    help: str
    needs_credentials: bool = True


@dataclass
class Commune:
    """A portal the console can work on; ``demo`` gives the replica's demo credentials."""

    key: str
    label: str
    base_url: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    demo: Callable[[str | None], tuple[str, str]] | None = None
    demo_payer: str | None = None


def family_key(commune: Commune, username: str) -> str:
    """What identifies a family for the lock, without keeping its identifiant."""
    return hashlib.sha256(f"{commune.base_url}\n{username.strip().lower()}".encode()).hexdigest()


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Job:
    """One run: its events (for the live page) and, once finished, its record (for the history)."""

    def __init__(self, run_id: str, action: Action, commune: Commune, folder: Path):
        self.id = run_id
        self.action = action
        self.commune = commune
        self.folder = folder
        self.started_at = now()
        self.finished = False
        self.events: list[dict[str, Any]] = []
        self.changed = threading.Condition()
        self.answer: bool | None = None
        self.answered = threading.Event()
        self.keys: tuple[str, ...] = ()
        self.record: dict[str, Any] = {}
        self.section = ""  # the guide's rehearsals report in sub-folders
        self.t0 = time.perf_counter()
        self.thread: threading.Thread | None = None
        self.waiting = False  # a question before « VALIDER » waits for the agent
        self.interrupted: str | None = None  # who stopped the console during the run (« l’opérateur (Ctrl-C…) »)
        self.interrupted_waiting = False  # ... while the question before « VALIDER » waited for the agent
        self.finishing = False

    # -- events -------------------------------------------------------------------------------
    def emit(self, kind: str, **data: Any) -> None:
        with self.changed:
            self.events.append({"id": len(self.events), "type": kind, **data})
            self.changed.notify_all()

    def events_after(self, last: int, timeout: float) -> tuple[list[dict[str, Any]], bool]:
        """Events after index ``last`` (waiting up to ``timeout`` for one), and whether the run is over."""
        with self.changed:
            if len(self.events) <= last + 1 and not self.finished:
                self.changed.wait(timeout)
            return self.events[last + 1:], self.finished

    def progress(self, event: str, step: Step, result) -> None:
        """The runner's progress, as live events with the step's screenshot and duration."""
        if event == "start" and step.number == 0 and self.action.key == "guide":
            self.section = "adhesion" if not self.section else "paiement"
        shot = None
        if result is not None and result.screenshot:
            where = f"guide/rapports/{self.section}/" if self.action.key == "guide" else ""
            shot = f"/runs/{self.id}/files/{where}{result.screenshot}"
        self.emit("step", event=event, number=step.number, title=step.title, section=self.section,
                  status=getattr(result, "status", None) if event != "start" else "running",
                  duration=getattr(result, "duration_s", None) if event == "end" else None,
                  error=getattr(result, "error", None) if event == "end" else None, screenshot=shot)

    def confirm(self, step: Step) -> bool:
        """Before « VALIDER »: ask the agent in the page and wait for the answer (no answer: no)."""
        self.emit("confirm", number=step.number, title=step.title,
                  question="Cliquer « VALIDER » maintenant ? La demande d’adhésion sera envoyée au portail.")
        logger.info("run {}: waiting for the agent's confirmation", self.id)
        self.waiting = True
        answered = self.answered.wait(CONFIRM_TIMEOUT_S)
        self.waiting = False
        yes = bool(answered and self.answer) and self.interrupted is None
        self.emit("confirmed", answer=yes)
        logger.info("run {}: agent answered {}", self.id, "yes" if yes else "no")
        return yes

    def give_answer(self, yes: bool) -> bool:
        """The agent's answer; False when no question is pending."""
        if self.finished or self.answered.is_set() or not any(e["type"] == "confirm" for e in self.events):
            return False
        self.answer = yes
        self.answered.set()
        return True

    def interrupt(self, reason: str) -> None:
        """The console stops (``reason``: who stopped it): a question pending, or to come, is answered no."""
        self.interrupted = reason
        self.interrupted_waiting = self.waiting
        self.answer = False
        self.answered.set()

    def summary(self) -> dict[str, Any]:
        """What the history lists (no identifiant, no password)."""
        return {"id": self.id, "action": self.action.key, "action_label": self.action.label,
                "commune": self.commune.label, "started_at": self.started_at, "running": not self.finished,
                **{k: self.record.get(k) for k in ("outcome", "exit_code", "message", "duration_s", "report")}}


def interrupted_record(job: Job) -> dict[str, Any]:
    """The record of a run the console's stop ended: outcome « interrupted », said in French."""
    chosen = describe("interrupted")
    if job.interrupted_waiting:
        message = (f"Exécution interrompue par {job.interrupted} pendant l’attente de la confirmation avant « VALIDER » "
                   ": la console a été arrêtée, « VALIDER » n’a pas été cliqué, rien n’a été envoyé.")
    else:
        message = f"Exécution interrompue par {job.interrupted} : la console a été arrêtée pendant l’exécution."
    return {"outcome": chosen.key, "exit_code": interrupts.exit_code(), "message": message,
            "next_action": chosen.next_action}
