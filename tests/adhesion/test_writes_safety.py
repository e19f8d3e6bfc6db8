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


@pytest.mark.process
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


@pytest.mark.process
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
    assert list((tmp_path / "locks").glob("*.lock")) and not list((tmp_path / "locks").glob("*martin*"))


def test_the_lock_files_are_in_the_machines_folder_and_name_no_family(tmp_path):
    # the conftest points the machine's folder at the test's own (tmp_path / "locks")
    with family_lock("http://127.0.0.1:1/grandperigueux/espace-citoyens/", "Famille.Martin"):
        files = list((tmp_path / "locks").iterdir())
    # one for the host's name, one for its address (loopback)
    assert len(files) == 2 and not any("martin" in f.name.lower() for f in files)


def run(run_flow, rep, tmp_path, flow=adhesion.FLOW, *, rehearse=False, observe=None, timeouts=None):
    settings = replica_settings(rep, FAMILY, report_dir=tmp_path / "report")
    settings = replace(settings, timeouts=timeouts) if timeouts else settings
    return run_flow(settings, flow, rehearse=rehearse, observe=observe)


@pytest.mark.parametrize("changed_to, expected", [("EN_ATTENTE", "pending"), ("OUI", "already_done")])
def test_the_state_is_read_again_before_validate(replica, run_flow, tmp_path, changed_to, expected):
    def family_acts_meanwhile(shown, step, result):
        if step.number == 5:  # the recap is shown: the family (or another machine) acts on the portal now
            with replica.state.lock:
                replica.state.accounts[FAMILY]["adhesion"] = changed_to

    report = run(run_flow, replica, tmp_path, observe=family_acts_meanwhile)

    assert (report.outcome, report.exit_code) == (expected, 0)
    assert report.result.choice_before_validate == changed_to
    assert "« VALIDER » n’a pas été cliqué" in report.message
    assert [e for e in replica.audit if e.route.lower().endswith("valider")] == []


def test_a_slow_validate_is_an_unknown_outcome_read_back_not_a_missing_control(replica, run_flow, tmp_path):
    # the portal takes longer to answer « VALIDER » than the assistant waits for its confirmation
    replica.set_faults(Faults(latency_ms={"*/Valider": 20_000}))
    waits = replace(Timeouts.for_replica(), wait_modal=1_000)

    report = run(run_flow, replica, tmp_path, timeouts=waits)

    # the state read back decides: still « NON » while the slow request is on its way, « OUI » once applied
    expected = {"NON": ("validation_unknown", 3), "OUI": ("done", 0)}[report.result.verified_choice]
    assert (report.outcome, report.exit_code) == expected
    assert report.result.after_validate.startswith("« VALIDER » cliqué, pas de confirmation : « VALIDER » a été envoyé")
    if report.outcome == "validation_unknown":
        assert "le résultat n’est pas connu" in report.message and "pour l’instant" in report.message


def test_a_plain_text_500_after_validate_is_read_back_at_once(replica, run_flow, tmp_path):
    def plain_500_on_validate(shown, step, result):
        if step.number == 5:
            def applied_then_500(route) -> None:
                route.fetch(max_redirects=0)  # the portal applies « VALIDER »... then answers a bare 500
                route.fulfill(status=500, content_type="text/plain", body="500 - Internal server error.")
            shown.page.route("**/*alider*", applied_then_500)

    report = run(run_flow, replica, tmp_path, observe=plain_500_on_validate)

    assert (report.outcome, report.exit_code) == ("done", 0)
    assert report.result.after_validate.startswith(  # told by the answer itself, not after a long wait
        "« VALIDER » cliqué, pas de confirmation : « VALIDER » a été envoyé, le portail a répondu par une erreur (HTTP 500)")
    assert report.result.verified_choice == "OUI"
    assert len(validations(replica)) == 1


def test_a_read_only_rehearsal_sends_no_post_but_the_login(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, adhesion.LECTURE, rehearse=True)

    assert (report.outcome, report.exit_code) == ("rehearsed", 0)
    assert [s.number for s in report.steps] == [0, 1, 2, 3, 4]
    assert [(e.method, e.route) for e in replica.audit if e.method != "GET"] == [("POST", "Home/Logon")]
    assert report.blocked_requests == []


def test_a_read_only_rehearsal_aborts_any_write_from_the_login_on(replica, run_flow, tmp_path):
    def try_to_post(shown, step, result):
        if step.number == 1:
            shown.page.evaluate("fetch(location.href, {method: 'POST'}).catch(() => null)")

    report = run(run_flow, replica, tmp_path, adhesion.LECTURE, rehearse=True, observe=try_to_post)

    assert report.outcome == "rehearsed"
    assert len(report.blocked_requests) == 1 and report.blocked_requests[0].startswith("POST ")
    assert [e.route for e in replica.audit if e.method == "POST"] == ["Home/Logon"]


def test_help_says_what_each_rehearsal_sends():
    from assistant.cli import build_parser
    from assistant.frenchargs import commands

    text = " ".join(commands(build_parser())["adhesion"].format_help().split())
    assert "POST de « Aller à l’étape 2 »" in text and "--rehearse=lecture" in text
    assert "7 une autre exécution est en cours" in text
