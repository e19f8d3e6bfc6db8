"""One writing run per family and portal at a time, across processes (the lock file)."""

from __future__ import annotations

import threading

import assistant.runner as runner_module
from assistant.locks import family_lock
from flows import adhesion, status
from support import replica_settings

BASE = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"


def test_a_second_run_on_the_same_family_waits_for_the_first():
    events: list[str] = []
    waited = threading.Event()

    def second() -> None:
        with family_lock(BASE, "Famille.Martin ", on_wait=lambda: (events.append("waits"), waited.set())):
            events.append("second runs")

    with family_lock(BASE, "famille.martin"):
        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(5)
        events.append("first ends")
    thread.join(5)
    assert events == ["waits", "first ends", "second runs"]


def test_other_families_and_portals_do_not_wait():
    told: list[str] = []
    with family_lock(BASE, "famille.martin"):
        with family_lock(BASE, "famille.bernard", on_wait=lambda: told.append("bernard")):
            pass
        with family_lock(BASE.replace("grandperigueux", "maisons-alfort"), "famille.martin",
                         on_wait=lambda: told.append("autre portail")):
            pass
    assert told == []


def test_only_runs_that_can_write_take_the_lock(replica, run_flow, tmp_path, monkeypatch):
    taken: list[str] = []
    real = runner_module.family_lock

    def spy(base_url, username, **kw):
        taken.append(username)
        return real(base_url, username, **kw)

    monkeypatch.setattr(runner_module, "family_lock", spy)
    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path)
    read = run_flow(settings, status.FLOW)
    rehearsed = run_flow(settings, adhesion.FLOW, rehearse=True)
    assert (read.outcome, rehearsed.outcome, taken) == ("not_adhered", "rehearsed", [])
    done = run_flow(settings, adhesion.FLOW)
    assert (done.outcome, taken) == ("done", ["famille.martin"])
