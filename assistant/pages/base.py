"""The page object every portal page is (after woob's ``URL(regex, Page)`` + ``Page.is_here``).

A page declares a French ``TITLE`` and its clues (``PROOFS``, ``STATES``, ``HINTS``: see
:mod:`.clues`), and ``PATH``, its address, only when it is public [seen] (``MonCompte``): the
address recognises the page when no proof shows in time, never the other way round. Which page
the browser shows is told by :func:`assistant.pages.table.which_page`.

Its controls are found by their French words (:mod:`.controls`), its personal data masked in
screenshots. Pages raise typed errors; the runner decides what to do with them.

Waiting watches for what can replace a page (:mod:`.interruptions`); overlays are cleared before each action.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, TypeVar

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import Obstructed, PortalChanged, PortalUnavailable, from_browser
from .browser_error import ERROR_PAGE, error_page_shown, leave_error_page, navigation_failed, watch_failures
from .clues import Recognisable, address_matches
from .controls import CLICKABLE, hit_test, resolve
from .drift import late, missing, not_recognised
from .interruptions import check_interruptions, interruption_signals
from .overlays import clear_overlays
from .reading import answer_near
from .wait_modal import WAIT_WORDS, WaitModal
from .watch import tell_action, track_documents, waiting_for_portal, watch_actions

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["PortalPage", "watch_actions"]  # watch_actions: where the guide and the rehearsal find it

P = TypeVar("P", bound="PortalPage")


class PortalPage(Recognisable):
    """Base of all page objects: recognise, wait, act with typed errors."""

    PATH: re.Pattern[str] | None = None
    #: a private page needs a session: landing on the public home instead means it expired
    PRIVATE: bool = True

    def __init__(self, page: Page, settings: "Settings"):
        self.page = page
        self.settings = settings
        self._acting: tuple[Locator, str] | None = None  # the control last announced by about_to_act
        track_documents(page)
        watch_failures(page)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.page.url!r})"

    # -- recognising -------------------------------------------------------------------------
    @classmethod
    def path_matches(cls, url: str) -> bool:
        return address_matches(cls.PATH, url)

    def url_matches(self) -> bool:
        return self.path_matches(self.page.url)

    def is_here(self) -> bool:
        """Probe without waiting: a proof shows, or the public address is this page's."""
        return self.shown() or self.url_matches()

    def strongly_here(self) -> bool:
        """Probe without waiting, by the page's public address or a documented control it shows."""
        if self.url_matches():
            return True
        return any(clue.find(self).filter(visible=True).count() for clue in self.PROOFS if clue.words)

    def wait_until_here(self: P, timeout: float | None = None, *, leaving: Locator | None = None) -> P:
        """Wait until a proof of this page shows (or, failing that, its public address).

        ``leaving``: a control of the page being left (the one just clicked); the proofs are looked
        for once it is gone, so that the old page cannot pass for the new one. Raises
        :class:`PortalUnavailable` / :class:`SessionExpired` when the portal shows a maintenance
        page, an error page or the public home instead, and :class:`PortalChanged` naming what is
        missing otherwise.
        """
        timeout = timeout if timeout is not None else self.settings.timeouts.navigation
        deadline = time.monotonic() + timeout / 1000

        def remaining() -> float:
            return max(1.0, (deadline - time.monotonic()) * 1000)

        self._wait_for_answer(remaining())
        if leaving is not None:
            try:
                leaving.wait_for(state="hidden", timeout=remaining())
            except PlaywrightTimeout:
                logger.debug("« {} »: the control clicked is still shown; looking for the page anyway", self.TITLE)
        if not self.PROOFS:
            return self._wait_for_address(remaining())
        signals = interruption_signals(self.page, private=self.PRIVATE).filter(visible=True)
        try:
            # A page being loaded is waited for by its event first: polling the clues on every frame
            # while the document parses would take the renderer's time from the page itself.
            self.page.wait_for_load_state("domcontentloaded", timeout=remaining())
            if self._wait_for_clues(self.awaited, deadline, stop=signals):
                return self
        except PlaywrightTimeout as exc:
            check_interruptions(self.page, self.settings, private=self.PRIVATE, expected=self.TITLE)
            if self.url_matches():
                logger.info("« {} » recognised by its public address only", self.TITLE)
                return self
            raise self.not_recognised() from exc
        check_interruptions(self.page, self.settings, private=self.PRIVATE, expected=self.TITLE)
        if self.url_matches():
            return self
        raise self.not_recognised()

    def _wait_for_clues(self, clues: Locator, deadline: float, *, stop: Locator) -> bool:
        """Wait for ``clues`` to show (True), until ``deadline`` while the portal is busy (« Merci de
        patienter... » shown, a document on its way); a page that has settled without them ends the
        wait after the action time-out: a missing « VALIDER » is not worth the wait modal's minute.
        False as soon as ``stop`` shows (a maintenance or error page, the public home) or Chromium's own
        error page: looked for between the one-second waits only, so that the usual page costs one round trip."""
        patience = self.settings.timeouts.action / 1000
        quiet_since: float | None = None
        while True:
            try:
                # why wait_for, not expect: it polls on every animation frame, expect() backs off
                # to 100/250/500 ms retries, which added ~0.15 s per page to every journey.
                clues.first.wait_for(state="visible", timeout=max(1.0, min(deadline - time.monotonic(), 1.0) * 1000))
                return True
            except PlaywrightTimeout:
                if error_page_shown(self.page) or stop.count():
                    return False
                now = time.monotonic()
                if now >= deadline:
                    raise
                if self._wait_for_answer((deadline - now) * 1000):
                    quiet_since = None
                elif WaitModal(self.page, self.settings).shown():
                    quiet_since = None
                elif quiet_since is None:
                    quiet_since = now
                elif now - quiet_since >= patience:
                    raise

    def _wait_for_answer(self, timeout: float) -> bool:
        """A document this tab asked for and still waits on: wait for it, within ``timeout`` only;
        whether there was one.

        (Reading the page while its next document is on its way blocks until that document comes:
        a portal that never answers would hold the run past every time-out.)
        """
        if waiting_for_portal(self.page, longer_than_s=0) is None:
            return False
        try:
            self.page.wait_for_event("framenavigated", predicate=lambda frame: frame == self.page.main_frame,
                                     timeout=timeout)
        except PlaywrightTimeout as exc:
            raise late(self.page, self.TITLE) or PortalUnavailable(
                f"Le portail tarde à répondre : « {self.TITLE} » attendu.", page=self.TITLE, url=self.page.url) from exc
        return True

    def _wait_for_address(self: P, timeout: float) -> P:
        """A page known by its public address only: wait for it (or Chromium's error page), then its document."""
        try:
            self.page.wait_for_url(lambda url: self.path_matches(url) or bool(ERROR_PAGE.match(url)),
                                   wait_until="domcontentloaded", timeout=timeout)
        except PlaywrightTimeout as exc:
            check_interruptions(self.page, self.settings, private=self.PRIVATE, expected=self.TITLE)
            raise self.not_recognised() from exc
        check_interruptions(self.page, self.settings, private=self.PRIVATE, expected=self.TITLE)
        return self

    def not_recognised(self) -> "PortalChanged | PortalUnavailable":
        """The drift error for a page that does not show (see :func:`.drift.not_recognised`)."""
        return not_recognised(self)

    # -- navigating ----------------------------------------------------------------------------
    def goto(self, route: str) -> "Response | None":
        """Open a portal route (``MonCompte``) or an address of the portal seen earlier; an unreachable
        portal is :class:`PortalUnavailable`."""
        url = route if route.startswith(self.settings.origin + "/") else self.settings.url(route)
        try:
            leave_error_page(self.page, self.settings.timeouts.navigation)
            return self.page.goto(url, wait_until="commit", timeout=self.settings.timeouts.navigation)
        except PlaywrightTimeout as exc:
            navigation_failed(self.page)
            raise PortalUnavailable(
                f"Le portail ne répond pas à {url} (délai dépassé).", page=self.TITLE, url=url) from exc
        except PlaywrightError as exc:
            navigation_failed(self.page)
            raise from_browser(exc, f"Le portail est injoignable à {url}", default=PortalUnavailable, page=self.TITLE,
                               url=url) from exc

    # -- personal data -----------------------------------------------------------------------
    def personal_data(self) -> list[Locator]:
        """Locators masked in screenshots (names, identifiers, amounts tied to a family)."""
        # [seen] the login fields; any password input whatever its name
        return [self.page.locator("input[type=password]"), self.page.locator("input[name=username]")]

    def personal_values(self) -> list[str]:
        """Personal strings shown on this page, scrubbed from saved HTML and traces."""
        return []

    # -- finding controls ----------------------------------------------------------------------
    def control(self, words: str, *, roles: tuple[str, ...] = CLICKABLE, scope: Locator | None = None) -> Locator:
        """The one visible control the help page calls ``words``, whatever its markup [seed words].

        Waits for it; raises :class:`PortalChanged` naming the nearest candidates when it is
        missing, or the ambiguity when two different controls fit equally well.
        """
        found = resolve(scope or self.page, words, roles=roles, timeout=self.settings.timeouts.action)
        if found.locator is not None:
            return found.locator
        if found.ambiguous:
            raise PortalChanged(
                f"Sur « {self.TITLE} », {found.ambiguous} contrôles différents s’appellent « {words} » : "
                f"lequel choisir n’est pas clair, rien n’a été cliqué.{found.naming}",
                page=self.TITLE, url=self.page.url, control=words, candidates=found.candidates)
        raise self.missing(words)

    def missing(self, control: str) -> "PortalChanged | PortalUnavailable":
        """The drift error for a documented control that is not on the page (see :func:`.drift.missing`)."""
        return missing(self.page, self.TITLE, control)

    # -- acting --------------------------------------------------------------------------------
    def about_to_act(self, locator: Locator, control: str) -> None:
        """Tell the watchers (:func:`watch_actions`) which control is about to be used (remembered: an overlay
        that holds it is the page's own)."""
        self._acting = (locator, control)
        tell_action(self, locator, control)

    def clear_overlays(self, *, wait_modal: bool = False, target: Locator | None = None,
                       intercepted: bool = False, control: str | None = None) -> bool:
        """Before an action on ``target`` (by default the one last announced): :func:`.overlays.clear_overlays`."""
        if self._acting is not None and target in (None, self._acting[0]):
            target, control = self._acting[0], control or self._acting[1]
        return clear_overlays(self.page, self.settings, wait_modal=wait_modal, target=target, intercepted=intercepted,
                              where=self.TITLE, control=control)

    def click(self, target: "Locator | str", control: str | None = None) -> None:
        """Click a documented control: its French words (found with :meth:`control`) or a locator.

        Clears the overlays (:meth:`clear_overlays`: NeedsHuman for one not to answer) and lets « Merci de
        patienter... » go first; a click that an overlay intercepts all the same is tried once more after
        clearing what lies over the control, else reported with that overlay's text (:class:`Obstructed`).
        """
        if isinstance(target, str):
            control = control or target
            target = self.control(target)
        control = control or self.TITLE
        self.about_to_act(target, control)
        self.clear_overlays(wait_modal=True)
        try:
            target.click(timeout=self.settings.timeouts.action)
        except PlaywrightTimeout as exc:
            if waiting_for_portal(self.page, longer_than_s=0) is not None:
                # the click was made; what it opens is slow to come: the next page's wait will tell
                logger.info("« {} » clicked; the portal has not answered yet", control)
                return
            # an overlay that came up during the click (a consent script waking up): the click did not
            # happen, so it is tried once more once the overlay is gone
            if not self.clear_overlays(target=target, intercepted=True):
                raise self.blocked(target, control) from exc
            try:
                target.click(timeout=self.settings.timeouts.action)
            except PlaywrightTimeout as again:
                raise self.blocked(target, control) from again

    def blocked(self, locator: Locator, control: str) -> "PortalChanged | PortalUnavailable":
        """Why a click on ``locator`` could not happen: covered, inactive, or missing."""
        found = hit_test(locator)
        if found["hit"] == "other":
            cover = found["cover"]
            if WAIT_WORDS.search(cover):
                return PortalUnavailable("Le portail reste sur « Merci de patienter... ».", page=self.TITLE,
                                         url=self.page.url, control=control)
            return Obstructed(
                f"Sur « {self.TITLE} », le clic sur « {control} » est intercepté par une fenêtre affichée "
                f"par-dessus la page : « {cover} ».", page=self.TITLE, url=self.page.url, control=control)
        if found["hit"] in ("self", "label"):
            return PortalChanged(f"Sur « {self.TITLE} », « {control} » est affiché mais ne répond pas (inactif).",
                                 page=self.TITLE, url=self.page.url, control=control)
        return self.missing(control)

    def text_of(self, locator: Locator, control: str) -> str:
        """Inner text of a control, or :class:`PortalChanged` when it is not there."""
        try:
            return locator.inner_text(timeout=self.settings.timeouts.action).strip()
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc

    def content_text(self) -> str:
        """The visible text of the page's main content (the whole body when there is no ``main``)."""
        main = self.page.get_by_role("main")  # [guess] a <main> landmark; the whole body otherwise
        target = main.first if main.count() == 1 else self.page.locator("body")
        return self.text_of(target, self.TITLE)

    def answer_to(self, question: str, answers: tuple[str, ...] = ("OUI", "NON")) -> str | None:
        """The one answer shown with ``question`` (see :func:`.reading.answer_near`), if any."""
        return answer_near(self.page, question, answers)

