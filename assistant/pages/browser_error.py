"""Chromium's own pages are never the portal's: its error page is an outage, never a change.

When a document of the portal cannot be loaded (a connection refused, reset or timed out, a name
that does not resolve, an empty answer), Chromium shows a page of its own instead (« This site
can't be reached », with « Reload » and « Details »): it is told by its address, ``chrome-error://``,
never by its text (English, or the browser's language); the failed navigation's ``net::ERR_…``
(Playwright's ``Request.failure``, kept by :func:`watch_failures`) gives the cause, in French
(:data:`assistant.errors.BROWSER_CAUSES`). :func:`unreachable` is the error such a page means:
:class:`PortalUnavailable` naming the cause, never a drift with the browser's buttons as the
nearest controls. A failed navigation that commits no error page (``net::ERR_ABORTED``: another
navigation took its place) is no outage.

Chromium's quirk: a tab whose navigation fails again from its own error page can then never be
closed nor navigated (``Page.close`` waits forever); :func:`leave_error_page` takes such a tab to
``about:blank`` before it is sent anywhere else.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary, WeakSet

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalUnavailable, browser_cause

#: the address of Chromium's own error page (``chrome-error://chromewebdata/``)
ERROR_PAGE = re.compile(r"^chrome-error://", re.IGNORECASE)
UNKNOWN = "le serveur n’a pas répondu (aucune page reçue)"
ERROR_PAGE_WAIT_MS = 2_000  # Chromium commits its error page within a few tens of ms of the failure

# per tab: the last main-frame document that failed, as (address without its query, net::ERR_…)
_FAILED: "WeakKeyDictionary[Page, list[tuple[str, str]]]" = WeakKeyDictionary()
# the tabs whose last navigation failed (told at once by the caller: the tab's address follows later)
_LEFT_ON_ERROR: "WeakSet[Page]" = WeakSet()


def watch_failures(page: Page) -> None:
    """Keep, for ``page``, the last main-frame document that could not be loaded (once per tab)."""
    if page in _FAILED:
        return
    failed: list[tuple[str, str]] = []
    _FAILED[page] = failed

    def on_failed(request) -> None:
        try:  # a listener must never raise: a request may come before its frame exists
            if request.is_navigation_request() and request.frame == page.main_frame:
                parts = urlsplit(request.url)
                failed[:] = [(f"{parts.scheme}://{parts.netloc}{parts.path}", request.failure or "")]
        except PlaywrightError:
            return

    page.on("requestfailed", on_failed)


def error_page_shown(page: Page) -> bool:
    """Whether the tab shows Chromium's own error page (by its address: no round trip to the browser)."""
    return bool(ERROR_PAGE.match(page.url or ""))


def wait_shown_or_error_page(page: Page, shown: Locator, timeout: float) -> bool:
    """Wait for ``shown`` to be visible (True) or Chromium's own error page to replace the tab (False),
    within ``timeout`` ms, else PlaywrightTimeout: a portal gone down while the page was on its way is
    told when the error page comes, not after the whole time-out. The tab's address is looked at
    between one-second waits only, so that the usual page costs one round trip."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            # why wait_for, not expect: it polls on every animation frame (see PortalPage.wait_until_here)
            shown.wait_for(state="visible", timeout=max(1.0, min((deadline - time.monotonic()) * 1000, 1000.0)))
            return True
        except PlaywrightTimeout:
            if error_page_shown(page):
                return False
            if time.monotonic() >= deadline:
                raise


def unreachable(page: Page, expected: str | None = None) -> PortalUnavailable | None:
    """The outage Chromium's error page means (« expected »: the page the journey waited for), or None
    when the tab shows something else."""
    if not error_page_shown(page):
        return None
    failed = _FAILED.get(page) or []
    address, failure = failed[-1] if failed else (None, "")
    cause = browser_cause(PlaywrightError(failure))[0] if failure else UNKNOWN
    waited = f"La page « {expected} » n’a pas pu être chargée : le" if expected else "Le"
    return PortalUnavailable(f"Le portail est injoignable : {cause}. {waited} navigateur affiche sa propre page "
                             "d’erreur, pas une page du portail.", page=expected, url=address)


def navigation_failed(page: Page) -> None:
    """Note that a navigation of ``page`` just failed: its next one goes through ``about:blank``."""
    _LEFT_ON_ERROR.add(page)


def leave_error_page(page: Page, timeout: float) -> None:
    """Before sending ``page`` anywhere: off Chromium's error page first (to ``about:blank``), so that a
    second failure cannot leave the tab impossible to close. The error page of a navigation that has
    just failed comes a moment after the failure: it is waited for (briefly: a navigation that timed
    out shows none), or it would interrupt the way out."""
    if page in _LEFT_ON_ERROR and not error_page_shown(page):
        try:
            page.wait_for_url(ERROR_PAGE, wait_until="commit", timeout=min(timeout, ERROR_PAGE_WAIT_MS))
        except PlaywrightTimeout:
            logger.debug("no error page after the failed navigation: leaving the tab as it is")
    if page in _LEFT_ON_ERROR or error_page_shown(page):
        _LEFT_ON_ERROR.discard(page)
        page.goto("about:blank", timeout=timeout)
