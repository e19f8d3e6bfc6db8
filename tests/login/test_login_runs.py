"""The login's outcomes through the runner: a wrong password is said once and never retried, a first
login that must change its password needs a person."""

from __future__ import annotations

from flows.adhesion import FLOW
from support import run_on_replica


def test_wrong_password_is_rejected_once_without_retry(replica, run_flow, tmp_path):
    report = run_on_replica(run_flow, replica, tmp_path, FLOW, password="pas-le-bon-mot-de-passe")

    assert report.outcome == "login_rejected" and report.exit_code == 1
    assert len([e for e in replica.audit if "Logon" in e.route]) == 1
    assert report.steps[0].status == "failed" and report.steps[0].screenshot


def test_password_change_family_needs_a_person(replica, run_flow, tmp_path):
    report = run_on_replica(run_flow, replica, tmp_path, FLOW, "famille.durand")

    assert report.outcome == "password_change_required" and report.exit_code == 5
