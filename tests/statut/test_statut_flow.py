"""The status flow on the replica, through the runner in pytest-playwright's own context."""

from __future__ import annotations

import pytest

import flows.status
from support import replica_settings


@pytest.mark.parametrize(("username", "outcome"), [
    ("famille.bernard", "already_done"), ("famille.petit", "pending"), ("famille.martin", "not_adhered"),
])
def test_status_flow_reports_the_state(run_flow, session_replica, username, outcome, tmp_path):
    report = run_flow(replica_settings(session_replica, username, report_dir=tmp_path), flows.status.FLOW)
    assert report.outcome == outcome
    # the replica is shared: other tests log these families off (a change of session, not of the account)
    assert not any(e.changed and "logoff" not in e.detail for e in session_replica.audit if e.account == username)


def test_status_phrases_oui_as_active(run_flow, session_replica, tmp_path):
    report = run_flow(replica_settings(session_replica, "famille.bernard", report_dir=tmp_path), flows.status.FLOW)
    assert report.message == flows.status.ACTIVE
    assert report.to_dict()["result"] == {"choice_before": "OUI"}
