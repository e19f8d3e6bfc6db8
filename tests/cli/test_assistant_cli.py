"""The ``assistant`` command: exit codes, French messages, credentials, JSON output."""

from __future__ import annotations

import json
import os
import signal

import pytest

from assistant.cli import main
from assistant.config import ENV_PASSWORD, ENV_URL, ENV_USERNAME
from assistant.replica import Faults
from support import CREDENTIALS, free_port, read_until, start_assistant


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No .env and no credentials leak in from the developer's shell."""
    monkeypatch.chdir(tmp_path)
    for key in (ENV_USERNAME, ENV_PASSWORD, ENV_URL):
        monkeypatch.delenv(key, raising=False)


def test_unknown_flag_exits_2_in_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["adhesion", "--bogus"])
    assert exc.value.code == 2
    assert "arguments inconnus" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["adhesion", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "codes de sortie" in out and "5  une personne doit agir" in out


def test_missing_credentials_when_not_interactive_names_the_variable(capsys):
    assert main(["statut"]) == 2
    assert ENV_USERNAME in capsys.readouterr().err


def test_invalid_tenant_exits_2(capsys):
    assert main(["statut", "--tenant", "Grand_Perigueux"]) == 2
    assert "commune invalide" in capsys.readouterr().err


def test_account_without_replica_exits_2(capsys):
    assert main(["statut", "--account", "famille.martin"]) == 2
    assert "--account" in capsys.readouterr().err


def test_unreachable_portal_exits_3_saying_what_was_tried(run_assistant, tmp_path):
    base = f"http://127.0.0.1:{free_port()}/grandperigueux/espace-citoyens/"
    done = run_assistant("statut", "--base-url", base, "--report-dir", str(tmp_path / "r"), "--json", env=CREDENTIALS)
    report = json.loads(done.stdout)
    assert done.returncode == 3 and report["outcome"] == "portal_unavailable"
    assert base in report["message"]


def test_unknown_tenant_on_a_live_server_exits_3(run_assistant, session_replica, tmp_path):
    base = session_replica.base_url.replace("grandperigueux", "communeinconnue")
    done = run_assistant("statut", "--base-url", base, "--report-dir", str(tmp_path / "r"), "--json", env=CREDENTIALS)
    report = json.loads(done.stdout)
    assert done.returncode == 3 and report["outcome"] == "portal_unavailable"
    assert "communeinconnue" in report["message"]


def test_replica_adhesion_with_yes_prints_report_json(run_assistant, tmp_path):
    done = run_assistant("adhesion", "--replica", "--yes", "--json", "--report-dir", str(tmp_path / "r"))
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["outcome"] == "done"
    assert "[6/6]" in done.stderr
    assert (tmp_path / "r" / "report.html").is_file()


def test_statut_on_an_adhered_demo_family_in_french(run_assistant, tmp_path):
    done = run_assistant("statut", "--replica", "--account", "famille.bernard", "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 0
    assert "Rapport :" in done.stdout and "active" in done.stdout


def test_unknown_demo_family_exits_2_listing_the_choices(run_assistant, tmp_path):
    done = run_assistant("statut", "--replica", "--account", "famille.inconnue", "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 2
    assert "famille.martin" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.process
def test_ctrl_c_mid_run_closes_the_browser_and_reports_where_it_stopped(replica, tmp_path):
    """SIGINT to the whole process group, as a terminal's Ctrl-C does, while step 1 waits."""
    replica.set_faults(Faults(latency_ms={"MonCompte": 5000}))
    proc = start_assistant("adhesion", "--base-url", replica.base_url, "--yes", "--report-dir", str(tmp_path / "r"),
                           env=CREDENTIALS)
    read_until(proc, "[1/6]")
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["outcome"] == "interrupted"
    assert report["stopped_at"].startswith("Étape 1")
    assert "assistant statut" not in out  # « VALIDER » was far away: nothing may have been recorded
    assert replica.account("famille.martin")["adhesion"] == "NON"
