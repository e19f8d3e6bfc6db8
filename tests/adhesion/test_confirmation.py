"""The question before « VALIDER » comes when « VALIDER » is about to be clicked, not before the login:
a family with nothing to do gets its answer without a terminal; with no terminal to ask and no --yes,
the run stops at « VALIDER » (nothing clicked) and says to relaunch with --yes (exit 2)."""

from __future__ import annotations

import json

import pytest

from support import CREDENTIALS, assistant, suggested

pytestmark = pytest.mark.process  # every test here starts the assistant or the replica as a process


@pytest.mark.parametrize(("family", "outcome"), [("famille.bernard", "already_done"), ("famille.petit", "pending")])
def test_a_family_with_nothing_to_do_gets_its_answer_without_a_terminal(family, outcome, tmp_path):
    done = assistant("adhesion", "--replica", "--account", family, "--json", "--report-dir", str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcome"] == outcome
    assert [s["status"] for s in report["steps"]] == ["ok", "ok", "ok", "skipped", "skipped", "skipped", "skipped"]


def test_without_terminal_nor_yes_the_run_stops_at_valider_with_nothing_clicked(replica, tmp_path):
    done = assistant("adhesion", "--base-url", replica.base_url, "--json", "--report-dir", str(tmp_path / "r"),
                     env=CREDENTIALS)

    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert (report["outcome"], report["exit_code"]) == ("confirmation_needed", 2)
    assert report["message"] == ("« VALIDER » n’a pas été cliqué : sans terminal pour poser la question, l’accord se "
                                 "donne avec --yes. Rien n’a été enregistré.")
    assert report["next_action"].startswith(f"Relancer « {suggested(f'adhesion --yes --base-url {replica.base_url}')} »")
    assert [(s["number"], s["status"]) for s in report["steps"]] == [
        (0, "ok"), (1, "ok"), (2, "ok"), (3, "ok"), (4, "ok"), (5, "ok"), (6, "skipped")]
    assert replica.account("famille.martin")["adhesion"] == "NON"
    assert [e.route for e in replica.audit if "Valider" in e.route] == []
    assert json.loads((tmp_path / "r" / "report.json").read_text())["outcome"] == "confirmation_needed"
