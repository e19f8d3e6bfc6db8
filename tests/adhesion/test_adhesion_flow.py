"""The flows' actions run in order on the replica, as the runner calls them."""

from __future__ import annotations

import pytest
from support import replica_settings
from playwright.sync_api import BrowserContext, Page

import flows.adhesion
import flows.status
from assistant.pages.confirmation import ConfirmationPage
from assistant.steps import EndFlow, Flow, Journey



def drive(flow: Flow, page: Page, context: BrowserContext, rep, username: str) -> tuple[Journey, str | None]:
    journey = Journey(page=page, context=context, settings=replica_settings(rep, username))
    try:
        journey.current = flow.login.action(journey)
        for step in flow.steps:
            journey.current = step.action(journey)
            assert isinstance(journey.current, step.ends_on)
    except EndFlow as end:
        return journey, end.outcome
    return journey, None


def test_adhesion_flow_activates_and_verifies(page: Page, context: BrowserContext, replica):
    journey, ended = drive(flows.adhesion.FLOW, page, context, replica, "famille.martin")
    assert ended is None and isinstance(journey.current, ConfirmationPage)
    request = replica.account("famille.martin")["requests"][-1]
    assert journey.facts == {"choice_before": "NON", "request_number": request["number"],
                             "request_status": "Acceptée", "verified_choice": "OUI"}
    assert len(context.pages) == 1  # the verification tab is closed
    assert [e.route for e in replica.audit if e.changed] == ["Demande/NouvelleDemande/FACTURE/ADHESION/Valider"]


@pytest.mark.parametrize(("username", "outcome"), [("famille.bernard", "already_done"), ("famille.petit", "pending")])
def test_adhesion_flow_stops_at_step_2_when_nothing_to_do(page, context, replica, username, outcome):
    journey, ended = drive(flows.adhesion.FLOW, page, context, replica, username)
    assert ended == outcome
    assert not any(e.changed for e in replica.audit)


@pytest.mark.parametrize(("username", "outcome"), [
    ("famille.bernard", "already_done"), ("famille.petit", "pending"), ("famille.martin", "not_adhered"),
])
def test_status_flow_reports_the_state(page, context, session_replica, username, outcome):
    journey, ended = drive(flows.status.FLOW, page, context, session_replica, username)
    assert ended == outcome
    # the replica is shared: other tests log these families off (a change of session, not of the account)
    assert not any(e.changed and "logoff" not in e.detail for e in session_replica.audit if e.account == username)


def test_status_phrases_oui_as_active(page, context, session_replica):
    journey = Journey(page=page, context=context,
                      settings=replica_settings(session_replica, "famille.bernard", "Bernard-2026"))
    journey.current = flows.status.FLOW.login.action(journey)
    journey.current = flows.status.FLOW.steps[0].action(journey)
    with pytest.raises(EndFlow) as end:
        flows.status.FLOW.steps[1].action(journey)
    assert "active" in end.value.message
