"""The public home and the login, both generations, against the replica."""

from __future__ import annotations

import pytest
from support import replica_settings
from playwright.sync_api import Page, expect

from assistant.config import Secret
from assistant.errors import ConfigError, LoginRejected, PasswordChangeRequired
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.login_modal import LoginModal
from assistant.pages.password_change import PasswordChangePage

MARTIN = ("famille.martin", "Martin-2026")


@pytest.fixture(params=["classic", "modal"])
def styled_replica(request, make_replica, session_replica):
    return session_replica if request.param == "classic" else make_replica(login_style="modal")


def test_home_is_recognised(page: Page, session_replica):
    home = HomePage(page, replica_settings(session_replica)).open()
    assert home.is_here()
    expect(home.username_field).to_be_visible()


def test_modal_home_is_recognised(page: Page, make_replica):
    rep = make_replica(login_style="modal")
    home = HomePage(page, replica_settings(rep)).open()
    expect(home.modal_button).to_be_visible()
    assert home.is_here()


def test_login_reaches_the_dashboard(page: Page, styled_replica):
    settings = replica_settings(styled_replica, *MARTIN)
    dashboard = HomePage(page, settings).open().login(settings.username, settings.password)
    assert isinstance(dashboard, DashboardPage)
    expect(dashboard.greeting).to_have_text("Bonjour Madame MARTIN")
    assert "MARTIN" in dashboard.personal_values()
    assert "Claire MARTIN" in dashboard.personal_values()


def test_wrong_password_is_login_rejected(page: Page, styled_replica):
    settings = replica_settings(styled_replica, "famille.martin", "pas-le-bon")
    home = HomePage(page, settings).open()
    with pytest.raises(LoginRejected, match="Identifiant ou mot de passe incorrect"):
        home.login(settings.username, settings.password)


def test_modal_login_opens_the_modal(page: Page, make_replica):
    settings = replica_settings(make_replica(login_style="modal"), "famille.martin", "pas-le-bon")
    home = HomePage(page, settings).open()
    with pytest.raises(LoginRejected):
        home.login(settings.username, settings.password)
    modal = LoginModal(page, settings)
    assert modal.shown()
    expect(modal.error_message).to_have_text("Identifiant ou mot de passe incorrect.")


def test_first_login_is_password_change_required(page: Page, styled_replica):
    settings = replica_settings(styled_replica, "famille.durand", "Durand-2026")
    home = HomePage(page, settings).open()
    with pytest.raises(PasswordChangeRequired):
        home.login(settings.username, settings.password)


def test_password_change_page_is_recognised(page: Page, session_replica):
    settings = replica_settings(session_replica, "famille.durand", "Durand-2026")
    page.goto(session_replica.base_url + "Home/AccueilPublic")
    page.get_by_label("Identifiant").fill("famille.durand")
    page.get_by_label("Mot de passe").fill("Durand-2026")
    page.get_by_role("button", name="Connexion").click()
    assert PasswordChangePage(page, settings).wait_until_here().is_here()


def test_missing_password_is_a_config_error(page: Page, session_replica):
    home = HomePage(page, replica_settings(session_replica)).open()
    with pytest.raises(ConfigError) as err:
        home.login("famille.martin", None)
    assert err.value.key == "ESPACE_CITOYENS_PASSWORD"


def test_password_is_never_logged(page: Page, styled_replica, caplog_loguru):
    settings = replica_settings(styled_replica, *MARTIN)
    HomePage(page, settings).open().login(settings.username, settings.password)
    assert "« Mot de passe »" in caplog_loguru.text
    assert "Martin-2026" not in caplog_loguru.text
    assert str(Secret("Martin-2026")) == "***"
