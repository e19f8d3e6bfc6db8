"""The console's runs: each in its own worker thread with its own browser, one at a time per family.

Playwright's sync API belongs to the thread that started it, so a job's thread starts its own
browser (through the runner or :func:`assistant.browser.open_browser`); the web server's threads
only read a job's events. Credentials reach a job as arguments of its thread and are dropped when
it ends: never stored, logged, put in an event or in the run history. Two runs on the same family
(same commune + identifiant) at once: the second is refused with a French message, so two runs
can never both write.

Each run leaves a folder ``<runs_dir>/<id>/``: the runner's reports and screenshots, the guide or
the invoices' PDFs, and ``run.json`` (what the history lists: no identifiant, no password).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from ..config import Settings, Timeouts
from ..errors import AssistantError, BrowserUnavailable
from ..outcomes import outcome as describe
from ..report import write_all
from ..results import RunReport
from ..runner import Runner
from ..steps import Step

#: how long « VALIDER » waits for the agent's answer before it counts as « non »
CONFIRM_TIMEOUT_S = 10 * 60
#: how long a headed browser is left to a person
HANDOVER_TIMEOUT_S = 20 * 60
NEEDS_PERSON = {"password_change_required", "needs_human"}


class Refused(Exception):
    """A run the console will not start; ``message`` is French, for the page."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    help: str
    needs_credentials: bool = True


ACTIONS: dict[str, Action] = {a.key: a for a in (
    Action("verifier", "Vérifier le portail", "répétition des six étapes, « VALIDER » n’est jamais cliqué"),
    Action("diagnostic", "Diagnostiquer un compte", "lecture seule : connexion, facture en ligne, factures dues"),
    Action("activer", "Activer la facture en ligne", "les six étapes ; confirmation demandée avant « VALIDER »"),
    Action("factures", "Factures", "liste des factures et leurs PDF (lecture seule)"),
    Action("guide", "Guide", "guide illustré HTML + PDF (sur la réplique : familles de démonstration)",
           needs_credentials=False),
)}


@dataclass
class Commune:
    """A portal the console can work on; ``demo`` gives the replica's demo credentials."""

    key: str
    label: str
    base_url: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    demo: Callable[[str | None], tuple[str, str]] | None = None
    demo_payer: str | None = None


def _family_key(commune: Commune, username: str) -> str:
    """What identifies a family for the lock, without keeping its identifiant."""
    return hashlib.sha256(f"{commune.base_url}\n{username.strip().lower()}".encode()).hexdigest()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Job:
    """One run: its events (for the live page) and, once finished, its record (for the history)."""

    def __init__(self, run_id: str, action: Action, commune: Commune, folder: Path):
        self.id = run_id
        self.action = action
        self.commune = commune
        self.folder = folder
        self.started_at = _now()
        self.finished = False
        self.events: list[dict[str, Any]] = []
        self.changed = threading.Condition()
        self.answer: bool | None = None
        self.answered = threading.Event()
        self.keys: tuple[str, ...] = ()
        self.record: dict[str, Any] = {}
        self.section = ""  # the guide's rehearsals report in sub-folders
        self.t0 = time.perf_counter()

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
        answered = self.answered.wait(CONFIRM_TIMEOUT_S)
        yes = bool(answered and self.answer)
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

    def summary(self) -> dict[str, Any]:
        """What the history lists (no identifiant, no password)."""
        return {"id": self.id, "action": self.action.key, "action_label": self.action.label,
                "commune": self.commune.label, "started_at": self.started_at, "running": not self.finished,
                **{k: self.record.get(k) for k in ("outcome", "exit_code", "message", "duration_s", "report")}}


class RunManager:
    """Starts jobs, keeps the per-family locks, lists past runs."""

    def __init__(self, runs_dir: Path, communes: list[Commune], *, chromium: str | None = None, max_jobs: int = 2):
        self.runs_dir = Path(runs_dir)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.communes = {c.key: c for c in communes}
        self.chromium = chromium
        self.max_jobs = max_jobs
        self.lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self.busy: dict[str, str] = {}  # family key -> run id

    # -- starting -------------------------------------------------------------------------------
    def start(self, action_key: str, commune_key: str, username: str, password: str) -> Job:
        """Check the input, take the family's lock and start the run's thread; :class:`Refused` otherwise."""
        action = ACTIONS.get(action_key)
        commune = self.communes.get(commune_key)
        if action is None or commune is None:
            raise Refused("Action ou commune inconnue : choisissez-les dans la liste.", 400)
        username, password = username.strip(), password or ""
        accounts: list[tuple[str, str]] = []
        if username and password:
            accounts.append((username, password))
        elif action.needs_credentials or commune.demo is None:
            raise Refused("Identifiant et mot de passe de la famille sont nécessaires pour cette action.", 400)
        if action.key == "guide" and not accounts and commune.demo is not None:
            accounts = [commune.demo(None), commune.demo(commune.demo_payer)]
        run_id = self._new_id()
        job = Job(run_id, action, commune, self.runs_dir / run_id)
        keys = tuple(dict.fromkeys(_family_key(commune, u) for u, _ in accounts))
        with self.lock:
            if sum(not j.finished for j in self.jobs.values()) >= self.max_jobs:
                raise Refused(f"Déjà {self.max_jobs} exécutions en cours sur ce poste : attendez la fin de l’une d’elles.")
            taken = next((k for k in keys if k in self.busy), None)
            if taken is not None:
                other = self.jobs[self.busy[taken]]
                raise Refused(f"Une exécution est déjà en cours pour cette famille (« {other.action.label} », "
                              f"commencée à {other.started_at[11:16]}) : attendez sa fin avant d’en lancer une autre.")
            for key in keys:
                self.busy[key] = job.id
            job.keys = keys
            self.jobs[job.id] = job
        job.folder.mkdir(parents=True)
        settings = [self._settings(commune, job.folder, u, p) for u, p in accounts] or [
            self._settings(commune, job.folder, None, None)]
        logger.info("run {} started: {} on {}", job.id, action.key, commune.key)
        job.emit("started", action=action.label, commune=commune.label, started_at=job.started_at)
        # the credentials live on in this thread's arguments only, until the run ends
        threading.Thread(target=self._work, args=(job, settings), name=f"run-{job.id}", daemon=True).start()
        return job

    def hand_over(self, run_id: str) -> Job:
        """Open a visible browser on the commune's portal for a person to finish by hand."""
        past = self.jobs.get(run_id)
        if past is None or not past.finished or past.record.get("outcome") not in NEEDS_PERSON:
            raise Refused("Cette exécution ne demande pas l’intervention d’une personne.", 400)
        action = Action("main", "Finir à la main", "navigateur visible, une personne agit", needs_credentials=False)
        run_id = self._new_id()
        job = Job(run_id, action, past.commune, self.runs_dir / run_id)
        with self.lock:
            if any(k in self.busy for k in past.keys):
                raise Refused("Une exécution est déjà en cours pour cette famille : attendez sa fin.")
            for key in past.keys:
                self.busy[key] = job.id
            job.keys = past.keys
            self.jobs[job.id] = job
        job.folder.mkdir(parents=True)
        job.emit("started", action=action.label, commune=past.commune.label, started_at=job.started_at)
        settings = self._settings(past.commune, job.folder, None, None)
        threading.Thread(target=self._work_by_hand, args=(job, settings), name=f"run-{job.id}", daemon=True).start()
        return job

    def _new_id(self) -> str:
        return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"

    def _settings(self, commune: Commune, folder: Path, username: str | None, password: str | None) -> Settings:
        settings = Settings(base_url=commune.base_url, timeouts=commune.timeouts, chromium=self.chromium,
                            report_dir=folder)
        return settings.with_credentials(username, password) if username and password else settings

    # -- working (in the job's thread) ------------------------------------------------------------
    def _work(self, job: Job, settings: list[Settings]) -> None:
        record: dict[str, Any] = {}
        try:
            record = self._play(job, settings)
        except AssistantError as exc:
            record = self._record(exc.outcome, exc.message)
            if getattr(exc, "report_html", None):
                record["report"] = str(Path(exc.report_html).relative_to(job.folder))
        except PlaywrightError as exc:
            record = self._record("portal_unavailable", "Le navigateur s’est arrêté : "
                                  + (exc.message or str(exc)).splitlines()[0])
        except Exception:  # last resort in a worker thread: logged in English, said in French, never silent
            logger.exception("run {} crashed", job.id)
            record = self._record("portal_changed", "Erreur interne de l’assistant : voir le journal de la console.")
        finally:
            settings.clear()  # the credentials end with the run
            self._finish(job, record)

    @staticmethod
    def _record(key: str, message: str) -> dict[str, Any]:
        chosen = describe(key)
        return {"outcome": key, "exit_code": chosen.exit_code, "message": message, "next_action": chosen.next_action}

    def _from_report(self, report: RunReport, job: Job) -> dict[str, Any]:
        paths = write_all(report, job.folder)
        return {"outcome": report.outcome, "exit_code": report.exit_code, "message": report.message,
                "next_action": report.next_action, "report": paths["html"].name,
                "steps": [{"number": s.number, "title": s.title, "status": s.status, "duration_s": s.duration_s,
                           "error": s.error, "screenshot": s.screenshot} for s in report.steps]}

    def _play(self, job: Job, settings: list[Settings]) -> dict[str, Any]:
        from flows.adhesion import FLOW

        key, first = job.action.key, settings[0]
        if key == "diagnostic":
            from ..helpdesk.diagnostic import diagnose

            diagnosis, report = diagnose(first, progress=job.progress)
            record = self._from_report(report, job)
            record["diagnosis"] = diagnosis.to_dict()
            record["diagnosis"]["report"] = record["report"]
            record["diagnosis"]["lines"] = diagnosis.lines_fr()
            record["message"] = diagnosis.verdict
            return record
        if key == "verifier":
            return self._from_report(Runner(first, progress=job.progress).run(FLOW, rehearse=True), job)
        if key == "activer":
            return self._from_report(Runner(first, progress=job.progress, confirm=job.confirm).run(FLOW), job)
        if key == "factures":
            from flows.invoices import InvoiceOptions, listing_flow

            flow = listing_flow(InvoiceOptions(download_dir=job.folder / "factures"))
            report = Runner(first, progress=job.progress).run(flow)
            record = self._from_report(report, job)
            record["invoices"] = [{**inv.cells_fr(), "pdf": f"factures/{inv.pdf}" if inv.pdf else None}
                                  for inv in (report.result.invoices if report.result else [])]
            return record
        if key == "guide":
            from ..helpdesk.guide import generate

            out = job.folder / "guide"
            result = generate(replace(first, report_dir=out / "rapports"), out,
                              payment_settings=settings[-1], progress=job.progress)
            pictures = sum(s.image is not None for s in result.shots)
            record = self._record("done", f"Guide écrit : {len(result.shots)} étapes, {pictures} captures.")
            record.update(next_action="Télécharger le guide (HTML ou PDF) et l’envoyer à la famille.",
                          files={"Guide (HTML)": "guide/guide.html", "Guide (PDF)": "guide/guide.pdf"},
                          report="guide/guide.html")
            return record
        raise AssertionError(f"unknown action {key}")

    def _work_by_hand(self, job: Job, settings: Settings) -> None:
        from ..browser import CONTEXT_OPTIONS, open_browser

        record: dict[str, Any]
        try:
            with open_browser(settings.chromium, headless=False) as browser:
                context = browser.new_context(**CONTEXT_OPTIONS)
                page = context.new_page()
                page.goto(settings.url("Home/AccueilPublic"), timeout=settings.timeouts.navigation)
                job.emit("note", message="Le navigateur est ouvert sur le portail : la famille ou l’agent termine à la "
                                         "main (nouveau mot de passe, captcha, connexion extérieure), puis ferme la fenêtre.")
                page.wait_for_event("close", timeout=HANDOVER_TIMEOUT_S * 1000)
            record = self._record("done", "Navigateur fermé : relancer le diagnostic pour vérifier.")
        except BrowserUnavailable as exc:
            record = self._record("needs_human", f"Impossible d’ouvrir un navigateur visible sur ce poste : {exc.message}")
        except PlaywrightError as exc:
            first = (exc.message or str(exc)).splitlines()[0]
            if "closed" in first.lower():
                record = self._record("done", "Navigateur fermé : relancer le diagnostic pour vérifier.")
            else:
                record = self._record("needs_human", f"Le navigateur visible n’a pas pu servir : {first}")
        finally:
            del settings
        self._finish(job, record)

    def _finish(self, job: Job, record: dict[str, Any]) -> None:
        record.update(duration_s=round(time.perf_counter() - job.t0, 2), finished_at=_now(),
                      needs_person=record.get("outcome") in NEEDS_PERSON)
        job.record = record
        data = {**job.summary(), **record, "running": False}
        (job.folder / "run.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        with self.lock:
            for key in job.keys:
                if self.busy.get(key) == job.id:
                    del self.busy[key]
        logger.info("run {} finished: {}", job.id, record.get("outcome"))
        with job.changed:  # the last event and the end together: a stream never stops before « end »
            job.events.append({**{k: v for k, v in data.items() if k not in ("steps", "id")}, "run": job.id,
                               "id": len(job.events), "type": "end"})
            job.finished = True
            job.changed.notify_all()

    # -- reading ----------------------------------------------------------------------------------
    def get(self, run_id: str) -> Job | None:
        return self.jobs.get(run_id)

    def past(self, run_id: str) -> dict[str, Any] | None:
        """A finished run's record from disk (runs of an earlier console too)."""
        if not run_id.replace("-", "").isalnum():
            return None
        path = self.runs_dir / run_id / "run.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        """Past and running runs, most recent first."""
        seen = {job.id: job.summary() for job in self.jobs.values()}
        for path in sorted(self.runs_dir.glob("*/run.json"), reverse=True)[:limit]:
            if path.parent.name not in seen:
                record = self.past(path.parent.name)
                if record:
                    seen[path.parent.name] = record
        return sorted(seen.values(), key=lambda r: r["id"], reverse=True)[:limit]

