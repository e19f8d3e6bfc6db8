"""What every portal page object shares (after woob's ``URL(regex, Page)`` + ``Page.is_here``).

A page declares its ``PATH`` (a regex on the URL), a French ``TITLE`` for messages, the
``marker`` locator that tells it is shown, its controls once as properties (role + French label
through :func:`assistant.labels.label`), and the locators holding personal data (masked in
screenshots). Pages raise typed errors; the runner decides what to do with them.

Waiting for a page also watches for what can replace it (maintenance page, HTTP 500 page, the
public home after a lost session): :func:`assistant.pages.check_interruptions` turns those into
the right typed error instead of a vague « page non reconnue ».
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Callable, TypeVar
from weakref import WeakKeyDictionary

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalChanged, PortalUnavailable
from ..labels import label

if TYPE_CHECKING:
    from ..config import Settings

P = TypeVar("P", bound="PortalPage")

#: told of each documented control just before the assistant uses it: (page object, control, its French label)
ActionHook = Callable[["PortalPage", Locator, str], None]
_ACTION_HOOKS: "WeakKeyDictionary[Page, list[ActionHook]]" = WeakKeyDictionary()


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


class PortalPage:
    """Base of all page objects: recognise, wait, act with typed errors."""

    PATH: re.Pattern[str] | None = None
    TITLE: str = "page du portail"
    #: a private page needs a session: landing on the public home instead means it expired
    PRIVATE: bool = True

    def __init__(self, page: Page, settings: "Settings"):
        self.page = page
        self.settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.page.url!r})"

    # -- recognising -------------------------------------------------------------------------
    @property
    def marker(self) -> Locator:
        """What a person sees that says this page is shown (a heading, usually)."""
        raise NotImplementedError

    @classmethod
    def path_matches(cls, url: str) -> bool:
        return cls.PATH is None or bool(cls.PATH.search(url.split("?", 1)[0].split("#", 1)[0]))

    def url_matches(self) -> bool:
        return self.path_matches(self.page.url)

    def is_here(self) -> bool:
        """Probe without waiting."""
        return self.url_matches() and self.shown()

    def wait_until_here(self: P, timeout: float | None = None) -> P:
        """Wait until this page shows (its URL and its marker).

        Raises :class:`PortalUnavailable` / :class:`SessionExpired` when the portal shows a
        maintenance page, an error page or the public home instead, and :class:`PortalChanged`
        naming what is missing otherwise.
        """
        from . import check_interruptions, interruption_signals

        timeout = timeout if timeout is not None else self.settings.timeouts.navigation
        deadline = time.monotonic() + timeout / 1000
        signals = interruption_signals(self.page, private=self.PRIVATE)
        # visible ones only: a hidden copy earlier in the page must not hold the wait
        seen = self.marker.or_(signals).filter(visible=True).first

        def remaining() -> float:
            return max(1.0, (deadline - time.monotonic()) * 1000)

        try:
            # why wait_for, not expect: it polls on every animation frame, expect() backs off
            # to 100/250/500 ms retries, which added ~0.15 s per page to every journey.
            seen.wait_for(state="visible", timeout=remaining())
            if not self.url_matches():
                # the marker may also exist on the page being left: wait for the address too
                self.page.wait_for_url(lambda url: self.path_matches(url) or _leaves_portal(url),
                                       wait_until="commit", timeout=remaining())
                seen.wait_for(state="visible", timeout=remaining())
        except (AssertionError, PlaywrightTimeout) as exc:
            check_interruptions(self.page, self.settings, private=self.PRIVATE)
            raise self.not_recognised() from exc
        if self.url_matches() and self.shown():
            return self
        check_interruptions(self.page, self.settings, private=self.PRIVATE)
        if not self.url_matches():
            raise PortalChanged(
                f"Page « {self.TITLE} » attendue, mais l’adresse ne correspond pas.",
                page=self.TITLE, url=self.page.url,
            )
        raise self.not_recognised()

    def shown(self) -> bool:
        """Whether the marker is visible right now (no waiting)."""
        return self.marker.filter(visible=True).count() > 0

    def not_recognised(self) -> PortalChanged:
        return PortalChanged(
            f"Page « {self.TITLE} » non reconnue : « {self.marker_name()} » est introuvable.",
            page=self.TITLE, url=self.page.url, control=self.marker_name(),
        )

    def marker_name(self) -> str:
        return self.TITLE

    # -- navigating ----------------------------------------------------------------------------
    def goto(self, route: str) -> "Response | None":
        """Open a portal route (``MonCompte``); an unreachable portal is :class:`PortalUnavailable`."""
        url = self.settings.url(route)
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
        return [self.page.locator("input[type=password]"), self.page.locator("input[name=username]")]

    def personal_values(self) -> list[str]:
        """Personal strings shown on this page, scrubbed from saved HTML and traces."""
        return []

    # -- acting --------------------------------------------------------------------------------
    def about_to_act(self, locator: Locator, control: str) -> None:
        """Tell the watchers (:func:`watch_actions`) which control is about to be used."""
        for hook in list(_ACTION_HOOKS.get(self.page, ())):
            hook(self, locator, control)

    def click(self, locator: Locator, control: str) -> None:
        """Click a control named by its French label; a missing control is portal drift."""
        self.about_to_act(locator, control)
        try:
            locator.click(timeout=self.settings.timeouts.action)
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc
        except PlaywrightError as exc:
            if "strict mode violation" in exc.message:
                raise PortalChanged(
                    f"Sur « {self.TITLE} », plusieurs contrôles « {control} » : lequel choisir n’est plus clair.",
                    page=self.TITLE, url=self.page.url, control=control,
                ) from exc
            raise

    def missing(self, control: str) -> PortalChanged:
        return PortalChanged(
            f"Sur la page « {self.TITLE} », le contrôle « {control} » est introuvable.",
            page=self.TITLE, url=self.page.url, control=control,
        )

    def text_of(self, locator: Locator, control: str) -> str:
        """Inner text of a control, or :class:`PortalChanged` when it is not there."""
        try:
            return locator.inner_text(timeout=self.settings.timeouts.action).strip()
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc

    def content_text(self) -> str:
        """The visible text of the page's main content (the whole body when there is no ``main``)."""
        main = self.page.get_by_role("main")
        target = main.first if main.count() == 1 else self.page.locator("body")
        return self.text_of(target, self.TITLE)

    def answer_to(self, question: str, answers: tuple[str, ...] = ("OUI", "NON")) -> str | None:
        """The answer shown right after ``question`` in the visible text (« … ? OUI »), if any.

        Works whatever the markup (``<dt>/<dd>``, a paragraph, a table row): the portal's
        question label is the anchor, not an id.
        """
        text = self.content_text()
        found = label(question, exact=False).search(text)
        if not found:
            return None
        after = re.match(r"[\s:\u00a0\u202f]*(\w+)", text[found.end():])
        if after and after.group(1).upper() in answers:
            return after.group(1).upper()
        return None


def _leaves_portal(url: str) -> bool:
    # an error page or the public home also ends the wait for the address
    return bool(re.search(r"/Home/(AccueilPublic|Logon)\b", url, re.IGNORECASE))
