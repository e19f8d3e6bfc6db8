"""The flows run on the replica through the runner, in pytest-playwright's own context."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

import flows.adhesion
import flows.status
from assistant.runner import Runner
from assistant.steps import Flow
from support import replica_settings


def drive(flow: Flow, context: BrowserContext, rep, username: str, tmp_path):
    return Runner(replica_settings(rep, username, report_dir=tmp_path)).run(flow, context=context)


def test_adhesion_flow_activates_and_verifies(context: BrowserContext, replica, tmp_path):
    report = drive(flows.adhesion.FLOW, context, replica, "famille.martin", tmp_path)
    assert (report.outcome, report.steps[-1].page) == ("done", "Confirmation de la demande")
    request = replica.account("famille.martin")["requests"][-1]
    assert report.to_dict()["result"] == {"choice_before": "NON", "request_number": request["number"],
                                          "request_status": "Acceptée", "verified_choice": "OUI"}
    assert context.pages == []  # the verification tab and the run's page are closed, the context is left open
    assert [e.route for e in replica.audit if e.changed] == ["Demande/NouvelleDemande/FACTURE/ADHESION/Valider"]


@pytest.mark.parametrize(("username", "outcome"), [("famille.bernard", "already_done"), ("famille.petit", "pending")])
def test_adhesion_flow_stops_at_step_2_when_nothing_to_do(context, replica, username, outcome, tmp_path):
    report = drive(flows.adhesion.FLOW, context, replica, username, tmp_path)
    assert report.outcome == outcome and [s.status for s in report.steps][3:] == ["skipped"] * 4
    assert not any(e.changed for e in replica.audit if "logoff" not in e.detail)


@pytest.mark.parametrize(("username", "outcome"), [
    ("famille.bernard", "already_done"), ("famille.petit", "pending"), ("famille.martin", "not_adhered"),
])
def test_status_flow_reports_the_state(context, session_replica, username, outcome, tmp_path):
    report = drive(flows.status.FLOW, context, session_replica, username, tmp_path)
    assert report.outcome == outcome
    # the replica is shared: other tests log these families off (a change of session, not of the account)
    assert not any(e.changed and "logoff" not in e.detail for e in session_replica.audit if e.account == username)


def test_status_phrases_oui_as_active(context, session_replica, tmp_path):
    report = drive(flows.status.FLOW, context, session_replica, "famille.bernard", tmp_path)
    assert report.message == flows.status.ACTIVE
    assert report.to_dict()["result"] == {"choice_before": "OUI"}
