"""Session-bound reading: background GETs with the browser's own session, and one new login when it ends.

After the browser login, details and PDFs need no page rendered each: the page the browser shows
(on the portal) fetches them the way the portal's own JavaScript does, a few at a time, with the
session's cookies (:func:`fetch_all`, one ``page.evaluate`` per batch: Playwright's public API).
:class:`PortalSession` binds that to the page a flow is on and holds the one re-login a read-only run may do
(:meth:`PortalSession.relogin`, :meth:`PortalSession.retrying`).

Nothing here writes to the portal: only GET is offered, and only reading may be retried.

A return to the login page is a lost session only when the session is in fact gone: the portal's own
JavaScript sends the browser to its public home when a background call fails, an HTTP 5xx included.
:class:`ServerErrors` keeps the 5xx answers the browser got, and :meth:`ServerErrors.told` turns such a
return, the session still open, into :class:`PortalUnavailable` naming the failing address (its path).
"""

from __future__ import annotations

import base64
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator, Protocol, TypeVar
from urllib.parse import urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .errors import AssistantError, PortalUnavailable, SessionExpired, browser_cause
from .pages.home import HomePage
from .pages.interruptions import session_lost

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Response

    from .config import Settings

    from .pages.base import PortalPage

T = TypeVar("T")

# A bounded pool of fetch() calls in the page; text comes back as text (UTF-8 here), other bodies as base64.
_FETCH_ALL_JS = """async ([gets, concurrency, timeoutMs]) => {
  const out = new Array(gets.length);
  let next = 0;
  const base64 = blob => new Promise((ok, ko) => {
    const reader = new FileReader();
    reader.onload = () => ok(reader.result.slice(reader.result.indexOf(',') + 1));
    reader.onerror = () => ko(reader.error);
    reader.readAsDataURL(blob);
  });
  const one = async ([url, headers]) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const response = await fetch(url, {headers, signal: abort.signal});
      const head = {};
      response.headers.forEach((value, name) => { head[name] = value; });
      const text = /^text[/]|json|xml/.test(head['content-type'] || '');  // text needs no base64 (cheaper)
      return {status: response.status, url: response.url, headers: head,
              ...(text ? {text: await response.text()} : {body: await base64(await response.blob())})};
    } catch (e) {
      return {error: abort.signal.aborted ? `timeout after ${timeoutMs} ms` : String((e && e.message) || e)};
    } finally {
      clearTimeout(timer);
    }
  };
  const worker = async () => {
    while (next < gets.length) { const i = next++; out[i] = await one(gets[i]); }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, gets.length)}, worker));
  return out;
}"""


@dataclass
class Fetched:
    """One answer: ``status`` 0 and ``error`` set when no HTTP answer came at all."""

    url: str
    status: int = 0
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def ok(self) -> bool:
        """An HTTP 200 that arrived whole."""
        return self.status == 200 and not self.error

    @property
    def is_login_page(self) -> bool:
        """The portal's public home or login route: where a lost session lands [seen]."""
        return HomePage.path_matches(self.final_url or self.url)

    def why(self) -> str:
        """What was wrong with this answer, in French (for the run's fallbacks)."""
        if self.error:
            return f"erreur réseau ({self.error})"
        if self.is_login_page:
            return "page de connexion (session terminée)"
        if self.status != 200:
            return f"HTTP {self.status}"
        return f"contenu inattendu ({self.content_type or 'type inconnu'})"


# a request the assistant or the page itself gave up (a guard, a newer navigation, a fetch's own time-out)
_NOT_THE_NETWORK = re.compile(r"ERR_ABORTED|ERR_BLOCKED_BY_CLIENT", re.IGNORECASE)


@dataclass(frozen=True)
class _Failure:
    """A request's failure text (``net::ERR_…``), as :func:`browser_cause` reads errors."""

    message: str


@dataclass
class ServerErrors:
    """The HTTP 5xx answers a browser context got (page loads and background calls): status, method, path;
    and the pages and calls that got no answer at all (the network failed: ``lost``).

    Only the path is kept: a query string may carry an invoice's or a family's identifiers.
    """

    seen: list[tuple[int, str]] = field(default_factory=list)
    #: documents and calls (not pictures, not requests the assistant aborted) that got no answer: their origin
    #: (``scheme://host:port``), method and path, and the cause in French (connection refused, reset...)
    lost: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(self, response: "Response") -> None:
        if response.status >= 500:
            self.seen.append((response.status, f"{response.request.method} {urlsplit(response.url).path}"))
            logger.warning("HTTP {} on {}", *self.seen[-1])

    def failed(self, request: "Request") -> None:
        """A request that got no answer: kept when it is a page or a call and the network failed."""
        failure = request.failure or ""
        if request.resource_type not in ("document", "xhr", "fetch") or _NOT_THE_NETWORK.search(failure):
            return
        cause, kind = browser_cause(_Failure(failure))
        if kind is not None and issubclass(kind, PortalUnavailable):
            parts = urlsplit(request.url)
            self.lost.append((f"{parts.scheme}://{parts.netloc}", f"{request.method} {parts.path}", cause))

    @contextmanager
    def watching(self, context: "BrowserContext") -> Iterator["ServerErrors"]:
        context.on("response", self)
        context.on("requestfailed", self.failed)
        try:
            yield self
        finally:
            context.remove_listener("response", self)
            context.remove_listener("requestfailed", self.failed)

    def told(self, page: "Page", settings: "Settings", error: AssistantError, *, since: int = 0) -> AssistantError:
        """What ``error`` really is, given the 5xx answers seen from ``since`` on: a lost session whose session is
        still open is the failing call (:class:`PortalUnavailable`, naming it); a portal error names its address."""
        failed = self.seen[since:]
        if not failed or not isinstance(error, (SessionExpired, PortalUnavailable)):
            return error
        status, where = failed[-1]
        if isinstance(error, PortalUnavailable):
            if where.split(" ", 1)[1] not in error.message:
                error.message += f" Adresse en erreur : {where} (HTTP {status})."
            return error
        if error.read_back is not None or session_lost(page, settings):
            # the flow read the state back after a new login (already told), or one read-only GET says the
            # session is gone: a real return to the login page
            return error
        told = PortalUnavailable(f"Le portail a répondu par une erreur (HTTP {status}) à {where} : réessayer plus "
                                 "tard. La session est toujours ouverte : ce n’est pas une expiration.",
                                 page=error.page, url=where.split(" ", 1)[1])
        told.__cause__ = error
        return told


@dataclass(frozen=True)
class Get:
    """One GET to make: the URL and its extra headers (e.g. ``X-Requested-With``)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0]


def fetch_all(page: "Page", gets: list[Get], *, concurrency: int, timeout_ms: float = 30_000) -> list[Fetched]:
    """GET every URL from ``page`` (same origin: the session's cookies go along), at most
    ``concurrency`` at once; the answers in the order asked. A page that cannot run it (closed,
    navigating) makes every answer an error, never a crash."""
    if not gets:
        return []
    try:
        raw = page.evaluate(_FETCH_ALL_JS, [[[g.url, g.headers] for g in gets], max(1, int(concurrency)), timeout_ms])
    except PlaywrightError as exc:
        return [Fetched(g.url, error=_first_line(exc)) for g in gets]
    return [Fetched(g.url, error=a["error"]) if "error" in a else
            Fetched(g.url, a["status"], a["url"], a["headers"],
                    a["text"].encode("utf-8") if "text" in a else base64.b64decode(a["body"]))
            for g, a in zip(gets, raw)]


class Counts(Protocol):
    """Where a run keeps how many times it logged in again (the runner then replays nothing)."""

    relogins: int


class PortalSession:
    """The browser session of the page a flow is on, for reading: background GETs, and at most one
    new login. ``where`` names the page in errors; ``tally.relogins`` counts the new logins of the run.
    """

    def __init__(self, shown: "PortalPage", tally: Counts, *, where: str, concurrency: int):
        self.page, self.settings = shown.page, shown.settings
        self.tally, self.where, self.concurrency = tally, where, concurrency

    def fetch_all(self, gets: list[Get]) -> list[Fetched]:
        return fetch_all(self.page, gets, concurrency=self.concurrency, timeout_ms=self.settings.timeouts.navigation)

    def relogin(self, why: str) -> None:
        """Log in again once for a read-only fetch; a second need is a clear :class:`SessionExpired`."""
        if self.tally.relogins >= 1:
            raise SessionExpired(f"La session a de nouveau expiré ({why}) après une nouvelle connexion : "
                                 "lecture arrêtée, relancer plus tard.", page=self.where, url=self.page.url)
        self.tally.relogins += 1
        logger.warning("session ended ({}): logging in again once (read-only)", why)
        HomePage(self.page, self.settings).log_in()

    def retrying(self, why: str, read: Callable[[], T]) -> T:
        """``read()``; if the session ended meanwhile, log in again (once per run) and read again. A return to the
        login page after an HTTP 5xx, the session still open, is that error (:meth:`ServerErrors.told`)."""
        with ServerErrors().watching(self.page.context) as failed:
            try:
                return read()
            except SessionExpired as lost:
                told = failed.told(self.page, self.settings, lost)
                if told is not lost:
                    raise told from lost
        self.relogin(why)
        return read()
