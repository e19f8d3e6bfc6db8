"""What can replace any page: a maintenance page, an HTTP 5xx page, the public home after a lost session.

Every page wait watches for these (:func:`interruption_signals`) and, when the page it waits for
does not come, turns them into the right typed error (:func:`check_interruptions`) instead of a
vague « page non reconnue »: :class:`PortalUnavailable` for a maintenance or error page (and for
Chromium's own error page: :mod:`.browser_error`), :class:`SessionExpired` for the public home
shown where a private page was expected. The pages
themselves (:class:`~.maintenance.MaintenancePage`, :class:`~.server_error.ServerErrorPage`,
:class:`~.home.HomePage`) are recognised with the same words and addresses, declared here once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from ..errors import PortalUnavailable, SessionExpired
from .browser_error import unreachable
from .clues import address_matches, document_status
from .controls import control
from .login_modal import password_field

if TYPE_CHECKING:
    from ..config import Settings

MAINTENANCE_TITLE = "Maintenance du portail"
ERROR_TITLE = "Erreur du portail"
HOME_TITLE = "Accueil (connexion)"

# The wording is not public: any of these words in a heading or a paragraph says « maintenance ».
# [guess] the maintenance notice's words
MAINTENANCE_WORDS = re.compile(
    r"maintenance|temporairement\s+(?:indisponible|fermé)|service\s+(?:momentanément\s+)?indisponible"
    r"|service\s+unavailable",
    re.IGNORECASE,
)
# [guess] the error page's words
ERROR_WORDS = re.compile(
    r"erreur\s+(?:technique|serveur|interne|inattendue)|une\s+erreur\s+(?:est\s+survenue|s.est\s+produite)"
    r"|internal\s+server\s+error|server\s+error|erreur\s+500",
    re.IGNORECASE,
)
# [seen] the public home's addresses
HOME_PATH = re.compile(r"/espace-citoyens/(?:Home/(?:AccueilPublic|Logon)/?)?$", re.IGNORECASE)


# A heading only: the same words in a news item of an ordinary page must not count.
def maintenance_heading(page: Page) -> Locator:
    return page.get_by_role("heading", name=MAINTENANCE_WORDS)


def error_heading(page: Page) -> Locator:
    return page.get_by_role("heading", name=ERROR_WORDS)


def login_signals(page: Page) -> Locator:
    """What only a logged-out visitor sees: a password field or « Mon espace perso » [seen]."""
    return password_field(page).or_(control(page, "Mon espace perso"))


def maintenance_shown(page: Page) -> bool:
    """The maintenance notice: HTTP 503, or its words in a heading."""
    return document_status(page) == 503 or maintenance_heading(page).filter(visible=True).count() > 0


def error_shown(page: Page) -> bool:
    """The portal's error page: HTTP 5xx, or its words in a heading."""
    return document_status(page) >= 500 or error_heading(page).filter(visible=True).count() > 0


def public_home_shown(page: Page) -> bool:
    """The public home (or its login) is what the browser shows now."""
    return address_matches(HOME_PATH, page.url) or login_signals(page).filter(visible=True).count() > 0


def interruption_signals(page: Page, *, private: bool = True) -> Locator:
    """What replaces a page when something went wrong: waits stop as soon as one shows."""
    signals = maintenance_heading(page).filter(visible=True).or_(error_heading(page).filter(visible=True))
    if private:
        signals = signals.or_(login_signals(page))
    return signals


def check_interruptions(page: Page, settings: "Settings", *, private: bool = True, expected: str | None = None) -> None:
    """Raise the typed error for what the portal shows instead of the expected page (named by ``expected``),
    if anything; Chromium's own error page first: the portal did not answer at all."""
    down = unreachable(page, expected)
    if down is not None:
        raise down
    status = document_status(page)
    if maintenance_shown(page):
        raise PortalUnavailable(
            "Le portail est en maintenance : réessayer plus tard.", page=MAINTENANCE_TITLE, url=page.url)
    if error_shown(page):
        said = f" (HTTP {status})" if status else ""
        if private and session_lost(page, settings):
            raise SessionExpired(
                f"La session a expiré : le portail a répondu par une erreur{said} "
                "et son tableau de bord renvoie à la connexion.", page=ERROR_TITLE, url=page.url)
        raise PortalUnavailable(f"Le portail a répondu par une erreur{said} : réessayer plus tard.",
                                page=ERROR_TITLE, url=page.url)
    if private and public_home_shown(page):
        raise SessionExpired(
            "La session a expiré : le portail est revenu à la page de connexion.", page=HOME_TITLE, url=page.url)


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
        return answer.status in (301, 302, 303, 307) and address_matches(HOME_PATH, where)
    finally:
        answer.dispose()
