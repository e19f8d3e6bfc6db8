"""A portal that goes down mid-run is an outage (« portail injoignable », exit 3), never a change.

From a chosen moment every request of the run's browser gets no answer (``route.abort`` with the
network error Chromium would get: refused, reset, timed out, a name that no longer resolves): at
the login's form post, a click that opens a page, a form post of the wizard, a background call,
the read-back before « VALIDER ». The run ends as ``portal_unavailable``, its message says the
portal is unreachable, and Chromium's own error page is never read as the portal's (its « Reload »
and « Details » buttons are never « nearest controls »). After « VALIDER » left, a lost answer is
« validation_unknown »: the request is never sent twice.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.config import Settings, Timeouts
from assistant.errors import PortalChanged, PortalUnavailable, PortalUnreachable
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.browser_error import ERROR_PAGE
from assistant.pages.dashboard import DashboardPage
from assistant.pages.drift import missing, not_recognised
from assistant.pages.home import HomePage
from assistant.pages.invoices import InvoicesPage
from flows.adhesion import FLOW as ADHESION
from flows.invoices import listing_flow
from flows.status import FLOW as STATUS
from support import free_port, replica_settings

VALIDATE = "Demande/NouvelleDemande/FACTURE/ADHESION/Valider"


class Outage:
    """The portal, as the run's browser sees it, goes down once ``trigger(request)`` is true or ``at_step``
    starts: that request and every later one fail with ``error`` (a ``route.abort`` error code)."""

    def __init__(self, context, error: str = "connectionrefused", *, trigger=None, at_step: int | None = None,
                 delivered: bool = False):
        self.error, self.trigger, self.at_step, self.delivered = error, trigger, at_step, delivered
        self.down = False
        self.failed: list[str] = []
        context.route("**/*", self.route)

    def route(self, route) -> None:
        request = route.request
        if not self.down and self.trigger is not None and self.trigger(request):
            self.down = True
            if self.delivered:  # the request reaches the portal; its answer is lost on the way back
                route.fetch()
                self.failed.append(f"{request.method} {request.url}")
                route.abort(self.error)
                return
        if self.down:
            self.failed.append(f"{request.method} {request.url}")
            route.abort(self.error)
        else:
            route.fallback()

    def progress(self, event, step, result) -> None:
        if event == "start" and step.number == self.at_step:
            self.down = True


def posts(request) -> bool:
    return request.method == "POST"


def assert_outage(report) -> None:
    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3), report.message
    assert "injoignable" in report.message
    failed = [s for s in report.steps if s.status == "failed"]
    assert len(failed) == 1 and failed[0].candidates == []
    assert "Contrôles proches" not in report.message and "Details" not in report.message


def run(run_flow, replica, tmp_path, flow, outage: Outage, **kw):
    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path / "r")
    return run_flow(settings, flow, progress=outage.progress, **kw)


@pytest.mark.parametrize("error", ["connectionrefused", "connectionreset", "timedout", "namenotresolved",
                                   "addressunreachable", "connectionclosed"])
def test_a_click_that_opens_a_page_of_a_portal_gone_down_is_an_outage(replica, run_flow, context, tmp_path, error):
    outage = Outage(context, error, at_step=1)  # « Mes factures »: the click's page never comes

    report = run(run_flow, replica, tmp_path, ADHESION, outage)

    assert_outage(report)
    assert report.steps[1].status == "failed" and report.steps[1].page == "Mes factures"
    assert "pas une page du portail" in report.message
    assert "adresse du portail" not in report.next_action  # the address was right a moment ago
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_the_login_form_posted_to_a_portal_gone_down_is_an_outage(replica, run_flow, context, tmp_path):
    outage = Outage(context, trigger=posts)

    report = run(run_flow, replica, tmp_path, STATUS, outage)

    assert_outage(report)
    assert report.steps[0].status == "failed" and [s.status for s in report.steps[1:]] == ["skipped"] * 2


def test_the_login_posted_to_a_portal_gone_down_is_told_by_the_error_page_not_after_the_time_out(replica, page, context):
    """Found by hand (issue 21): a portal killed while « Connexion » was on its way showed Chromium's error
    page at once, yet the run waited the whole navigation time-out (30 s) for the dashboard before saying so."""
    settings = replace(replica_settings(replica, "famille.martin"), timeouts=Timeouts(action=5_000, navigation=20_000))
    home = HomePage(page, settings).open()
    outage = Outage(context, "connectionreset", trigger=posts)

    with pytest.raises(PortalUnavailable) as caught:
        home.login(settings.username, settings.password)

    assert outage.failed and "/home/logon" in outage.failed[0].lower()
    assert caught.value.message.startswith("Le portail est injoignable : le serveur a coupé la connexion sans répondre"), caught.value.message
    assert not isinstance(caught.value.__context__, PlaywrightTimeout)  # told when the error page came, not at 20 s


def test_the_modal_login_whose_call_gets_no_answer_is_an_outage(make_replica, run_flow, context, tmp_path):
    """The modal login posts the credentials in the background (no page is loaded): the call lost says the
    outage, whatever the portal's script shows then."""
    replica = make_replica(login_style="modal")
    outage = Outage(context, "connectionreset", trigger=lambda r: r.resource_type in ("fetch", "xhr") and posts(r)
                    and "logon" in r.url.lower())

    report = run(run_flow, replica, tmp_path, STATUS, outage)

    assert_outage(report)
    assert "sans réponse" in report.message and report.steps[0].status == "failed"


def test_the_wizards_form_posted_to_a_portal_gone_down_is_an_outage(replica, run_flow, context, tmp_path):
    outage = Outage(context, "connectionreset", at_step=5)  # « Aller à l’étape 2 » posts the step-1 form

    report = run(run_flow, replica, tmp_path, ADHESION, outage)

    assert_outage(report)
    assert report.steps[5].status == "failed" and report.steps[6].status == "skipped"
    assert not [e for e in replica.audit if "valider" in e.route.lower()]


def test_a_background_call_of_a_portal_gone_down_is_an_outage(replica, run_flow, context, tmp_path):
    """The invoices' details are fetched in the background; the browser's own clicks take over, and fail."""
    outage = Outage(context, trigger=lambda request: request.resource_type in ("fetch", "xhr"))

    report = run(run_flow, replica, tmp_path, listing_flow(), outage)

    assert_outage(report)
    assert report.steps[2].status == "failed"


def test_the_read_back_before_validate_on_a_portal_gone_down_is_an_outage_and_nothing_is_sent(
        replica, run_flow, context, tmp_path):
    outage = Outage(context, at_step=6)  # the state is read again in a second tab before « VALIDER »

    report = run(run_flow, replica, tmp_path, ADHESION, outage)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert "injoignable" in report.message and report.steps[6].status == "failed"
    assert not [e for e in replica.audit if "valider" in e.route.lower()]
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_an_answer_to_validate_lost_on_the_way_back_is_validation_unknown_never_sent_twice(
        replica, run_flow, context, tmp_path):
    """« VALIDER » reached the portal (which recorded it), then the portal went down before answering:
    nothing says whether it was recorded, and nothing is sent again."""
    outage = Outage(context, "connectionreset", trigger=lambda r: r.method == "POST" and VALIDATE.lower() in r.url.lower(),
                    delivered=True)

    report = run(run_flow, replica, tmp_path, ADHESION, outage)

    assert (report.outcome, report.exit_code) == ("validation_unknown", 3), report.message
    assert "n’a pas pu être relu" in report.message
    assert len([e for e in replica.audit if "valider" in e.route.lower()]) == 1  # sent once, never again
    assert "assistant statut" in report.next_action


def settings() -> Settings:
    return Settings(base_url="http://127.0.0.1:1/gp/espace-citoyens/", timeouts=Timeouts(action=500, navigation=2000))


def test_chromiums_error_page_is_never_read_as_a_changed_portal_page(page):
    """Its « Reload » and « Details » are the browser's: no drift report lists them."""
    shown = DashboardPage(page, settings())  # watches the tab from now on
    with pytest.raises(PlaywrightError) as caught:
        page.goto(f"http://127.0.0.1:{free_port()}/gp/espace-citoyens/MonCompte")
    assert "ERR_CONNECTION_REFUSED" in caught.value.message
    page.wait_for_url(ERROR_PAGE)  # the browser commits its own error page

    told = not_recognised(shown)
    assert isinstance(told, PortalUnavailable) and not isinstance(told, PortalChanged)
    assert told.message.startswith("Le portail est injoignable : connexion refusée")
    assert missing(page, AdhesionPage.TITLE, "MODIFIER").message == (
        "Le portail est injoignable : connexion refusée : aucun serveur ne répond à cette adresse (serveur arrêté ou "
        "mauvais port). La page « Adhésion à la facture/compte en ligne » n’a pas pu être chargée : le navigateur affiche "
        "sa propre page d’erreur, pas une page du portail.")
    with pytest.raises(PortalUnavailable):
        shown.wait_until_here(timeout=2000)


def test_a_tab_whose_portal_failed_twice_still_serves_and_closes(replica, context):
    """Chromium's quirk: a navigation failing again from its own error page leaves the tab unable to go
    anywhere (or to close); a page object's second try goes through ``about:blank`` first."""
    tab = context.new_page()
    down = replace(settings(), base_url=f"http://127.0.0.1:{free_port()}/gp/espace-citoyens/")
    for _ in range(2):
        with pytest.raises(PortalUnreachable):
            InvoicesPage(tab, down).goto("MonCompte")

    assert InvoicesPage(tab, replica_settings(replica)).goto("Home/AccueilPublic").status == 200
    assert tab.url == replica.base_url + "Home/AccueilPublic"
    tab.close()
