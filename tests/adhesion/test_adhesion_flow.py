"""The adhesion flow on the replica, through the runner in pytest-playwright's own context."""

from __future__ import annotations

import pytest

import flows.adhesion
from support import replica_settings


def test_adhesion_flow_activates_and_verifies(run_flow, context, replica, tmp_path):
    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), flows.adhesion.FLOW)
    assert (report.outcome, report.steps[-1].page) == ("done", "Confirmation de la demande")
    request = replica.account("famille.martin")["requests"][-1]
    assert report.to_dict()["result"] == {"choice_before": "NON", "request_number": request["number"],
                                          "request_status": "Acceptée", "verified_choice": "OUI"}
    assert context.pages == []  # the verification tab and the run's page are closed; the context is the test's
    assert [e.route for e in replica.audit if e.changed] == ["Demande/NouvelleDemande/FACTURE/ADHESION/Valider",
                                                            "Home/LogOff"]


@pytest.mark.parametrize(("username", "outcome"), [("famille.bernard", "already_done"), ("famille.petit", "pending")])
def test_adhesion_flow_stops_at_step_2_when_nothing_to_do(run_flow, replica, username, outcome, tmp_path):
    report = run_flow(replica_settings(replica, username, report_dir=tmp_path), flows.adhesion.FLOW)
    assert report.outcome == outcome
    assert [s.status for s in report.steps] == ["ok"] * 3 + ["skipped"] * 4
    assert not any(e.changed and "logoff" not in e.detail for e in replica.audit)
