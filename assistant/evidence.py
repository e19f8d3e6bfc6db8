"""A step's evidence, taken by the runner: the screenshot with personal data masked, the page's
scrubbed HTML on failure (or when a value it showed did not read), and the Playwright trace, scrubbed or deleted.

Nothing here decides an outcome; a browser that no longer answers only costs the evidence.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .pages.base import PortalPage
from .pages.payfip import PayfipPage
from .pages.table import COMPONENTS, PAGES

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .config import Settings
    from .redact import Redactor
    from .results import StepResult


def first_line(exc: PlaywrightError) -> str:
    return (exc.message or str(exc)).splitlines()[0]


def _shown(masks: list) -> list:
    """The masks that match something: masking costs a repaint of the page, masking nothing too."""
    if not masks:
        return []
    union = masks[0]
    for mask in masks[1:]:
        union = union.or_(mask)
    return masks if union.count() else []


def _masks(page: "Page", current: PortalPage | None, settings: "Settings", failed: bool) -> tuple[list, list[str]]:
    """Locators to mask and values to scrub: the current page's, or every portal page's on failure
    (the browser may show a page the journey did not expect). The payment provider's page masks
    its whole body: only when it is the one shown."""
    pages = [current or PortalPage(page, settings)]
    if failed:
        pages += [cls(page, settings) for cls in (*PAGES, *COMPONENTS)
                  if cls is not PayfipPage or PayfipPage.path_matches(page.url)]
    masks, values = [], []
    for page_object in pages:
        masks += page_object.personal_data()
        values += page_object.personal_values()
    return masks, values


def page_wanted(result: object) -> bool:
    """Whether a flow's result asks for the page's HTML once (a value it showed did not read: ``keep_page``)."""
    if getattr(result, "keep_page", False):
        result.keep_page = False  # type: ignore[attr-defined]
        return True
    return False


def take_evidence(page: "Page", current: PortalPage | None, result: "StepResult", report_dir: Path,
                  settings: "Settings", redactor: "Redactor", *, failed: bool, keep_html: bool = False) -> None:
    """The step's masked screenshot (always on failure) and, on failure or when ``keep_html`` (a value on
    the page did not read), the page's scrubbed HTML; ``current`` is the page object the journey is on
    (None before the first)."""
    try:
        if page.is_closed():
            return
        result.url = urlsplit(page.url).path
        masks, values = _masks(page, current, settings, failed)
        redactor.add_names(*values)
        stem = f"step-{result.number:02d}{'-failed' if failed else ''}"
        if settings.screenshots or failed:
            shot = report_dir / f"{stem}.jpeg"
            page.screenshot(path=shot, type="jpeg", quality=60, caret="initial", mask=_shown(masks))
            result.screenshot = shot.name
        if failed or keep_html:
            html_path = report_dir / f"{stem}.html"
            html_path.write_text(redactor.scrub(page.content()), encoding="utf-8")
            result.html = html_path.name
    except PlaywrightError as exc:
        logger.warning("evidence for step {} could not be taken: {}", result.number, first_line(exc))


def save_trace(context, path: Path, redactor: "Redactor", *, trusted: bool) -> str | None:
    """Stop tracing into ``path`` and scrub the archive; a trace that cannot be scrubbed is deleted."""
    try:
        context.tracing.stop(path=path)
    except PlaywrightError as exc:
        logger.warning("trace could not be saved: {}", first_line(exc))
        trusted = False
    if not path.exists():
        return None
    try:
        if not trusted:
            raise zipfile.BadZipFile("the browser stopped answering: the session cookie may be unknown")
        redactor.scrub_zip(path)
    except (zipfile.BadZipFile, OSError) as exc:
        logger.warning("trace deleted, it could not be scrubbed: {}", exc)
        path.unlink(missing_ok=True)
        return None
    return path.name
