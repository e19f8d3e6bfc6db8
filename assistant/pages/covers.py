"""What covers the page, as a person sees it: found in one look, described for :mod:`.dialogs` to sort.

An overlay is not known by a vendor's name but by where it sits and what it says:

- a dialog the page marks as such (``<dialog>``, ``role=dialog|alertdialog``, ``aria-modal``), visible;
- an element fixed over the content (``position: fixed``) that a person sees in the middle of the
  window, beside other content of the page (a fixed layout that holds the page, its heading, its
  main content or most of its controls, is not over it);
- a fixed element anywhere in the window (a banner at the bottom) that speaks of consent (cookies,
  traceurs...), drawn in the page or in an open shadow root;
- whatever a click on the control about to be used would land on instead (``intercepted``).

The look is one ``evaluate`` on the page (:func:`probe`): when nothing covers the page it costs that
round trip only. Each overlay found is tagged with an attribute for the locators that then close it
(Playwright's locators pierce open shadow roots), and described: its words (its shadow root's
included), its fields, its controls (name, whether a link leads off the portal, whether it posts a form).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

#: the attribute an overlay found is tagged with (its value: this look's number and the overlay's)
MARK = "data-assistant-overlay"
#: an overlay looked at and left as it is (a consent banner at the bottom with no refusal): not looked at again
LEFT = "data-assistant-left"
# why: the dialogs the page marks as such, and consent managers' own ids and classes (vendors' public markup)
DIALOGS = "dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]"
BANNERS = ", ".join(
    f"[id*='{word}' i], [class*='{word}' i]"
    for word in ("tarteaucitron", "axeptio", "didomi", "cookiebot", "onetrust", "orejime", "klaro",
                 "cookie", "consent", "rgpd", "gdpr", "traceur"))
_LOOKS = itertools.count(1)

# Shared helpers of the two scripts below (plain functions of a DOM node).
_HELPERS = r"""
  const body = document.body, html = document.documentElement;
  const up = n => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const within = (n, root) => { for (; n; n = up(n)) if (n === root) return true; return false; };
  const seen = e => {
    if (!e.isConnected) return false;
    const r = e.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    return e.checkVisibility ? e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
  };
  const SKIP = new Set(['STYLE', 'SCRIPT', 'TEMPLATE', 'NOSCRIPT']);
  const wordsOf = e => {
    let t = SKIP.has(e.tagName) ? '' : (e.innerText || '');
    for (const h of [e, ...e.querySelectorAll('*')])
      if (h.shadowRoot) for (const c of h.shadowRoot.children) if (!SKIP.has(c.tagName)) t += ' ' + wordsOf(c);
    return t.replace(/\s+/g, ' ').trim();
  };
  const deep = (root, sel) => {
    const out = root.matches && root.matches(sel) ? [root] : [];
    const visit = scope => {
      out.push(...scope.querySelectorAll(sel));
      for (const h of scope.querySelectorAll('*')) if (h.shadowRoot) visit(h.shadowRoot);
    };
    visit(root);
    if (root.shadowRoot) visit(root.shadowRoot);
    return out;
  };
  // a backdrop or a shadow host around an overlay, showing nothing else: the overlay is all of it
  const whole = e => {
    const t = wordsOf(e);
    for (let p = up(e); p && p !== body && p !== html; p = up(p)) { if (wordsOf(p) !== t) break; e = p; }
    return e;
  };
  const FIELDS = 'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=image]):not([type=reset]),'
    + 'select,textarea,[contenteditable=""],[contenteditable=true],[role=textbox],[role=checkbox],[role=radio],'
    + '[role=switch],[role=combobox],[role=listbox],[role=slider],[role=spinbutton],[role=searchbox]';
  const CLICKS = 'a[href],button,input[type=button],input[type=submit],input[type=image],input[type=reset],'
    + '[role=button],[role=link],[role=menuitem],[onclick]';
  const nameOf = c => {
    const img = c.querySelector && c.querySelector('img[alt]');
    return (c.getAttribute('aria-label') || c.innerText || c.value || (img && img.alt) || c.getAttribute('title') || '')
      .replace(/\s+/g, ' ').trim();
  };
  const describe = (root, ref, covers, modal) => {
    const fields = deep(root, FIELDS).filter(f => seen(f) || (f.labels && [...f.labels].some(seen)))
      .map(f => f.getAttribute('role') || (f.tagName === 'INPUT' ? (f.type || 'text') : f.tagName.toLowerCase()));
    let clicks = deep(root, CLICKS).filter(c => c !== root && seen(c) && !c.disabled);
    clicks = clicks.filter(c => !clicks.some(o => o !== c && within(o, c)));
    const controls = clicks.map(c => {
      const raw = c.tagName === 'A' ? (c.getAttribute('href') || '') : '';
      let away = false, leads = false;
      if (raw && !/^\s*(#|javascript:)/i.test(raw)) {
        leads = true;
        try { const u = new URL(raw, location.href); away = /^https?:$/.test(u.protocol) && u.origin !== location.origin; }
        catch (err) { away = true; }
      }
      const posts = !!(c.form && c.type === 'submit' && c.form.method === 'post');
      return {name: nameOf(c), link: leads, away, posts};
    });
    const had = root.getAttribute(A.mark);
    if (had && had.startsWith(A.look + '-')) ref = had; else root.setAttribute(A.mark, ref);
    const text = wordsOf(root).slice(0, 400) || ('<' + root.tagName.toLowerCase() + '>');
    return {ref, text, covers, modal, fields, controls};
  };
"""

# The look at the whole page. ``els``: the elements of the locator it runs on (« Prolonger ma session »,
# « Merci de patienter... »), counted only.
_PROBE_JS = "(els, A) => {" + _HELPERS + r"""
  if (!body) return {special: els.length, found: []};
  const consent = new RegExp(A.words, 'i');
  const left = e => { for (let n = e; n; n = up(n)) if (n.hasAttribute && n.hasAttribute(A.left)) return true; return false; };
  const W = innerWidth, H = innerHeight;
  const CENTRAL = [[.5, .5], [.5, .35], [.5, .65], [.35, .5], [.65, .5]];
  const EDGES = [[.5, .03], [.5, .97], [.5, .12], [.5, .88], [.12, .9], [.88, .9], [.12, .1], [.88, .1]];
  const topAt = (x, y) => {
    let h = document.elementFromPoint(x * W, y * H);
    while (h && h.shadowRoot) { const i = h.shadowRoot.elementFromPoint(x * W, y * H); if (!i || i === h) break; h = i; }
    return h;
  };
  const fixedOf = h => {
    for (let n = h; n && n !== body && n !== html; n = up(n)) if (getComputedStyle(n).position === 'fixed') return n;
    return null;
  };
  // other content of the page beside it (a fixed layout holding the whole page is not over anything)
  const beside = e => {
    for (let n = e; n && n !== html; n = up(n)) {
      const p = up(n);
      if (!p) break;
      for (const s of p.children) if (s !== n && !SKIP.has(s.tagName) && seen(s)) return true;
    }
    return false;
  };
  // the page's own frame (a fixed layout with the page's heading or main content, or most of its controls):
  // nothing is over the page there; an overlay it holds is fixed on its own and found as such
  const CONTENT = 'a[href],button,input:not([type=hidden]),select,textarea';
  const controls = document.querySelectorAll(CONTENT).length;
  const holdsPage = e => !!e.querySelector('main,[role=main],h1')
    || (controls >= 12 && e.querySelectorAll(CONTENT).length * 2 >= controls);
  const found = new Map();
  const add = (e, covers, modal) => {
    if (!e || e === body || e === html || left(e)) return;
    const root = whole(e);
    if (holdsPage(root)) return;
    const was = found.get(root);
    found.set(root, {covers: covers || (was && was.covers), modal: modal || (was && was.modal)});
  };
  const centre = CENTRAL.map(([x, y]) => topAt(x, y)).filter(Boolean);
  for (const h of centre) { const f = fixedOf(h); if (f && beside(f)) add(f, true, false); }
  for (const [x, y] of EDGES) {
    const h = topAt(x, y), f = h && fixedOf(h);
    if (f && !found.has(f) && consent.test(wordsOf(f))) add(f, false, false);
  }
  for (const d of document.querySelectorAll(A.dialogs)) {
    if (!seen(d)) continue;
    const modal = d.getAttribute('aria-modal') === 'true' || d.matches(':modal');
    const central = centre.some(h => within(h, d));
    if (modal || central || consent.test(wordsOf(d))) add(d, modal || central, modal);
  }
  for (const b of document.querySelectorAll(A.banners)) if (seen(b) && consent.test(wordsOf(b))) add(b, false, false);
  // an overlay inside another is part of it
  const all = [...found.keys()];
  const roots = all.filter(r => !all.some(o => o !== r && within(r, o)));
  return {special: els.length, found: roots.map((r, i) => {
    const inner = all.filter(o => within(o, r)).map(o => found.get(o));
    return describe(r, A.look + '-' + i, inner.some(o => o.covers), inner.some(o => o.modal));
  })};
}"""

# What a click at the control's centre lands on instead of it (an overlay the look above did not see).
_COVER_JS = "(e, A) => {" + _HELPERS + r"""
  e.scrollIntoView({block: 'center', inline: 'center'});
  const r = e.getBoundingClientRect();
  let hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || within(hit, e) || within(e, hit) || (hit.closest && hit.closest('label') && hit.closest('label').control === e))
    return null;
  let top = hit;
  while (up(top) && up(top) !== body && !within(e, up(top))) top = up(top);
  return describe(top, A.look + '-c', true, false);
}"""

# The overlays (tagged by this look) that hold the control about to be used: the page's own, not in its way.
_HOLDING_JS = """(e, mark) => {
  const found = [];
  for (let n = e; n; n = n.parentElement || (n.parentNode && n.parentNode.host) || null)
    if (n.hasAttribute && n.hasAttribute(mark)) found.push(n.getAttribute(mark));
  return found;
}"""


@dataclass(frozen=True)
class Control:
    """A control of an overlay: its name, whether it is a link that leads somewhere (``away``: off the
    portal), whether it posts a form."""

    name: str
    link: bool = False
    away: bool = False
    posts: bool = False


@dataclass(frozen=True)
class Cover:
    """An overlay found on the page: its tag, its words, whether it is over the content (``covers``: a
    modal, in the middle of the window, or in the way of a click), its fields and controls."""

    ref: str
    text: str
    covers: bool
    modal: bool = False
    fields: tuple[str, ...] = ()
    controls: tuple[Control, ...] = ()

    @classmethod
    def read(cls, raw: dict) -> "Cover":
        return cls(ref=raw["ref"], text=raw["text"], covers=raw["covers"], modal=raw["modal"],
                   fields=tuple(raw["fields"]), controls=tuple(Control(**c) for c in raw["controls"]))

    def root(self, page: "Page") -> "Locator":
        # why: the overlay was found by where it sits, which no selector says; it was tagged for this
        return page.locator(f"[{MARK}='{self.ref}']")

    def short(self, limit: int = 160) -> str:
        """Its words, cut to ``limit`` characters."""
        return self.text if len(self.text) <= limit else self.text[:limit].rstrip() + "…"


def look() -> str:
    """A new look's token: the overlays it tags are told apart from those of earlier looks."""
    return str(next(_LOOKS))


def _args(words: str, token: str) -> dict:
    return {"words": words, "mark": MARK, "left": LEFT, "dialogs": DIALOGS, "banners": BANNERS, "look": token}


def probe(specials: "Locator", words: str, token: str) -> tuple[int, list[Cover]]:
    """One look at ``specials``' page: how many of ``specials`` show, and the overlays over the content
    (``words``: a JavaScript pattern of consent words, which make a fixed banner anywhere count)."""
    try:
        answer = specials.evaluate_all(_PROBE_JS, _args(words, token))
    except PlaywrightError as exc:
        # the page is being replaced (a document on its way): nothing to clear on it; the action's own wait decides
        logger.debug("no look at the page: {}", (exc.message or str(exc)).splitlines()[0])
        return 0, []
    return answer["special"], [Cover.read(raw) for raw in answer["found"]]


def in_the_way(target: "Locator", words: str, token: str) -> Cover | None:
    """What a click at ``target``'s centre would land on instead of it, tagged and described (None: itself)."""
    try:
        if not target.count():
            return None
        raw = target.first.evaluate(_COVER_JS, _args(words, token), timeout=2_000)
    except PlaywrightError:
        return None
    return Cover.read(raw) if raw else None


def holding(target: "Locator") -> set[str]:
    """The tags of the overlays that hold ``target`` (its page's own dialog, not one in its way)."""
    try:
        if not target.count():
            return set()
        return set(target.first.evaluate(_HOLDING_JS, MARK, timeout=2_000))
    except PlaywrightError:
        return set()


def leave(page: "Page", cover: Cover) -> None:
    """Not look at ``cover`` again (shown, but in nobody's way and offering nothing to click)."""
    try:
        cover.root(page).evaluate_all("(els, left) => els.forEach(e => e.setAttribute(left, ''))", LEFT)
    except PlaywrightError:
        return
