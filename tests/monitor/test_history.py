"""The history file: what it keeps, what it refuses (untouched), and two monitors writing at once."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from assistant.errors import ConfigError
from assistant.monitor.history import History, RunRow, StepRow, iso, percentile
from support import ROOT, spawn

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def run_row(tenant: str, at: datetime, klass: str = "ok", incident: str | None = None) -> RunRow:
    return RunRow(tenant=tenant, started_at=iso(at), finished_at=iso(at + timedelta(seconds=4)), duration_s=4.0,
                  outcome="rehearsed" if klass in ("ok", "cosmetic") else "portal_unavailable", klass=klass,
                  message="m", incident=incident)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_runs_steps_availability_and_percentiles(tmp_path):
    history = History.open(tmp_path / "h.sqlite")
    for i in range(10):
        klass = "outage" if i in (3, 7) else "ok"
        history.record(run_row("gp", T0 + timedelta(hours=i), klass),
                       [StepRow(1, "Mes factures", "ok", 0.1 * (i + 1))])
    history.record(run_row("gp", T0 - timedelta(days=3)), [StepRow(1, "Mes factures", "ok", 9.0)])
    now = T0 + timedelta(hours=10)
    assert history.availability("gp", timedelta(hours=24), now) == (0.8, 10)
    assert history.availability("gp", timedelta(days=7), now) == (9 / 11, 11)
    durations = history.step_durations("gp", timedelta(hours=24), now)[(1, "Mes factures")]
    assert percentile(durations, 50) == pytest.approx(0.5)
    assert percentile(durations, 95) == pytest.approx(1.0)
    assert [r.klass for r in history.last_runs("gp", 3)] == ["ok", "ok", "outage"]
    history.close()


def test_a_drift_is_journaled_once_per_incident(tmp_path):
    from assistant.monitor.history import DriftRow

    history = History.open(tmp_path / "h.sqlite")
    drift = [DriftRow("cosmetic", 1, "Mes factures", "texte modifié", "- avant", "+ après")]
    news = [history.record(run_row("gp", T0 + timedelta(minutes=i), "cosmetic", incident=key), [], drift)[2]
            for i, key in enumerate(["a", "a", "b", "a"])]
    assert news == [True, False, True, True]
    assert len(history.drifts("gp")) == 3
    history.close()


@pytest.mark.parametrize("content, words", [
    (b"ceci n'est pas une base\n" * 50, "n’est pas un historique de surveillance"),
    (b"SQLite format 3\x00" + b"\x00\x10\x01\x01" + b"\xff" * 4000, "endommagé"),
])
def test_a_file_that_is_not_a_history_is_refused_and_left_untouched(tmp_path, content, words):
    path = tmp_path / "historique.sqlite"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(ConfigError) as caught:
        History.open(path)
    assert words in caught.value.message and "laissé tel quel" in caught.value.message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["historique.sqlite"]


def test_a_newer_history_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "historique.sqlite"
    History.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    before = digest(path)
    with pytest.raises(ConfigError) as caught:
        History.open(path)
    assert "version plus récente" in caught.value.message and "schéma 99" in caught.value.message
    assert digest(path) == before


def test_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "autre.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    before = digest(path)
    with pytest.raises(ConfigError) as caught:
        History.open(path)
    assert "autre application" in caught.value.message
    assert digest(path) == before


WRITER = """
import sys
from datetime import datetime, timedelta, timezone
sys.path.insert(0, {root!r})
from assistant.monitor.history import History, RunRow, StepRow, iso
history = History.open(sys.argv[1])
name = sys.argv[2]
t0 = datetime(2026, 3, 2, tzinfo=timezone.utc)
for i in range(int(sys.argv[3])):
    at = t0 + timedelta(seconds=i)
    history.record(RunRow(name, iso(at), iso(at), 1.0, "rehearsed", "ok", "m", incident=None),
                   [StepRow(n, f"step {{n}}", "ok", 0.1) for n in range(7)],
                   decide=lambda state, oks: ("up", None))
history.close()
"""


@pytest.mark.process
def test_two_monitors_on_one_file_lose_and_duplicate_nothing(tmp_path):
    path = tmp_path / "h.sqlite"
    History.open(path).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)), encoding="utf-8")
    procs = [spawn(str(script), str(path), name, "150") for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0], [p.stderr.read() for p in procs]
    history = History.open(path)
    counts = dict(history.db.execute("SELECT tenant, COUNT(*) FROM runs GROUP BY tenant"))
    steps = history.db.execute("SELECT COUNT(*), COUNT(DISTINCT run_id || '-' || number) FROM steps").fetchone()
    ids = history.db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM runs").fetchone()
    history.close()
    assert counts == {"a": 150, "b": 150}
    assert steps == (2100, 2100)
    assert ids == (300, 300)


def test_historique_prints_last_runs_availability_and_percentiles(tmp_path, capsys):
    from assistant.cli import main

    path = tmp_path / "h.sqlite"
    history = History.open(path)
    now = datetime.now(timezone.utc)
    for i in range(4):
        history.record(run_row("gp", now - timedelta(hours=i + 1), "outage" if i == 0 else "ok"),
                       [StepRow(0, "Connexion à l’espace famille", "ok", 1.0 + i)])
    history.close()
    assert main(["historique", "--history", str(path), "--tenant", "gp"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "gp"
    assert out[2] == "  disponibilité : 24 h 75,0 % (4 répétition(s)) · 7 jours 75,0 % (4 répétition(s))"
    assert out[4].startswith("    ✗ ") and "indisponibilité" in out[4]
    assert out[-1].endswith("2,00 s / 4,00 s")


def test_historique_on_a_corrupt_file_says_so_in_french_and_leaves_it(tmp_path, capsys):
    from assistant.cli import main

    path = tmp_path / "h.sqlite"
    path.write_bytes(b"pas une base" * 100)
    before = digest(path)
    assert main(["historique", "--history", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Erreur : {path} n’est pas un historique de surveillance") and "Traceback" not in err
    assert digest(path) == before
