"""Read-only GETs through a browser context's own request context, a few at a time.

``context.request`` shares the browser session's cookies, so after the browser login the
assistant can fetch invoice details and PDFs without rendering a page per invoice. Playwright's
sync API runs one call at a time; :func:`fetch_all` runs a bounded batch of GETs concurrently on
the sync API's own event loop (the same loop the sync calls use, through one internal hook kept
in :func:`_concurrent`). Should that hook ever be missing, it says so in the log and fetches
one by one with the public API: slower, same results.

Nothing here writes to the portal: only GET is offered.
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

DEFAULT_CONCURRENCY = 4


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


@dataclass(frozen=True)
class Get:
    """One GET to make: the URL and its extra headers (e.g. ``X-Requested-With``)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0]


def fetch_all(context: "BrowserContext", gets: list[Get], *, concurrency: int = DEFAULT_CONCURRENCY,
              timeout_ms: float = 30_000) -> list[Fetched]:
    """GET every URL with the context's cookies, at most ``concurrency`` at once; answers in order."""
    if not gets:
        return []
    concurrency = max(1, int(concurrency))
    if concurrency > 1:
        runner = _concurrent(context)
        if runner is not None:
            return runner(gets, concurrency, timeout_ms)
    return [_fetch_one(context, get, timeout_ms) for get in gets]


def _fetch_one(context: "BrowserContext", get: Get, timeout_ms: float) -> Fetched:
    """The public, one-at-a-time path."""
    try:
        response = context.request.get(get.url, headers=get.headers or None, timeout=timeout_ms)
    except PlaywrightError as exc:
        return Fetched(get.url, error=_first_line(exc))
    try:
        return Fetched(get.url, response.status, response.url, dict(response.headers), response.body())
    except PlaywrightError as exc:
        return Fetched(get.url, response.status, response.url, dict(response.headers), error=_first_line(exc))
    finally:
        response.dispose()


def _concurrent(context: "BrowserContext"):
    """A batch runner on the sync API's event loop, or None (logged) when the hook is not there."""
    request = context.request
    impl = getattr(request, "_impl_obj", None)
    run_sync = getattr(request, "_sync", None)
    get = getattr(impl, "get", None)
    if impl is None or run_sync is None or get is None or not inspect.iscoroutinefunction(get):
        logger.warning("concurrent fetch unavailable in this Playwright version: fetching one at a time")
        return None
    # the internal get() takes every option positionally-named, without defaults
    names = [n for n in inspect.signature(get).parameters if n != "url"]
    options = {n: None for n in names}

    async def one(sem: asyncio.Semaphore, item: Get, timeout_ms: float) -> Fetched:
        async with sem:
            try:
                response = await get(item.url, **{**options, "headers": item.headers or None,
                                                   "timeout": timeout_ms})
            except Exception as exc:  # noqa: BLE001 - becomes a recorded answer, never swallowed
                return Fetched(item.url, error=_first_line(exc))
            fetched = Fetched(item.url, response.status, response.url, dict(response.headers))
            try:
                fetched.body = await response.body()
            except Exception as exc:  # noqa: BLE001 - idem
                fetched.error = _first_line(exc)
            finally:
                try:
                    await response.dispose()
                except Exception as exc:  # noqa: BLE001 - a failed dispose only costs driver memory
                    logger.debug("dispose failed: {}", _first_line(exc))
            return fetched

    async def batch(gets: list[Get], concurrency: int, timeout_ms: float) -> list[Fetched]:
        sem = asyncio.Semaphore(concurrency)
        return list(await asyncio.gather(*(one(sem, g, timeout_ms) for g in gets)))

    def run(gets: list[Get], concurrency: int, timeout_ms: float) -> list[Fetched]:
        return run_sync(batch(gets, concurrency, timeout_ms))

    return run
