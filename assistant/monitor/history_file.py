"""The monitor's history file: recognise it, or create it, before anything is written.

A file that is not this history (not SQLite, another application's database, a damaged file or a
schema newer than this version) is refused with a French message and left untouched. Every write
goes through :func:`immediate`: one ``BEGIN IMMEDIATE`` transaction, so several monitors can share
the file (WAL journal, busy timeout).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


@contextmanager
def immediate(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (``BEGIN IMMEDIATE``), rolled back on any error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def open_file(path: Path) -> sqlite3.Connection:
    """The history's connection: an existing file checked first, a new one created with the schema."""
    if path.exists() and path.stat().st_size > 0:  # an empty file: another monitor is creating it
        return _recognise(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(path)
        _create(connection)
    except OSError as exc:
        raise ConfigError(f"Historique impossible à créer ({path}) : {os_reason(exc)}.", key="--history") from None
    except sqlite3.Error as exc:
        raise ConfigError(f"Historique impossible à créer ({path}) : {exc}.", key="--history") from None
    return connection


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _recognise(path: Path) -> sqlite3.Connection:
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
    return _connect(path)


def _create(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode = WAL")
    with immediate(connection):
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            for statement in filter(str.strip, SCHEMA.split(";")):
                connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
