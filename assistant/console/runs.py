"""The console's runs: each in its own worker thread with its own browser, one at a time per family.

Playwright's sync API belongs to the thread that started it, so a job's thread starts its own
browser (through the runner or :func:`assistant.browser.open_browser`); the web server's threads
only read a job's events. Credentials reach a job as arguments of its thread and are dropped when
it ends: never stored, logged, put in an event or in the run history. Two runs on the same family
(same commune + identifiant) at once: the second is refused with a French message, so two runs
can never both write.

Each run leaves a folder ``<runs_dir>/<id>/``: the runner's reports and screenshots, the guide or
the invoices' PDFs, and ``run.json`` (what the history lists: no identifiant, no password), written
as the run starts and again when it ends. The identifiant and the password get the command line's
limits (:func:`assistant.config.check_credentials`) before any browser starts.

A console stopped (SIGINT, SIGTERM) while runs are under way (:meth:`RunManager.interrupt`): a
question before « VALIDER » is answered no (nothing is sent), each run ends as « interrupted » and
is written to the history; a run the console could not see end (a console killed outright) is
listed as interrupted by the next console.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .. import interrupts
from ..config import Settings, check_credentials
from ..errors import AssistantError, ConfigError
from ..locks import lock_folder
from .actions import ACTIONS, BY_HAND, NEEDS_PERSON, by_hand, play, record_of
from .jobs import STOP_WAIT_S, Action, Commune, Job, Refused, family_key, interrupted_record, now


class RunManager:
    """Starts jobs, keeps the per-family locks, lists past runs."""

    def __init__(self, runs_dir: Path, communes: list[Commune], *, machine: Settings | None = None,
                 max_jobs: int = 2):
        """``machine``: what the environment sets for every run (Chromium, the family locks' folder and
        wait), as the command line reads it (:meth:`Settings.from_env`): one family from the console
        then the command line meets the same lock. The locks' folder is checked (made if need be) as the
        command line checks it: a French :class:`ConfigError` when it cannot serve, ``lock_note`` when
        the machine's shared one falls back to this user's."""
        self.runs_dir = Path(runs_dir)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.communes = {c.key: c for c in communes}
        machine = machine or Settings()
        locks, self.lock_note = lock_folder(machine.lock_dir)
        self.machine = replace(machine, lock_dir=locks)
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
        try:
            check_credentials(username, password, ("le champ « Identifiant de la famille »",
                                                   "le champ « Mot de passe de la famille »"))
        except ConfigError as exc:
            raise Refused(exc.message, 400) from None
        accounts: list[tuple[str, str]] = []
        if username and password:
            accounts.append((username, password))
        elif action.needs_credentials or commune.demo is None:
            raise Refused("Identifiant et mot de passe de la famille sont nécessaires pour cette action.", 400)
        if action.key == "guide" and not accounts and commune.demo is not None:
            accounts = [commune.demo(None), commune.demo(commune.demo_payer)]
        job = self._new_job(action, commune)
        keys = tuple(dict.fromkeys(family_key(commune, u) for u, _ in accounts))
        with self.lock:
            if sum(not j.finished for j in self.jobs.values()) >= self.max_jobs:
                raise Refused(f"Déjà {self.max_jobs} exécutions en cours sur ce poste : attendez la fin de l’une d’elles.")
            taken = next((k for k in keys if k in self.busy), None)
            if taken is not None:
                other = self.jobs[self.busy[taken]]
                raise Refused(f"Une exécution est déjà en cours pour cette famille (« {other.action.label} », "
                              f"commencée à {other.started_at[11:16]}) : attendez sa fin avant d’en lancer une autre.")
            self._take(job, keys)
        settings = [self._settings(commune, job.folder, u, p) for u, p in accounts] or [
            self._settings(commune, job.folder, None, None)]
        logger.info("run {} started: {} on {}", job.id, action.key, commune.key)
        # the credentials live on in this thread's arguments only, until the run ends
        return self._launch(job, self._work, settings)

    def hand_over(self, run_id: str) -> Job:
        """Open a visible browser on the commune's portal for a person to finish by hand."""
        past = self.jobs.get(run_id)
        if past is None or not past.finished or past.record.get("outcome") not in NEEDS_PERSON:
            raise Refused("Cette exécution ne demande pas l’intervention d’une personne.", 400)
        job = self._new_job(BY_HAND, past.commune)
        with self.lock:
            if any(k in self.busy for k in past.keys):
                raise Refused("Une exécution est déjà en cours pour cette famille : attendez sa fin.")
            self._take(job, past.keys)
        return self._launch(job, self._work_by_hand, self._settings(past.commune, job.folder, None, None))

    def _new_job(self, action: Action, commune: Commune) -> Job:
        run_id = f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        return Job(run_id, action, commune, self.runs_dir / run_id)

    def _take(self, job: Job, keys: tuple[str, ...]) -> None:
        """Lock the job's families (under ``self.lock``) and list the job."""
        for key in keys:
            self.busy[key] = job.id
        job.keys = keys
        self.jobs[job.id] = job

    def _launch(self, job: Job, work: Callable[[Job, Any], None], settings: Any) -> Job:
        """Make the job's folder, say it started, and run ``work(job, settings)`` in its own thread."""
        job.folder.mkdir(parents=True)
        self._write(job, job.summary())  # listed from now on, even by a console started after this one
        job.emit("started", action=job.action.label, commune=job.commune.label, started_at=job.started_at)
        job.thread = threading.Thread(target=work, args=(job, settings), name=f"run-{job.id}", daemon=True)
        job.thread.start()
        return job

    def _write(self, job: Job, data: dict[str, Any]) -> None:
        (job.folder / "run.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    def _settings(self, commune: Commune, folder: Path, username: str | None, password: str | None) -> Settings:
        settings = replace(self.machine, base_url=commune.base_url, timeouts=commune.timeouts, report_dir=folder,
                           username=None, password=None)
        return settings.with_credentials(username, password) if username and password else settings

    # -- working (in the job's thread) ------------------------------------------------------------
    def _work(self, job: Job, settings: list[Settings]) -> None:
        record: dict[str, Any] = {}
        try:
            record = play(job, settings)
        except AssistantError as exc:
            record = record_of(exc.outcome, exc.message)
            if getattr(exc, "report_html", None):
                record["report"] = str(Path(exc.report_html).relative_to(job.folder))
        except PlaywrightError as exc:
            record = record_of("portal_unavailable", "Le navigateur s’est arrêté : "
                               + (exc.message or str(exc)).splitlines()[0])
        except Exception:  # last resort in a worker thread: logged in English, said in French, never silent
            logger.exception("run {} crashed", job.id)
            record = record_of("portal_changed", "Erreur interne de l’assistant : voir le journal de la console.")
        finally:
            settings.clear()  # the credentials end with the run
            self._finish(job, record)

    def _work_by_hand(self, job: Job, settings: Settings) -> None:
        try:
            record = by_hand(job, settings)
        finally:
            del settings
        self._finish(job, record)

    def _finish(self, job: Job, record: dict[str, Any]) -> None:
        with self.lock:  # once: by the run's thread, or by the console stopping when the thread could not end
            if job.finishing:
                return
            job.finishing = True
        if job.interrupted is not None and (record.get("outcome") in (None, "declined") or job.interrupted_waiting):
            record = {**record, **interrupted_record(job)}  # the runner's own words when it was not waiting
        record.update(duration_s=round(time.perf_counter() - job.t0, 2), finished_at=now(),
                      needs_person=record.get("outcome") in NEEDS_PERSON)
        job.record = record
        data = {**job.summary(), **record, "running": False}
        self._write(job, data)
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

    # -- stopping ---------------------------------------------------------------------------------
    def interrupt(self, wait_s: float = STOP_WAIT_S) -> None:
        """The console stops (SIGINT, SIGTERM): every run under way ends as interrupted and is written to the
        history. A question before « VALIDER » is answered no; each run is given ``wait_s`` seconds in all to
        close its browser and write its reports, and one that could not is written here."""
        with self.lock:
            running = [job for job in self.jobs.values() if not job.finished]
        reason = interrupts.reason() if interrupts.received() else "l’arrêt de la console"
        for job in running:
            job.interrupt(reason)
        deadline = time.monotonic() + wait_s
        for job in running:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
        for job in running:
            if not job.finished:
                logger.warning("run {} did not end with the console: recorded as interrupted", job.id)
                self._finish(job, {})

    # -- reading ----------------------------------------------------------------------------------
    def get(self, run_id: str) -> Job | None:
        return self.jobs.get(run_id)

    def past(self, run_id: str) -> dict[str, Any] | None:
        """A finished run's record from disk (runs of an earlier console too); a run an earlier console
        could not see end (it was killed outright) is said interrupted."""
        if not run_id.replace("-", "").isalnum():
            return None
        path = self.runs_dir / run_id / "run.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(record, dict) and record.get("running") and run_id not in self.jobs:
            record.update(running=False, **record_of("interrupted", "Exécution interrompue : la console s’est arrêtée "
                                                     "avant sa fin (le rapport, s’il existe, dit où)."))
        return record

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        """Past and running runs, most recent first."""
        seen = {job.id: job.summary() for job in self.jobs.values()}
        for path in sorted(self.runs_dir.glob("*/run.json"), reverse=True)[:limit]:
            if path.parent.name not in seen:
                record = self.past(path.parent.name)
                if record:
                    seen[path.parent.name] = record
        return sorted(seen.values(), key=lambda r: r["id"], reverse=True)[:limit]


__all__ = ["ACTIONS", "Commune", "Job", "Refused", "RunManager"]
