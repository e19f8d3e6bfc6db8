"""The status flow's actions run in order on the replica, as the runner calls them."""

from __future__ import annotations

import pytest

import flows.status
from assistant.steps import EndFlow, Journey
from support import drive, replica_settings


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
