"""The portal's pages, one module per page; the table of them; what can interrupt any of them.

:data:`PAGES` lists the pages of the journeys, most specific first, and :func:`identify` says
which of them the browser shows. Overlays and fragments (« Merci de patienter... », « Prolonger
ma session », a consent banner, an invoice's detail) are components, not pages; the overlays among
them are cleared before each action (:meth:`PortalPage.clear_overlays`).
:func:`check_interruptions` is called by every page wait: a maintenance page or an HTTP 5xx page
becomes :class:`PortalUnavailable`, the public home shown where a private page was expected
becomes :class:`SessionExpired`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from ..errors import PortalUnavailable, SessionExpired
from .adhesion import AdhesionPage
from .adhesion_form import AdhesionFormPage
from .base import Clue, PortalPage, document_status, watch_actions
from .confirmation import ConfirmationPage
from .dashboard import DashboardPage
from .home import HomePage
from .invoices import InvoicesPage
from .maintenance import MaintenancePage
from .password_change import PasswordChangePage
from .payfip import PayfipPage
from .recap import RecapPage
from .requests import RequestsPage
from .server_error import ServerErrorPage

if TYPE_CHECKING:
    from ..config import Settings

#: The journeys' pages, most specific first (a confirmation also carries words of the wizard).
PAGES: tuple[type[PortalPage], ...] = (
    MaintenancePage, ServerErrorPage, PasswordChangePage, ConfirmationPage, RecapPage, AdhesionFormPage,
    AdhesionPage, InvoicesPage, RequestsPage, DashboardPage, PayfipPage, HomePage,
)


def identify(page: Page, settings: "Settings", *, strong: bool = False) -> PortalPage | None:
    """The page object of what the browser shows now, or None when none fits (no waiting).

    ``strong``: only by a page's public address or a documented control it shows (not by words
    several pages share, such as the question the wizard repeats): for saying what a page is
    instead of another in a drift report.
    """
    for cls in PAGES:
        candidate = cls(page, settings)
        try:
            if candidate.strongly_here() if strong else candidate.is_here():
                return candidate
        except PlaywrightError:
            return None  # the page is navigating: nothing to say yet
    return None


def interruption_signals(page: Page, *, private: bool = True) -> Locator:
    """What replaces a page when something went wrong: waits stop as soon as one shows."""
    signals = MaintenancePage(page, None).awaited.or_(ServerErrorPage(page, None).awaited)  # type: ignore[arg-type]
    if private:
        signals = signals.or_(HomePage(page, None).login_signals)  # type: ignore[arg-type]
    return signals


def check_interruptions(page: Page, settings: "Settings", *, private: bool = True) -> None:
    """Raise the typed error for what the portal shows instead of the expected page, if anything."""
    status = document_status(page)
    maintenance = MaintenancePage(page, settings)
    if maintenance.is_here():
        raise PortalUnavailable(
            "Le portail est en maintenance : réessayer plus tard.", page=maintenance.TITLE, url=page.url)
    error = ServerErrorPage(page, settings)
    if error.is_here():
        if private and session_lost(page, settings):
            raise SessionExpired(
                f"La session a expiré : le portail a répondu par une erreur{f' (HTTP {status})' if status else ''} "
                "et son tableau de bord renvoie à la connexion.", page=error.TITLE, url=page.url)
        raise PortalUnavailable(
            f"Le portail a répondu par une erreur{f' (HTTP {status})' if status else ''} : réessayer plus tard.",
            page=error.TITLE, url=page.url)
    if private and HomePage(page, settings).shown_instead():
        raise SessionExpired(
            "La session a expiré : le portail est revenu à la page de connexion.", page=HomePage.TITLE, url=page.url)


def session_lost(page: Page, settings: "Settings") -> bool:
    """Whether the portal's session is gone: its dashboard sends back to the login [seen].

    An expired session also shows as HTTP 500 (on background calls, or a form whose anti-forgery
    token was bound to the lost session), so an error page is told apart with one read-only GET.
    """
    try:
        answer = page.context.request.get(settings.url("CompteCitoyen"), max_redirects=0,
                                          timeout=settings.timeouts.action)
    except PlaywrightError:
        return False
    try:
        where = answer.headers.get("location", "")
        return answer.status in (301, 302, 303, 307) and bool(HomePage.PATH.search(where.split("?", 1)[0]))
    finally:
        answer.dispose()


__all__ = ["PAGES", "Clue", "PortalPage", "check_interruptions", "document_status", "identify",
           "interruption_signals", "session_lost", "watch_actions"]
