"""What every portal page object shares (after woob's ``URL(regex, Page)`` + ``Page.is_here``).

A page declares a French ``TITLE`` for messages and how it is recognised, each clue tagged with
where we know it from (PORTAL.md's marks):

- ``PROOFS``: what the help page [seed] or public sources [seen] say the page shows; any one of
  them, visible, tells the page. Never a [guess].
- ``PATH``: the page's address, only when it is public [seen] (``MonCompte``): it recognises the
  page when no proof shows in time, never the other way round.
- ``STATES``: [guess] wordings of a state that hides the proofs (a request being processed has
  no « MODIFIER »): they end a wait like a proof, and are read as that state, nothing more.
- ``HINTS``: [guess] clues (a step heading, a wizard route). They may be absent; they only
  confirm, and name what changed in a drift report.

Its controls are found by their French words (:mod:`.controls`), its personal data are masked
in screenshots. Pages raise typed errors; the runner decides what to do with them.

Waiting for a page also watches for what can replace it (maintenance page, HTTP 500 page, the
public home after a lost session): :func:`assistant.pages.check_interruptions` turns those into
the right typed error instead of a vague « page non reconnue ».
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal, TypeVar
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import Obstructed, PortalChanged, PortalUnavailable
from ..labels import label
from .controls import CLICKABLE, hit_test, nearest, resolve

if TYPE_CHECKING:
    from ..config import Settings

P = TypeVar("P", bound="PortalPage")

#: told of each documented control just before the assistant uses it: (page object, control, its French label)
ActionHook = Callable[["PortalPage", Locator, str], None]
_ACTION_HOOKS: "WeakKeyDictionary[Page, list[ActionHook]]" = WeakKeyDictionary()


# the documents each tab asked the portal for and has no answer for yet (a slow portal, not a change)
_PENDING: "WeakKeyDictionary[Page, dict[int, tuple[str, float]]]" = WeakKeyDictionary()


def _track_documents(page: Page) -> None:
    """Keep, for ``page``, its main frame's document requests still waiting for an answer (once per tab)."""
    if page in _PENDING:
        return
    pending: dict[int, tuple[str, float]] = {}
    _PENDING[page] = pending

    def sent(request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            pending[id(request)] = (urlsplit(request.url).path, time.monotonic())

    def answered(event) -> None:
        pending.pop(id(getattr(event, "request", event)), None)

    page.on("request", sent)
    page.on("response", answered)
    page.on("requestfailed", answered)


def waiting_for_portal(page: Page, *, longer_than_s: float = 1.0) -> str | None:
    """The portal address a tab has waited on for more than ``longer_than_s`` (« /…/MonCompte, 12 s »)."""
    now = time.monotonic()
    late = [(path, now - since) for path, since in _PENDING.get(page, {}).values() if now - since > longer_than_s]
    if not late:
        return None
    path, age = max(late, key=lambda item: item[1])
    return f"{path} (sans réponse depuis {age:.0f} s)"


def watch_actions(page: Page, hook: ActionHook) -> Callable[[], None]:
    """Call ``hook`` before every click or check the page objects make on ``page``; returns the unwatch.

    The illustrated guide uses it to outline the control of each step; the hook must not act on the page.
    """
    hooks = _ACTION_HOOKS.setdefault(page, [])
    hooks.append(hook)
    return lambda: hooks.remove(hook) if hook in hooks else None

# The HTTP status of the document shown, read from the browser's own navigation timing
# (no response listener needed, works for pages reached by a click or a form POST).
_STATUS_JS = "() => { const e = performance.getEntriesByType('navigation')[0]; return e ? (e.responseStatus || 0) : 0; }"


def document_status(page: Page) -> int:
    """HTTP status of the document shown in ``page`` (0 when unknown, e.g. ``set_content``)."""
    try:
        return int(page.evaluate(_STATUS_JS) or 0)
    except PlaywrightError:
        # the page is navigating: the next wait will look again
        return 0


Source = Literal["seed", "seen", "guess"]


@dataclass(frozen=True)
class Clue:
    """Something a person sees on a page, with where we know it from.

    ``says`` names it in French for messages; ``words`` is the documented label when the clue is a
    control (drift reports then look for the nearest control on the page); ``find`` builds the
    locator from the page object.
    """

    source: Source
    says: str
    find: Callable[["PortalPage"], Locator]
    words: str | None = None


class PortalPage:
    """Base of all page objects: recognise, wait, act with typed errors."""

    PATH: re.Pattern[str] | None = None
    TITLE: str = "page du portail"
    PROOFS: tuple[Clue, ...] = ()
    STATES: tuple[Clue, ...] = ()
    HINTS: tuple[Clue, ...] = ()
    #: a private page needs a session: landing on the public home instead means it expired
    PRIVATE: bool = True

    def __init__(self, page: Page, settings: "Settings"):
        self.page = page
        self.settings = settings
        _track_documents(page)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.page.url!r})"

    # -- recognising -------------------------------------------------------------------------
    @property
    def marker(self) -> Locator:
        """Any proof of this page, visible."""
        return self._any(self.PROOFS)

    @property
    def awaited(self) -> Locator:
        """What ends a wait for this page: a proof, or a state that hides the proofs."""
        return self._any(self.PROOFS + self.STATES)

    def _any(self, clues: tuple[Clue, ...]) -> Locator:
        if not clues:
            # why: a page known by its address only has no proof to show: a locator matching nothing
            return self.page.locator("html:not(html)")
        found = clues[0].find(self)
        for clue in clues[1:]:
            found = found.or_(clue.find(self))
        return found.filter(visible=True)

    @classmethod
    def path_matches(cls, url: str) -> bool:
        return cls.PATH is not None and bool(cls.PATH.search(url.split("?", 1)[0].split("#", 1)[0]))

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

    def shown(self) -> bool:
        """Whether a proof (or a state clue) is visible right now (no waiting)."""
        return self.awaited.count() > 0

    def wait_until_here(self: P, timeout: float | None = None, *, leaving: Locator | None = None) -> P:
        """Wait until a proof of this page shows (or, failing that, its public address).

        ``leaving``: a control of the page being left (the one just clicked); the proofs are looked
        for once it is gone, so that the old page cannot pass for the new one. Raises
        :class:`PortalUnavailable` / :class:`SessionExpired` when the portal shows a maintenance
        page, an error page or the public home instead, and :class:`PortalChanged` naming what is
        missing and what the page shows otherwise.
        """
        from . import check_interruptions, interruption_signals

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
            check_interruptions(self.page, self.settings, private=self.PRIVATE)
            if self.url_matches():
                logger.info("« {} » recognised by its public address only", self.TITLE)
                return self
            raise self.not_recognised() from exc
        check_interruptions(self.page, self.settings, private=self.PRIVATE)
        if self.url_matches():
            return self
        raise self.not_recognised()

    def _wait_for_clues(self, clues: Locator, deadline: float, *, stop: Locator) -> bool:
        """Wait for ``clues`` to show (True), until ``deadline`` while the portal is busy (« Merci de
        patienter... » shown, a document on its way); a page that has settled without them ends the
        wait after the action time-out: a missing « VALIDER » is not worth the wait modal's minute.
        False as soon as ``stop`` shows (a maintenance or error page, the public home): looked for
        between the one-second waits only, so that the usual page costs one round trip."""
        from .wait_modal import WaitModal

        patience = self.settings.timeouts.action / 1000
        quiet_since: float | None = None
        while True:
            try:
                # why wait_for, not expect: it polls on every animation frame, expect() backs off
                # to 100/250/500 ms retries, which added ~0.15 s per page to every journey.
                clues.first.wait_for(state="visible", timeout=max(1.0, min(deadline - time.monotonic(), 1.0) * 1000))
                return True
            except PlaywrightTimeout:
                if stop.count():
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
            raise self.slow_portal() or PortalUnavailable(
                f"Le portail tarde à répondre : « {self.TITLE} » attendu.", page=self.TITLE, url=self.page.url) from exc
        return True

    def _wait_for_address(self: P, timeout: float) -> P:
        """A page known by its public address only: wait for it, then for its document."""
        from . import check_interruptions

        try:
            self.page.wait_for_url(self.path_matches, wait_until="domcontentloaded", timeout=timeout)
        except PlaywrightTimeout as exc:
            check_interruptions(self.page, self.settings, private=self.PRIVATE)
            raise self.not_recognised() from exc
        check_interruptions(self.page, self.settings, private=self.PRIVATE)
        return self

    def slow_portal(self) -> PortalUnavailable | None:
        """When the tab still waits for the portal's answer, the page is late, not changed."""
        waiting = waiting_for_portal(self.page)
        if waiting is None:
            return None
        return PortalUnavailable(f"Le portail tarde à répondre : « {self.TITLE} » attendu, {waiting}. "
                                 "Réessayer plus tard.", page=self.TITLE, url=self.page.url)

    def not_recognised(self) -> "PortalChanged | PortalUnavailable":
        """The drift error for a page that does not show: what was looked for, what shows instead (or,
        when the portal has not answered yet, :class:`PortalUnavailable`)."""
        from . import identify

        slow = self.slow_portal()
        if slow is not None:
            return slow
        proofs = [clue.says for clue in self.PROOFS] or ["son adresse"]
        looked_for = f"{proofs[0]} introuvable" if len(proofs) == 1 else "ni " + " ni ".join(proofs)
        missing_hints = [clue.says for clue in self.HINTS if self._absent(clue)]
        shown = identify(self.page, self.settings, strong=True)
        words = [clue.words for clue in self.PROOFS if clue.words]
        candidates = list(dict.fromkeys(c for w in words for c in nearest(self.page, w)))[:4]
        message = f"Page « {self.TITLE} » non reconnue : {looked_for}."
        if shown is not None and not isinstance(shown, type(self)):
            message += f" La page affichée ressemble à « {shown.TITLE} »."
        if missing_hints:
            message += f" Absent aussi : {', '.join(missing_hints)}."
        if candidates:
            message += f" Contrôles proches sur la page : {', '.join(candidates)}."
        return PortalChanged(message, page=self.TITLE, url=self.page.url, control=words[0] if words else None,
                             candidates=candidates)

    def _absent(self, clue: Clue) -> bool:
        try:
            return clue.find(self).filter(visible=True).count() == 0
        except PlaywrightError:
            return True

    # -- navigating ----------------------------------------------------------------------------
    def goto(self, route: str) -> "Response | None":
        """Open a portal route (``MonCompte``) or an address of the portal seen earlier; an unreachable
        portal is :class:`PortalUnavailable`."""
        url = route if route.startswith(self.settings.origin + "/") else self.settings.url(route)
        try:
            return self.page.goto(url, wait_until="commit", timeout=self.settings.timeouts.navigation)
        except PlaywrightTimeout as exc:
            raise PortalUnavailable(
                f"Le portail ne répond pas à {url} (délai dépassé).", page=self.TITLE, url=url) from exc
        except PlaywrightError as exc:
            raise PortalUnavailable(
                f"Le portail est injoignable à {url} : {exc.message.splitlines()[0]}", page=self.TITLE, url=url,
            ) from exc

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
                "lequel choisir n’est pas clair, rien n’a été cliqué.",
                page=self.TITLE, url=self.page.url, control=words)
        raise self.missing(words)

    def missing(self, control: str) -> "PortalChanged | PortalUnavailable":
        """The drift error for a documented control that is not on the page (or, when the portal has
        not answered yet, :class:`PortalUnavailable`)."""
        slow = self.slow_portal()
        if slow is not None:
            return slow
        candidates = nearest(self.page, control)
        message = f"Sur la page « {self.TITLE} », le contrôle « {control} » est introuvable."
        if candidates:
            message += f" Contrôles proches sur la page : {', '.join(candidates)}."
        return PortalChanged(message, page=self.TITLE, url=self.page.url, control=control, candidates=candidates)

    # -- acting --------------------------------------------------------------------------------
    def about_to_act(self, locator: Locator, control: str) -> None:
        """Tell the watchers (:func:`watch_actions`) which control is about to be used."""
        for hook in list(_ACTION_HOOKS.get(self.page, ())):
            hook(self, locator, control)

    def clear_overlays(self, *, wait_modal: bool = False) -> bool:
        """Before an action: answer « Prolonger ma session », refuse a consent overlay [guess], and with
        ``wait_modal`` let « Merci de patienter... » go; whether an overlay was there. One look at
        the page when none shows."""
        from . import consent
        from .session_modal import SessionModal
        from .wait_modal import WaitModal

        session, wait = SessionModal(self.page, self.settings), WaitModal(self.page, self.settings)
        overlays = consent.overlay(self.page).or_(session.extend_button.filter(visible=True))
        if not (overlays.or_(wait.marker) if wait_modal else overlays).count():
            return False
        if wait_modal:
            wait.wait_gone_if_shown()
        return session.extend() | consent.refuse_shown(self.page)

    def click(self, target: "Locator | str", control: str | None = None) -> None:
        """Click a documented control: its French words (found with :meth:`control`) or a locator.

        Clears the overlays (:meth:`clear_overlays`) and lets « Merci de patienter... » go first; a
        click that an overlay intercepts all the same is tried once more after clearing it, else
        reported with that overlay's text (:class:`Obstructed`), not as a missing control.
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
            if not self.clear_overlays():
                raise self.blocked(target, control) from exc
            try:
                target.click(timeout=self.settings.timeouts.action)
            except PlaywrightTimeout as again:
                raise self.blocked(target, control) from again

    def blocked(self, locator: Locator, control: str) -> "PortalChanged | PortalUnavailable":
        """Why a click on ``locator`` could not happen: covered, inactive, or missing."""
        from .wait_modal import WAIT_WORDS

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
        """The one answer shown with ``question`` (« … ? OUI », a <dl>, a table row, a sentence), if any.

        Works whatever the markup: the portal's question is the anchor [seed], and the answer is
        the one word among ``answers`` in the smallest block around it. Two of them there (radios
        « OUI NON ») is no answer.
        """
        try:
            found = self.page.evaluate(_ANSWER_JS, [label(question, exact=False).pattern, list(answers)])
        except PlaywrightError:
            return None
        return found if found in answers else None


# The smallest visible block holding the question (found among text nodes first: cheap; by
# elements when the question is split over several), widened a few levels until it holds
# exactly one of the answers (the question's own words removed).
_ANSWER_JS = """([question, answers]) => {
  const body = document.body;
  const q = new RegExp(question, 'i');
  const letter = '0-9A-Za-z\\u00c0-\\u024f';
  const word = new RegExp('(?:^|[^' + letter + '])(' + answers.join('|') + ')(?![' + letter + '])', 'gi');
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  let starts = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (q.test(n.textContent) && n.parentElement) starts.push(n.parentElement);
  }
  if (!starts.length) {
    const holders = Array.from(body.querySelectorAll('*')).filter(e => q.test(e.innerText || ''));
    starts = holders.filter(e => !holders.some(o => o !== e && e.contains(o)));
  }
  for (const start of starts.filter(shown)) {
    let el = start;
    for (let up = 0; el && el !== body.parentElement && up < 4; up++, el = el.parentElement) {
      const text = (el.innerText || '').replace(q, ' ');
      const found = new Set(Array.from(text.matchAll(word), m => m[1].toUpperCase()));
      if (found.size === 1) return [...found][0];
      if (found.size > 1) break;
    }
  }
  return null;
}"""
