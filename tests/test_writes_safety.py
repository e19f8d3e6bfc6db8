"""Safety of the one writing step under concurrency and slow answers: one run per family (a
bounded wait, then « family_busy »), the state read again just before « VALIDER », a slow or
failing « VALIDER » read back as « outcome unknown », and a rehearsal that sends nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Timeouts
from assistant.locks import family_lock
from assistant.outcomes import outcome
from assistant.replica import Faults
from assistant.runner import Runner
from flows import adhesion
from support import ACCOUNTS, replica_settings

ASSISTANT = str(Path(sys.executable).with_name("assistant"))
FAMILY = "famille.martin"


def cli_env(tmp_path: Path, lock_wait_s: float) -> dict[str, str]:
    """The environment of a real ``assistant`` process: the family's credentials, a private state folder."""
    return {**os.environ, "ESPACE_CITOYENS_USERNAME": FAMILY, "ESPACE_CITOYENS_PASSWORD": ACCOUNTS[FAMILY]["password"],
            "XDG_STATE_HOME": str(tmp_path / "state"), "ASSISTANT_LOCK_WAIT": str(lock_wait_s)}


def start_adhesion(rep, tmp_path: Path, n: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([ASSISTANT, "adhesion", "--yes", "--json", "--base-url", rep.base_url,
                             "--report-dir", str(tmp_path / f"run-{n}")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def validations(rep) -> list:
    return [e for e in rep.audit if e.route.lower().endswith("valider") and e.accepted and e.changed]


def test_ten_parallel_runs_on_one_family_validate_once(replica, tmp_path):
    env = cli_env(tmp_path, lock_wait_s=2)
    runs = [start_adhesion(replica, tmp_path, n, env) for n in range(10)]
    ended = [(run.wait(timeout=300), *run.communicate()) for run in runs]

    assert len(validations(replica)) == 1
    assert replica.duplicate_validations == 0
    outcomes = []
    for code, out, err in ended:
        if code == outcome("family_busy").exit_code:
            assert "Une autre exécution est en cours pour cette famille" in err
            outcomes.append("family_busy")
        else:
            assert code == 0, err
            outcomes.append(json.loads(out)["outcome"])
    assert outcomes.count("done") == 1
    assert set(outcomes) <= {"done", "already_done", "family_busy"}


def test_a_run_that_cannot_get_the_lock_in_time_stops_busy_having_sent_nothing(replica, tmp_path, monkeypatch):
    env = cli_env(tmp_path, lock_wait_s=0.5)
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    with family_lock(replica.base_url, FAMILY):
        run = start_adhesion(replica, tmp_path, 0, env)
        code = run.wait(timeout=120)
    out, err = run.communicate()

    assert code == 7 == outcome("family_busy").exit_code
    assert "Une autre exécution est en cours pour cette famille sur ce portail" in err
    assert [e for e in replica.audit if e.method == "POST"] == []
    assert not list((Path(env["XDG_STATE_HOME"]) / "espace-citoyens-assistant" / "locks").glob("*martin*"))


def test_the_lock_file_is_in_the_state_folder_and_names_no_family(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    with family_lock("http://127.0.0.1:1/grandperigueux/espace-citoyens/", "Famille.Martin"):
        files = list((tmp_path / "espace-citoyens-assistant" / "locks").iterdir())
    assert len(files) == 1 and "martin" not in files[0].name.lower()
