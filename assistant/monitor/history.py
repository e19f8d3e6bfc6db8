"""The monitor's history in SQLite: runs, steps, drifts, alerts and each tenant's alert state.

One file (default ``surveillance/historique.sqlite``), shared safely by several monitor processes:
WAL journal, a busy timeout, and every run written in one ``BEGIN IMMEDIATE`` transaction together
with the alert decision it implies, so two monitors never lose, duplicate or double-alert a run.

A run interrupted by a signal (class ``interrupted``) is kept, but says nothing about the portal:
incidents, alert decisions, availability and durations leave it out (:data:`.summaries.PORTAL_RUNS`).

A file that is not this history (not SQLite, another application's database, a damaged file or a
schema newer than this version) is refused with a French message and left untouched: nothing is
written before it has been recognised. Secrets never reach it: runs carry the runner's already
scrubbed messages, drifts the scrubbed fingerprints.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .history_file import immediate, open_file
from .summaries import PORTAL_RUNS, Summaries, iso, percentile, utc_now


@dataclass
class RunRow:
    """One run as written (and read back by ``assistant historique``)."""

    tenant: str
    started_at: str
    finished_at: str
    duration_s: float
    outcome: str
    klass: str
    message: str
    step: int | None = None
    control: str | None = None
    report_dir: str | None = None
    incident: str | None = None
    monitor: str | None = None
    id: int | None = None

    @property
    def ok(self) -> bool:
        return self.klass in ("ok", "cosmetic")


@dataclass
class StepRow:
    number: int
    title: str
    status: str
    duration_s: float
    page: str | None = None
    error: str | None = None
    control: str | None = None


@dataclass
class DriftRow:
    klass: str
    step: int | None
    page: str | None
    summary: str
    before: str
    after: str
    tenant: str = ""
    at: str = ""


@dataclass
class AlertRow:
    tenant: str
    kind: str
    title: str
    body: str
    at: str = ""
    id: int | None = None


#: given the tenant's alert state (None: never alerted) and its recent runs (oldest first, this one
#: last), the new state and the alert to send, if any
Decide = Callable[[str | None, list[bool]], tuple[str, "tuple[str, str, str] | None"]]


class History(Summaries):
    """The history file; open with :meth:`open` (checks it before anything is written)."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = connection

    @classmethod
    def open(cls, path: Path) -> "History":
        path = Path(path)
        return cls(path, open_file(path))

    def close(self) -> None:
        self.db.close()

    # -- writing -------------------------------------------------------------------------------
    def record(self, run: RunRow, steps: list[StepRow], drifts: list[DriftRow] = (), *, decide: Decide | None = None,
               recent: int = 20) -> tuple[int, AlertRow | None, bool]:
        """Write one run, its steps, its drifts (those of a new incident only) and the alert it implies.

        Returns (run id, the alert to send or None, whether this run starts a new incident: its
        ``incident`` key differs from the tenant's previous run).
        """
        with immediate(self.db) as db:
            previous = db.execute(f"SELECT incident FROM runs WHERE tenant = ? AND {PORTAL_RUNS} "
                                  "ORDER BY id DESC LIMIT 1", (run.tenant,)).fetchone()
            new_incident = run.incident is not None and (previous is None or previous[0] != run.incident)
            cursor = db.execute(
                "INSERT INTO runs (tenant, started_at, finished_at, duration_s, outcome, class, ok, message, step, "
                "control, report_dir, incident, monitor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run.tenant, run.started_at, run.finished_at, run.duration_s, run.outcome, run.klass, int(run.ok),
                 run.message, run.step, run.control, run.report_dir, run.incident, run.monitor))
            run.id = cursor.lastrowid
            db.executemany(
                "INSERT INTO steps (run_id, number, title, status, duration_s, page, error, control) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run.id, s.number, s.title, s.status, s.duration_s, s.page, s.error, s.control) for s in steps])
            if new_incident:
                db.executemany(
                    "INSERT INTO drifts (run_id, tenant, at, class, step, page, summary, before, after) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run.id, run.tenant, run.finished_at, d.klass, d.step, d.page, d.summary, d.before, d.after)
                     for d in drifts])
            alert = None
            if decide is not None:
                row = db.execute("SELECT state FROM alert_state WHERE tenant = ?", (run.tenant,)).fetchone()
                oks = [bool(r[0]) for r in db.execute(
                    f"SELECT ok FROM runs WHERE tenant = ? AND {PORTAL_RUNS} ORDER BY id DESC LIMIT ?",
                    (run.tenant, recent))][::-1]
                state, wanted = decide(row[0] if row else None, oks)
                if row is None or row[0] != state:
                    db.execute("INSERT INTO alert_state (tenant, state, since) VALUES (?, ?, ?) ON CONFLICT (tenant) "
                               "DO UPDATE SET state = excluded.state, since = excluded.since",
                               (run.tenant, state, run.finished_at))
                if wanted is not None:
                    kind, title, body = wanted
                    alert = AlertRow(run.tenant, kind, title, body, at=run.finished_at)
                    alert.id = db.execute(
                        "INSERT INTO alerts (run_id, tenant, at, kind, title, body) VALUES (?, ?, ?, ?, ?, ?)",
                        (run.id, run.tenant, alert.at, kind, title, body)).lastrowid
            return run.id, alert, new_incident

    def delivered(self, alert: AlertRow, ok: bool) -> None:
        with immediate(self.db) as db:
            db.execute("UPDATE alerts SET delivered = ? WHERE id = ?", (int(ok), alert.id))

    # -- reading -------------------------------------------------------------------------------
    def tenants(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT tenant FROM runs ORDER BY tenant")]

    def last_runs(self, tenant: str, limit: int = 10) -> list[RunRow]:
        rows = self.db.execute(
            "SELECT id, tenant, started_at, finished_at, duration_s, outcome, class, message, step, control, "
            "report_dir, incident, monitor FROM runs WHERE tenant = ? ORDER BY started_at DESC, id DESC LIMIT ?", (tenant, limit))
        return [RunRow(id=r[0], tenant=r[1], started_at=r[2], finished_at=r[3], duration_s=r[4], outcome=r[5],
                       klass=r[6], message=r[7], step=r[8], control=r[9], report_dir=r[10], incident=r[11],
                       monitor=r[12]) for r in rows]

    def _where_tenant(self, query: str, tenant: str | None) -> tuple[str, tuple]:
        """``query`` limited to one tenant when one is given, and its arguments."""
        return (f"{query} WHERE tenant = ?", (tenant,)) if tenant else (query, ())

    def drifts(self, tenant: str | None = None, limit: int = 20) -> list[DriftRow]:
        query, args = self._where_tenant("SELECT class, step, page, summary, before, after, tenant, at FROM drifts", tenant)
        return [DriftRow(*r) for r in self.db.execute(query + " ORDER BY id DESC LIMIT ?", (*args, limit))]

    def alerts(self, tenant: str | None = None) -> list[AlertRow]:
        query, args = self._where_tenant("SELECT tenant, kind, title, body, at, id FROM alerts", tenant)
        return [AlertRow(*r) for r in self.db.execute(query + " ORDER BY id", args)]


__all__ = ["AlertRow", "Decide", "DriftRow", "History", "RunRow", "StepRow", "iso", "percentile", "utc_now"]
