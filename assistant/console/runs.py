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

import json
import secrets
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from ..config import Settings
from ..errors import AssistantError
from .actions import ACTIONS, BY_HAND, NEEDS_PERSON, by_hand, play, record_of
from .jobs import Action, Commune, Job, Refused, family_key, now


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
        job.emit("started", action=job.action.label, commune=job.commune.label, started_at=job.started_at)
        threading.Thread(target=work, args=(job, settings), name=f"run-{job.id}", daemon=True).start()
        return job

    def _settings(self, commune: Commune, folder: Path, username: str | None, password: str | None) -> Settings:
        settings = Settings(base_url=commune.base_url, timeouts=commune.timeouts, chromium=self.chromium,
                            report_dir=folder)
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
        record.update(duration_s=round(time.perf_counter() - job.t0, 2), finished_at=now(),
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


__all__ = ["ACTIONS", "Commune", "Job", "Refused", "RunManager"]
