"""The portal's pages, one module per page, and what can interrupt any of them.

:func:`check_interruptions` is called by every page wait (:meth:`PortalPage.wait_until_here`):
a maintenance page or an HTTP 5xx page becomes :class:`PortalUnavailable`, the public home shown
where a private page was expected becomes :class:`SessionExpired`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from ..errors import PortalUnavailable, SessionExpired
from .base import PortalPage, document_status

if TYPE_CHECKING:
    from ..config import Settings


def interruption_signals(page: Page, *, private: bool = True) -> Locator:
    """What replaces a page when something went wrong: waits stop as soon as one shows."""
    from .home import HomePage
    from .maintenance import MaintenancePage
    from .server_error import ServerErrorPage

    signals = MaintenancePage(page, None).marker.or_(ServerErrorPage(page, None).marker)  # type: ignore[arg-type]
    if private:
        signals = signals.or_(HomePage(page, None).login_signals)  # type: ignore[arg-type]
    return signals


def check_interruptions(page: Page, settings: "Settings", *, private: bool = True) -> None:
    """Raise the typed error for what the portal shows instead of the expected page, if anything."""
    from .home import HomePage
    from .maintenance import MaintenancePage
    from .server_error import ServerErrorPage

    status = document_status(page)
    maintenance = MaintenancePage(page, settings)
    if maintenance.is_here():
        raise PortalUnavailable(
            "Le portail est en maintenance : réessayer plus tard.", page=maintenance.TITLE, url=page.url)
    error = ServerErrorPage(page, settings)
    if error.is_here():
        raise PortalUnavailable(
            f"Le portail a répondu par une erreur{f' (HTTP {status})' if status else ''} : réessayer plus tard.",
            page=error.TITLE, url=page.url)
    if private and HomePage(page, settings).shown_instead():
        raise SessionExpired(
            "La session a expiré : le portail est revenu à la page de connexion.", page=HomePage.TITLE, url=page.url)


__all__ = ["PortalPage", "check_interruptions", "document_status", "interruption_signals"]
