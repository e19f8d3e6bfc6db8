"""The monitor's history in SQLite: runs, steps, drifts, alerts and each tenant's alert state.

One file (default ``surveillance/historique.sqlite``), shared safely by several monitor processes:
WAL journal, a busy timeout, and every run written in one ``BEGIN IMMEDIATE`` transaction together
with the alert decision it implies, so two monitors never lose, duplicate or double-alert a run.

A file that is not this history (not SQLite, another application's database, a damaged file or a
schema newer than this version) is refused with a French message and left untouched: nothing is
written before it has been recognised. Secrets never reach it: runs carry the runner's already
scrubbed messages, drifts the scrubbed fingerprints.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..errors import ConfigError, os_reason

APPLICATION_ID = 0x45434D4E  # "ECMN": Espace Citoyens MoNitor
SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    outcome TEXT NOT NULL,
    class TEXT NOT NULL,
    ok INTEGER NOT NULL,
    message TEXT NOT NULL,
    step INTEGER,
    control TEXT,
    report_dir TEXT,
    incident TEXT,
    monitor TEXT
);
CREATE INDEX runs_by_tenant ON runs (tenant, started_at);
CREATE TABLE steps (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    duration_s REAL NOT NULL,
    page TEXT,
    error TEXT,
    control TEXT,
    PRIMARY KEY (run_id, number)
);
CREATE TABLE drifts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    tenant TEXT NOT NULL,
    at TEXT NOT NULL,
    class TEXT NOT NULL,
    step INTEGER,
    page TEXT,
    summary TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
CREATE INDEX drifts_by_tenant ON drifts (tenant, at);
CREATE TABLE alert_state (
    tenant TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    since TEXT NOT NULL
);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    tenant TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    delivered INTEGER
);
"""




def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


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


class History:
    """The history file; open with :meth:`open` (checks it before anything is written)."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = connection

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> "History":
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:  # an empty file: another monitor is creating it
            connection = cls._recognise(path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = cls._connect(path)
                cls._create(connection)
            except OSError as exc:
                raise ConfigError(f"Historique impossible à créer ({path}) : {os_reason(exc)}.", key="--history") from None
            except sqlite3.Error as exc:
                raise ConfigError(f"Historique impossible à créer ({path}) : {exc}.", key="--history") from None
        return cls(path, connection)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    @classmethod
    def _recognise(cls, path: Path) -> sqlite3.Connection:
        """Check a file really is this history, reading only; raise a French ConfigError otherwise."""
        left = "Le fichier est laissé tel quel."
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise ConfigError(f"Historique illisible ({path}) : {os_reason(exc)}. {left}", key="--history") from None
        if head != SQLITE_MAGIC:
            raise ConfigError(f"{path} n’est pas un historique de surveillance (pas une base SQLite, ou fichier "
                              f"endommagé). {left} Indiquez un autre fichier avec --history.", key="--history")
        try:
            probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                app_id = probe.execute("PRAGMA application_id").fetchone()[0]
                version = probe.execute("PRAGMA user_version").fetchone()[0]
                check = probe.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                probe.close()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"Historique endommagé ({path}) : {exc}. {left} Restaurez une sauvegarde ou "
                              "indiquez un autre fichier avec --history.", key="--history") from None
        if app_id != APPLICATION_ID:
            raise ConfigError(f"{path} est une base SQLite d’une autre application, pas un historique de "
                              f"surveillance. {left}", key="--history")
        if version > SCHEMA_VERSION:
            raise ConfigError(f"L’historique {path} a été créé par une version plus récente de l’assistant "
                              f"(schéma {version}, cette version connaît le schéma {SCHEMA_VERSION}). {left} "
                              "Mettez l’assistant à jour.", key="--history")
        if check != "ok":
            raise ConfigError(f"Historique endommagé ({path}) : {check}. {left}", key="--history")
        return cls._connect(path)

    @staticmethod
    def _create(connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                for statement in filter(str.strip, SCHEMA.split(";")):
                    connection.execute(statement)
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------
    def record(self, run: RunRow, steps: list[StepRow], drifts: list[DriftRow] = (), *, decide: Decide | None = None,
               recent: int = 20) -> tuple[int, AlertRow | None, bool]:
        """Write one run, its steps, its drifts (those of a new incident only) and the alert it implies.

        Returns (run id, the alert to send or None, whether this run starts a new incident: its
        ``incident`` key differs from the tenant's previous run).
        """
        with self._write() as db:
            previous = db.execute("SELECT incident FROM runs WHERE tenant = ? ORDER BY id DESC LIMIT 1",
                                  (run.tenant,)).fetchone()
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
                    "SELECT ok FROM runs WHERE tenant = ? ORDER BY id DESC LIMIT ?", (run.tenant, recent))][::-1]
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
        with self._write() as db:
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

    def availability(self, tenant: str, since: timedelta, now: datetime | None = None) -> tuple[float | None, int]:
        """(share of runs that went through, number of runs) over the last ``since``; None without runs."""
        start = iso((now or utc_now()) - since)
        total, good = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(ok), 0) FROM runs WHERE tenant = ? AND started_at >= ?",
            (tenant, start)).fetchone()
        return (good / total if total else None), total

    def step_durations(self, tenant: str, since: timedelta, now: datetime | None = None) -> dict[tuple[int, str], list[float]]:
        """Durations of the steps that went through, by (number, title), over the last ``since``."""
        start = iso((now or utc_now()) - since)
        out: dict[tuple[int, str], list[float]] = {}
        for number, title, duration in self.db.execute(
                "SELECT s.number, s.title, s.duration_s FROM steps s JOIN runs r ON r.id = s.run_id "
                "WHERE r.tenant = ? AND r.started_at >= ? AND s.status = 'ok' ORDER BY s.number", (tenant, start)):
            out.setdefault((number, title), []).append(duration)
        return out

    def drifts(self, tenant: str | None = None, limit: int = 20) -> list[DriftRow]:
        query = "SELECT class, step, page, summary, before, after, tenant, at FROM drifts"
        args: tuple = ()
        if tenant:
            query += " WHERE tenant = ?"
            args = (tenant,)
        rows = self.db.execute(query + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [DriftRow(*r) for r in rows]

    def alerts(self, tenant: str | None = None) -> list[AlertRow]:
        query = "SELECT tenant, kind, title, body, at, id FROM alerts"
        args: tuple = ()
        if tenant:
            query += " WHERE tenant = ?"
            args = (tenant,)
        return [AlertRow(*r) for r in self.db.execute(query + " ORDER BY id", args)]

    # -- aggregates (the metrics start from them: a monitor started from cron keeps them growing) ---------
    def _among(self, tenants: list[str], column: str) -> tuple[str, tuple]:
        return f"{column} IN ({', '.join('?' * len(tenants))})", tuple(tenants)

    def counts(self, tenants: list[str]) -> dict[tuple[str, str], int]:
        """Runs by (tenant, class) since the file was created."""
        where, args = self._among(tenants, "tenant")
        return {(t, k): n for t, k, n in self.db.execute(
            f"SELECT tenant, class, COUNT(*) FROM runs WHERE {where} GROUP BY 1, 2", args)}

    def drift_counts(self, tenants: list[str]) -> dict[tuple[str, str], int]:
        where, args = self._among(tenants, "tenant")
        return {(t, k): n for t, k, n in self.db.execute(
            f"SELECT tenant, class, COUNT(*) FROM drifts WHERE {where} GROUP BY 1, 2", args)}

    def last_success(self, tenants: list[str]) -> dict[str, str]:
        where, args = self._among(tenants, "tenant")
        return dict(self.db.execute(f"SELECT tenant, MAX(finished_at) FROM runs WHERE ok = 1 AND {where} "
                                    "GROUP BY tenant", args))

    def last_ok(self, tenants: list[str]) -> dict[str, bool]:
        """Whether each tenant's last run went through."""
        where, args = self._among(tenants, "tenant")
        return {t: bool(ok) for t, ok in self.db.execute(
            f"SELECT tenant, ok FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE {where} GROUP BY tenant)", args)}

    def duration_buckets(self, tenants: list[str], bounds: tuple[float, ...], *, steps: bool
                         ) -> dict[tuple[str, ...], tuple[list[int], float, int]]:
        """Durations in histogram form: per tenant (and step number, with ``steps``), the count at or
        under each bound, the sum and the count; steps that went through only."""
        where, args = self._among(tenants, "r.tenant")
        under = ", ".join("SUM(d <= ?)" for _ in bounds)
        if steps:
            source = (f"SELECT r.tenant AS tenant, s.number AS number, s.duration_s AS d FROM steps s "
                      f"JOIN runs r ON r.id = s.run_id WHERE s.status = 'ok' AND {where}")
            keys = "tenant, number"
        else:
            source = f"SELECT r.tenant AS tenant, r.duration_s AS d FROM runs r WHERE {where}"
            keys = "tenant"
        found = {}
        for row in self.db.execute(f"SELECT {keys}, COUNT(*), SUM(d), {under} FROM ({source}) GROUP BY {keys}",
                                   (*bounds, *args)):
            width = 2 if steps else 1
            key, (count, total), cumulative = row[:width], row[width:width + 2], row[width + 2:]
            found[key] = (list(cumulative), total or 0.0, count)
        return found


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0-100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]
