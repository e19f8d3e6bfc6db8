"""What the portal says instead of a page, each with its exact typed error."""

from __future__ import annotations

import pytest
from support import replica_settings
from playwright.sync_api import Page

from assistant.errors import PortalUnavailable, SessionExpired
from assistant.pages.interruptions import check_interruptions
from assistant.pages.home import HomePage
from assistant.pages.invoices import InvoicesPage
from assistant.pages.maintenance import MaintenancePage
from assistant.pages.server_error import ServerErrorPage
from assistant.replica import Faults


def login(page: Page, rep):
    settings = replica_settings(rep, "famille.martin", "Martin-2026")
    return HomePage(page, settings).open().login(settings.username, settings.password)


def test_maintenance_at_the_door_is_portal_unavailable(page: Page, replica):
    replica.set_faults(Faults(maintenance=True))
    with pytest.raises(PortalUnavailable, match="maintenance"):
        HomePage(page, replica_settings(replica)).open()
    assert MaintenancePage(page, replica_settings(replica)).is_here()


def test_maintenance_during_the_journey_is_portal_unavailable(page: Page, replica):
    dashboard = login(page, replica)
    replica.set_faults(Faults(maintenance=True))
    with pytest.raises(PortalUnavailable, match="maintenance"):
        dashboard.open_invoices()


def test_http_500_is_portal_unavailable(page: Page, replica):
    dashboard = login(page, replica)
    replica.set_faults(Faults(error_500={"MonCompte"}))
    with pytest.raises(PortalUnavailable, match="HTTP 500"):
        dashboard.open_invoices()
    assert ServerErrorPage(page, dashboard.settings).is_here()


def test_http_500_on_the_wizard_step_is_portal_unavailable(page: Page, replica):
    form = login(page, replica).open_invoices().open_adhesion().modify().choose(True)
    replica.set_faults(Faults(error_500={"Demande/*"}))
    with pytest.raises(PortalUnavailable):
        form.go_to_step_2()


def test_expired_session_is_session_expired(page: Page, replica):
    dashboard = login(page, replica)
    replica.set_faults(Faults(expire_after_requests=1))
    with pytest.raises(SessionExpired):
        dashboard.open_invoices()


def test_second_tab_without_session_is_session_expired(page: Page, context, replica):
    dashboard = login(page, replica)
    context.clear_cookies(name="ASP.NET_SessionIdEC")
    with pytest.raises(SessionExpired):
        InvoicesPage.open(context.new_page(), dashboard.settings)


def test_nothing_to_report_on_a_normal_page(page: Page, session_replica):
    dashboard = login(page, session_replica)
    assert check_interruptions(page, dashboard.settings) is None
    assert dashboard.is_here()


def test_unreachable_portal_is_portal_unavailable(page: Page, make_replica):
    rep = make_replica()
    settings = replica_settings(rep)
    rep.stop()
    with pytest.raises(PortalUnavailable, match="injoignable"):
        HomePage(page, settings).open()


def test_unknown_commune_is_portal_unavailable(page: Page, session_replica):
    settings = replica_settings(session_replica)
    settings = type(settings)(base_url=settings.base_url.replace("grandperigueux", "communeinconnue"),
                              timeouts=settings.timeouts)
    with pytest.raises(PortalUnavailable, match="communeinconnue"):
        HomePage(page, settings).open()


def test_a_page_slower_than_the_wait_is_a_slow_portal_not_a_change(page: Page, replica):
    from dataclasses import replace

    from assistant.config import Timeouts

    dashboard = login(page, replica)
    dashboard.settings = replace(dashboard.settings, timeouts=Timeouts(action=1_000, navigation=1_500, wait_modal=1_000))
    replica.set_faults(Faults(latency_ms={"MonCompte": 4_000}))
    with pytest.raises(PortalUnavailable, match="tarde à répondre.*MonCompte"):
        dashboard.open_invoices()
