"""The one table of the portal's pages, and which of them the browser shows.

:data:`PAGES` lists every page of the journeys, each with its own proofs (``PROOFS``, ``STATES``,
public ``PATH``: see :mod:`.clues`), most specific first: a confirmation also carries words of
the wizard, a maintenance or error page may show over any address. :func:`which_page` tells which
of them the browser shows, by what a person sees (the help page's words, public facts) and public
addresses only: never by a guessed heading, route or element kind, so a portal with other markup
is still told right. Overlays and fragments are components (:mod:`.component`), listed apart
(:data:`COMPONENTS`: what the runner masks too); what replaces a page is :mod:`.interruptions`'s.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from ..errors import AssistantError, PortalChanged
from .adhesion import AdhesionPage
from .adhesion_form import AdhesionFormPage
from .base import PortalPage
from .component import Component
from .confirmation import ConfirmationPage
from .dashboard import DashboardPage
from .home import HomePage
from .invoice_detail import InvoiceDetailPanel
from .invoice_table import InvoiceTable
from .invoices import InvoicesPage
from .login_modal import LoginModal
from .maintenance import MaintenancePage
from .password_change import PasswordChangePage
from .payfip import PayfipPage
from .recap import RecapPage
from .requests import RequestsPage
from .server_error import ServerErrorPage
from .session_modal import SessionModal
from .wait_modal import WaitModal

#: The journeys' pages, most specific first (a confirmation also carries words of the wizard).
PAGES: tuple[type[PortalPage], ...] = (
    MaintenancePage, ServerErrorPage, PasswordChangePage, ConfirmationPage, RecapPage, AdhesionFormPage,
    AdhesionPage, InvoicesPage, RequestsPage, DashboardPage, PayfipPage, HomePage,
)
#: The overlays and fragments shown over or inside those pages (not pages: see :mod:`.component`).
COMPONENTS: tuple[type[Component], ...] = (LoginModal, SessionModal, WaitModal, InvoiceTable, InvoiceDetailPanel)


def which_page(page: Page, *, strong: bool = False) -> type[PortalPage] | None:
    """The page of :data:`PAGES` the browser shows now, or None when none fits (no waiting).

    The first page whose proofs show (or whose public address it is); a page told only by words or
    choices others show too (the question with disabled radios in read mode) gives way to a page whose
    documented control shows (« MODIFIER »). ``strong``: only by a page's public address or a
    documented control it shows: for saying what a page is instead of another in a drift report.
    """
    # recognising reads the page only: no settings needed
    candidates = [cls(page, None) for cls in PAGES]  # type: ignore[arg-type]
    try:
        if strong:
            return next((type(c) for c in candidates if c.strongly_here()), None)
        shown = next((c for c in candidates if c.is_here()), None)
        if shown is None or shown.strongly_here():
            return type(shown) if shown else None
        controlled = next((c for c in candidates if _documented_control_shown(c)), shown)
        return type(controlled)
    except PlaywrightError:
        return None  # the page is navigating: nothing to say yet


def _documented_control_shown(candidate: PortalPage) -> bool:
    return any(clue.find(candidate).filter(visible=True).count() for clue in candidate.PROOFS if clue.words)


def shown_instead(page: Page, error: AssistantError) -> str:
    """For a drift error, the sentence naming the page the browser shows instead (« » when none)."""
    if not isinstance(error, PortalChanged):
        return ""
    shown = which_page(page, strong=True)
    if shown is None or shown.TITLE == error.page:
        return ""
    return f" La page affichée ressemble à « {shown.TITLE} »."
