"""Every page of the adhesion journey recognised and driven on the replica."""

from __future__ import annotations

import pytest
from support import replica_settings
from playwright.sync_api import Page, expect

from assistant.errors import PortalChanged
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.invoices import InvoicesPage
from assistant.pages.recap import RecapPage
from assistant.pages.requests import RequestsPage
from assistant.pages.session_modal import SessionModal
from assistant.pages.wait_modal import WaitModal



def login(page: Page, rep, username="famille.martin") -> DashboardPage:
    settings = replica_settings(rep, username)
    return HomePage(page, settings).open().login(settings.username, settings.password)


def test_dashboard_is_recognised(page: Page, session_replica):
    dashboard = login(page, session_replica)
    assert dashboard.is_here()
    expect(dashboard.members).to_have_count(4)


def test_invoices_page_is_recognised(page: Page, session_replica):
    invoices = login(page, session_replica).open_invoices()
    assert isinstance(invoices, InvoicesPage) and invoices.is_here()
    expect(invoices.adhesion_link).to_be_visible()


@pytest.mark.parametrize(("username", "choice"), [
    ("famille.martin", "NON"), ("famille.bernard", "OUI"), ("famille.petit", "EN_ATTENTE"),
])
def test_adhesion_page_reads_the_current_choice(page: Page, session_replica, username, choice):
    adhesion = login(page, session_replica, username).open_invoices().open_adhesion()
    assert isinstance(adhesion, AdhesionPage) and adhesion.is_here()
    assert adhesion.current_choice() == choice


def test_modify_then_yes_is_checked(page: Page, session_replica):
    form = login(page, session_replica).open_invoices().open_adhesion().modify()
    assert isinstance(form, AdhesionFormPage) and form.is_here()
    form.choose(True)
    expect(form.radio("OUI")).to_be_checked()
    expect(form.radio("NON")).not_to_be_checked()
    assert form.checked() == "OUI"


def test_step_2_waits_for_the_wait_modal_and_shows_the_recap(page: Page, session_replica):
    form = login(page, session_replica).open_invoices().open_adhesion().modify().choose(True)
    recap = form.go_to_step_2()
    assert isinstance(recap, RecapPage) and recap.is_here()
    expect(WaitModal(page, recap.settings).marker.filter(visible=True)).to_have_count(0)
    assert recap.answer() == "OUI"
    expect(recap.validate_button).to_be_visible()


def test_validate_once_gives_the_confirmation_and_changes_the_account(page: Page, replica):
    recap = login(page, replica).open_invoices().open_adhesion().modify().choose(True).go_to_step_2()
    confirmation = recap.validate()
    assert isinstance(confirmation, ConfirmationPage) and confirmation.is_here()
    request = replica.account("famille.martin")["requests"][-1]
    assert confirmation.request_number() == request["number"]
    assert confirmation.status() == "Acceptée"
    assert replica.account("famille.martin")["adhesion"] == "OUI"
    assert len([e for e in replica.audit if e.route.endswith("/Valider")]) == 1
    assert replica.duplicate_validations == 0
    requests = confirmation.open_requests()
    assert isinstance(requests, RequestsPage)
    assert requests.find(request["number"])["status"] == "Acceptée"


def test_validate_refuses_a_second_click(page: Page, replica):
    recap = login(page, replica).open_invoices().open_adhesion().modify().choose(True).go_to_step_2()
    recap.validate()
    with pytest.raises(PortalChanged, match="déjà été cliqué"):
        recap.validate()
    assert replica.duplicate_validations == 0


def test_requests_page_lists_requests(page: Page, session_replica):
    dashboard = login(page, session_replica, "famille.petit")
    requests = RequestsPage.open(page, dashboard.settings)
    rows = requests.requests()
    assert rows and {"number", "label", "date", "status"} <= set(rows[0])


def test_session_modal_is_answered_before_the_next_action(page: Page, session_replica):
    dashboard = login(page, session_replica)
    modal = SessionModal(page, dashboard.settings)
    # the portal's own timer would show it later; the test shows it now
    page.evaluate("document.getElementById('divProlongerSession').hidden = false")
    with page.expect_request("**/Home/ProlongerSession"):
        invoices = dashboard.open_invoices()  # the handler clicks « Prolonger ma session » first
    assert isinstance(invoices, InvoicesPage)
    assert modal.extended == 1
