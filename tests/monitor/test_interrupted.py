"""SIGINT and SIGTERM are the operator's, not the portal's: a monitor stopped (the process alone or its
whole group, one cycle or ``--every``, systemd's stop) exits 130 / 143, records the rehearsal under
way as « interrupted », sends no alert, journals no drift, and counts nothing against the portal's
availability or step durations; its Chromium goes with it and the next cycle starts clean.

Each tenant's replica holds step 1's page a few seconds (a latency shorter than the time-outs), so
that the signal lands while a rehearsal is under way; alerts go to a webhook and would be sent after
the first failure (``--alert-after 1``)."""

from __future__ import annotations

import os
import select
import signal
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.monitor.history import History
from assistant.replica import Faults
from support import assistant, spawn
from test_cli_monitor import ENV, Lines, tenants_file

pytestmark = pytest.mark.process  # every test here starts the assistant or the replica as a process

SYSTEMD_TIMEOUT_S = 10  # TimeoutStopSec: then SIGKILL to whatever is left of the group


def monitor(tmp_path: Path, path: Path, webhook, *every: str, group: bool = True):
    return spawn("-m", "assistant", "surveiller", "--tenants", str(path), "--dossier", str(tmp_path / "s"),
                 "--alert", webhook.url, "--alert-after", "1", *every, env=ENV, cwd=tmp_path,
                 start_new_session=group)


def held(portals) -> None:
    for p in portals:
        p.replica.set_faults(Faults(latency_ms={"MonCompte": 3000}))


def runs(tmp_path: Path):
    history = History.open(tmp_path / "s" / "historique.sqlite")
    try:
        found = {t: [(r.outcome, r.klass) for r in history.last_runs(t, 50)] for t in history.tenants()}
        availability = {t: history.availability(t, timedelta(hours=24)) for t in history.tenants()}
        return found, availability, history.drifts(), history.alerts()
    finally:
        history.close()


def group_left(pgid: int) -> list[int]:
    """The processes of group ``pgid`` still alive (no zombie), from /proc."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


def wait_gone(pids: list[int], timeout_s: float) -> list[int]:
    """Wait (on pidfds, no polling) until every process of ``pids`` ended; those still alive after ``timeout_s``."""
    left = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            if not select.select([fd], [], [], timeout_s)[0]:
                left.append(pid)
        finally:
            os.close(fd)
    return left


@pytest.mark.parametrize("sig, code, group, every", [
    (signal.SIGINT, 130, True, ()), (signal.SIGTERM, 143, True, ("--every", "1s")),
    (signal.SIGTERM, 143, False, ()), (signal.SIGINT, 130, False, ("--every", "1s")),
])
def test_a_signal_during_a_rehearsal_records_it_interrupted_not_an_outage(portal, webhook, tmp_path, sig, code,
                                                                         group, every):
    alpha = portal("alpha")
    path = tenants_file(tmp_path / "communes.toml", [alpha])
    held([alpha])
    proc = monitor(tmp_path, path, webhook, *every, group=group)
    out = Lines(proc)
    out.until(r"^→ alpha : répétition en cours")
    (os.killpg if group else os.kill)(proc.pid, sig)
    lines = out.rest()

    assert proc.wait(timeout=120) == code, lines + [proc.stderr.read()]
    assert "Traceback" not in proc.stderr.read()
    assert any(line.startswith("Surveillance interrompue par") for line in lines), lines
    found, availability, drifts, alerts = runs(tmp_path)
    assert found == {"alpha": [("interrupted", "interrupted")]}
    assert availability == {"alpha": (None, 0)}  # nothing said about the portal
    assert drifts == [] and alerts == [] and webhook.received == []
    assert 'espace_citoyens_rehearsals_total{class="interrupted",tenant="alpha"} 1.0' in (
        tmp_path / "s" / "metrics.prom").read_text(encoding="utf-8")
    assert "espace_citoyens_up{" not in (tmp_path / "s" / "metrics.prom").read_text(encoding="utf-8")


def test_systemds_stop_leaves_no_outage_no_alert_no_chromium_and_the_next_cycle_starts_clean(portal, webhook, tmp_path):
    """Two tenants rehearsed at once, ``--every``: SIGTERM to the whole group, SIGKILL to what is left
    after the stop time-out, as systemd stops a service; then a new monitor on the same folder."""
    portals = [portal("alpha"), portal("beta")]
    path = tenants_file(tmp_path / "communes.toml", portals)
    proc = monitor(tmp_path, path, webhook, "--every", "1s")
    out = Lines(proc)
    out.until(r"^✓ beta : nominal|^✓ alpha : nominal")
    held(portals)  # from the next cycle on, step 1 is slow: the stop lands during both rehearsals
    out.until(r"^Prochain cycle")
    out.until(r"^→ (alpha|beta) : répétition en cours")
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        code = proc.wait(timeout=SYSTEMD_TIMEOUT_S)
    finally:
        left = wait_gone(group_left(proc.pid), SYSTEMD_TIMEOUT_S)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
    lines = out.rest()

    assert code == 143, lines
    assert left == []  # Chromium and Playwright's driver ended with the monitor: nothing for SIGKILL
    found, availability, drifts, alerts = runs(tmp_path)
    assert not [klass for rows in found.values() for _, klass in rows if klass not in ("ok", "interrupted")], found
    assert ("interrupted", "interrupted") in found["alpha"] + found["beta"]
    assert all(share == 1.0 for share, _ in availability.values()), availability
    assert drifts == [] and alerts == [] and webhook.received == []

    for p in portals:
        p.replica.set_faults(Faults())
    again = assistant("surveiller", "--tenants", str(path), "--dossier", str(tmp_path / "s"), env=ENV, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    found, _, _, _ = runs(tmp_path)
    assert [rows[0] for rows in found.values()] == [("rehearsed", "ok")] * 2


def test_sigterm_to_the_monitor_alone_ends_every_rehearsal_under_way_as_interrupted(portal, webhook, tmp_path):
    """Two rehearsals at once on one browser that lives on (only the monitor is signalled): the signal is
    raised in each of them, both are recorded as interrupted, none as an outage."""
    portals = [portal("alpha"), portal("beta")]
    held(portals)
    proc = monitor(tmp_path, tenants_file(tmp_path / "communes.toml", portals), webhook)
    out = Lines(proc)
    out.until(r"^→ (alpha|beta) : répétition en cours")
    out.until(r"^→ (alpha|beta) : répétition en cours")
    os.kill(proc.pid, signal.SIGTERM)
    lines = out.rest()

    assert proc.wait(timeout=120) == 143, lines + [proc.stderr.read()]
    assert "Traceback" not in proc.stderr.read()
    found, availability, drifts, alerts = runs(tmp_path)
    assert found == {"alpha": [("interrupted", "interrupted")], "beta": [("interrupted", "interrupted")]}
    assert availability == {"alpha": (None, 0), "beta": (None, 0)}
    assert drifts == [] and alerts == [] and webhook.received == []
