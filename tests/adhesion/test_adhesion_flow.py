"""The adhesion flow's actions run in order on the replica, as the runner calls them."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

import flows.adhesion
from assistant.pages.confirmation import ConfirmationPage
from support import drive


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
