"""The guide's pictures: one per step, taken just before its documented control is used.

The picture hides what belongs to the family, whatever the markup: what the page object marks
as personal (:meth:`PortalPage.personal_data`), every element whose text holds a personal value
read on the account (names, the identifiant, invoice numbers and amounts), and every filled
field. What holds the control itself is opened up to its own box (an invoice row is masked
cell by cell, its « Payer » shows). The control's box (a radio's with its label) is kept for the
outline, and the text the picture still shows is kept too: the guide refuses itself when a
personal value is in it (:func:`assistant.helpdesk.guide.generate`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from ..browser import CONTEXT_OPTIONS
from ..config import Settings
from ..invoices.french import format_amount
from ..pages.base import PortalPage
from ..pages.invoice_table import InvoiceTable
from ..runner import Progress, first_line
from ..steps import Step

if TYPE_CHECKING:
    from playwright.sync_api import Locator

SHOT_QUALITY = 70
MIN_HEIGHT = 320
MASK_COLOR = "#8a8f98"  # a plain grey: what is hidden is the family's, not a fault of the page
MASK = "data-guide-mask"  # the guide's own marks on the rehearsal's page, removed after each picture
TARGET = "data-guide-target"

# Marks, besides what the page objects marked: the element around every text holding a personal
# value and every filled field; then opens up what holds the target control: each element on the
# way down to it is unmarked and its other children are marked instead.
_MARK_JS = """([values, mask, target]) => {
  const norm = s => (s || '').replace(/[\\s\\u00a0\\u202f]+/g, ' ').trim().toLowerCase();
  const wanted = values.map(norm).filter(v => v.length >= 3);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = norm(n.textContent);
    if (n.parentElement && text && wanted.some(v => text.includes(v))) n.parentElement.setAttribute(mask, '');
  }
  const kept = ['hidden', 'submit', 'button', 'reset', 'image', 'radio', 'checkbox'];
  for (const f of document.querySelectorAll('input, textarea, select')) {
    if (!kept.includes((f.type || '').toLowerCase()) && f.value) f.setAttribute(mask, '');
  }
  const control = document.querySelector('[' + target + ']');
  if (!control) return;
  for (const el of Array.from(document.querySelectorAll('[' + mask + ']'))) {
    if (el !== control && !el.contains(control)) continue;
    for (let box = el; box && box !== control; ) {
      box.removeAttribute(mask);
      let next = null;
      for (const child of box.children) {
        if (child.contains(control)) next = child; else child.setAttribute(mask, '');
      }
      box = next;
    }
    control.removeAttribute(mask);
  }
}"""

# The control's box, with its labels' when it has any (a radio hidden behind its label, a tiny
# native radio beside « OUI »); the control is tagged for _MARK_JS.
_BOX_JS = """(el, target) => {
  el.setAttribute(target, '');
  const rects = [el, ...Array.from(el.labels || [])].map(e => e.getBoundingClientRect())
    .filter(r => r.width >= 4 && r.height >= 4);
  if (!rects.length) return null;
  const x = Math.min(...rects.map(r => r.left)), y = Math.min(...rects.map(r => r.top));
  return {x, y, width: Math.max(...rects.map(r => r.right)) - x, height: Math.max(...rects.map(r => r.bottom)) - y};
}"""

# Every text and field value the picture shows unmasked (in the clip, visible, no mark above it).
_SHOWN_JS = """([mask, width, height]) => {
  const masked = el => el.closest('[' + mask + ']') !== null;
  const inside = r => r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < height && r.right > 0 && r.left < width;
  const shown = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || masked(el) || getComputedStyle(el).visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (Array.from(range.getClientRects()).some(inside)) shown.push(n.textContent.trim());
  }
  for (const f of document.querySelectorAll('input, textarea, select')) {
    if (f.value && f.type !== 'hidden' && !masked(f) && inside(f.getBoundingClientRect())) shown.push(f.value);
  }
  return shown.join('\\n');
}"""

_UNMARK_JS = """([mask, target]) => {
  for (const name of [mask, target]) document.querySelectorAll('[' + name + ']').forEach(e => e.removeAttribute(name));
}"""


@dataclass
class Shot:
    """One step's picture: the masked screenshot, the box of the control to use, the text left shown."""

    section: str
    number: int
    title: str
    page: str
    control: str | None
    image: bytes | None
    width: int
    height: int
    box: dict[str, float] | None = None
    note: str | None = None
    shown: str = ""  # what the picture shows unmasked: checked for personal values, never rendered

    def data_uri(self) -> str:
        return "data:image/jpeg;base64," + base64.b64encode(self.image or b"").decode("ascii")


class Recorder:
    """Takes one picture per step, just before its first control is used; learns the personal values."""

    def __init__(self, section: str, settings: Settings, progress: Progress | None):
        self.section = section
        self.settings = settings
        self.forward = progress
        self.step: Step | None = None
        self.shots: dict[int, Shot] = {}
        self.personal: set[str] = set()
        if settings.username:
            self.personal.add(settings.username)

    # the runner's progress: which step is being played
    def progress(self, event: str, step: Step, result) -> None:
        if event == "start":
            self.step = step
        if self.forward is not None:
            self.forward(event, step, result)

    # watch_actions: a documented control is about to be used
    def hook(self, page_object: PortalPage, locator: "Locator", control: str) -> None:
        if self.step is None or self.step.number in self.shots:
            return
        # « Payer (260201) »: the journeys name the invoice beside the control; the guide does not
        self.take(self.step, page_object, locator, re.sub(r"\s*\(.*\)$", "", control))

    def take(self, step: Step, page_object: PortalPage, locator: "Locator | None", control: str | None,
             note: str | None = None) -> None:
        """Photograph the page for ``step``, ``locator`` outlined, personal data masked."""
        page = page_object.page
        # what the page object does next anyway: a consent banner or the wait modal must not be in the picture
        page_object.clear_overlays(wait_modal=True)
        self.learn(page_object)
        box = self._box(locator, control) if locator is not None else None
        size = page.viewport_size or CONTEXT_OPTIONS["viewport"]
        try:
            for mask in page_object.personal_data():
                mask.evaluate_all("(els, mask) => els.forEach(e => e.setAttribute(mask, ''))", MASK)
            page.evaluate(_MARK_JS, [sorted(self.personal), MASK, TARGET])
            # the picture stops where the page does: no empty half-screen under a short page
            bottom = page.evaluate("() => Math.ceil(document.documentElement.getBoundingClientRect().bottom)")
            height = int(min(size["height"], max(MIN_HEIGHT, bottom + 8,
                                                 (box["y"] + box["height"] + 40) if box else 0)))
            shown = page.evaluate(_SHOWN_JS, [MASK, size["width"], height])
            # why: the guide's own marks (set above) are what the picture masks
            image = page.screenshot(type="jpeg", quality=SHOT_QUALITY, mask=[page.locator(f"[{MASK}]")],
                                    mask_color=MASK_COLOR, caret="hide", animations="disabled",
                                    clip={"x": 0, "y": 0, "width": size["width"], "height": height})
        finally:
            try:
                page.evaluate(_UNMARK_JS, [MASK, TARGET])
            except PlaywrightError as exc:  # the page is going away: its marks with it
                logger.debug("guide: marks not removed: {}", first_line(exc))
        self.shots[step.number] = Shot(self.section, step.number, step.title, page_object.TITLE, control, image,
                                       size["width"], height, box, note, shown)
        logger.info("guide: step {} photographed ({})", step.number, control or "no control")

    def _box(self, locator: "Locator", control: str | None) -> dict[str, float] | None:
        target = locator.filter(visible=True).first
        try:
            target.scroll_into_view_if_needed(timeout=self.settings.timeouts.action)
            return target.evaluate(_BOX_JS, TARGET, timeout=self.settings.timeouts.action)
        except PlaywrightError as exc:  # the page object will say what is missing when it acts
            logger.warning("guide: no box for « {} »: {}", control, first_line(exc))
            return None

    def learn(self, page_object: PortalPage) -> None:
        """Remember the personal values this page shows, to mask and to look for later."""
        try:
            self.personal.update(v for v in page_object.personal_values() if len(v.strip()) >= 3)
            table = InvoiceTable(page_object.page, self.settings)
            if table.rows.count():
                for inv in table.read():
                    self.personal.update(v for v in (inv.number, inv.member) if v)
                    if inv.amount is not None:
                        self.personal.add(format_amount(inv.amount))
        except PlaywrightError as exc:
            logger.warning("guide: personal values not read: {}", first_line(exc))
