"""Finding the portal's documented controls by their French words, whatever the markup.

The help page names the controls (« Mes factures », « MODIFIER », « VALIDER »...) [seed]; how a
portal renders them is not public [guess]: a link, a button, an ``<input type=submit|button>``,
an element with an ARIA role, a tile whose accessible name also holds a count badge, an icon's
alt text or a description, a label split over elements, or the role-less ``<a onclick>`` that
older ASP.NET pages still serve. So a control is found by its label alone, in tiers:

1. its accessible name *is* the label, give or take a count, an arrow or punctuation
   (« Mes factures (2) », « 3 Mes factures », « Aller à l’étape 2 → »);
2. it holds an element (or an image's alt) that *is* the label, beside other words (a tile
   « Mes factures » with its icon and its description « Consulter et payer »);
3. its name holds the label as whole words and the label is a piece of its own (a text of its
   own, glued spans, an alt): « Mes factures <span>12 nouvelles</span> », never « Modifier mon
   adresse » for « MODIFIER », which is another control.

Within the first tier that has any, controls that lead to the same place (nested in one another,
or stating the same address in their markup: a link, a GET form's submit button, a literal
navigation in an onclick; see :mod:`.targets`) count once, and the one whose name is closest to the label wins
(letters and digits counted: « facture / compte » is as close as « facture/compte »); two
different visible controls that fit equally well are ambiguity: reported, never guessed, each
named with where it leads and the heading it sits under (two billing accounts each offering the
adhesion are told apart by their headings).
A missing control is reported with the nearest candidates actually on the page (role and name,
from Playwright's aria snapshot), so a maintainer sees at once what was renamed; the assistant
never clicks a substitute.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..labels import fold, label
from .targets import LEADS_JS

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The roles a person clicks. `<a href>` is a link, `<button>` and `<input type=submit|button>` are
# buttons; tabs and menu items are how some portal generations draw their menus.
CLICKABLE = ("link", "button", "menuitem", "tab")
# why: an `<a>` without href, or a `<div onclick>`, has no role at all: found by its text
ROLELESS = "a:not([href]), [onclick]:not(body):not(html)"

ROLE_FR = {
    "link": "lien", "button": "bouton", "menuitem": "menu", "tab": "onglet", "radio": "bouton radio",
    "checkbox": "case à cocher", "option": "option", "textbox": "champ", "combobox": "liste",
    "switch": "interrupteur", "heading": "titre",
}
_SNAPSHOT_NODE = re.compile(r"^(?P<indent>\s*)- (?P<role>[a-z]+)")
_SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+) "(?P<name>(?:[^"\\]|\\.)*)"')

# For each element of a tier, in one round trip: how many characters its name has beyond the
# label, where it leads, whether it holds another candidate, and whether the label is a piece of
# its own (text nodes, glued spans, alt texts, a value) rather than words inside a longer text.
_DESCRIBE_JS = """(els, wanted) => {""" + LEADS_JS + """
  const norm = s => (s || '').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const trim = s => s.replace(/^[0-9]+|[0-9]+$/g, '');
  const goal = trim(norm(wanted));
  const pieces = e => {
    const found = [];
    const walk = n => { for (const c of n.childNodes) {
      if (c.nodeType === 3) found.push(norm(c.textContent));
      else if (c.nodeType === 1 && c.tagName === 'IMG') found.push(norm(c.alt));
      else if (c.nodeType === 1) walk(c);
    } };
    if (e.tagName === 'INPUT') found.push(norm(e.value)); else walk(e);
    found.push(norm(e.getAttribute('aria-label')));
    return found.filter(Boolean);
  };
  const own = e => {
    const p = pieces(e);
    for (let i = 0; i < p.length; i++) {
      let run = '';
      for (let j = i; j < p.length && run.length <= goal.length + 6; j++) { run += p[j]; if (trim(run) === goal) return true; }
    }
    return false;
  };
  return els.map((e, i) => {
    const text = (e.getAttribute('aria-label') || e.innerText || e.value || e.textContent || '').replace(/\\s+/g, ' ').trim();
    return {i, extra: Math.max(0, norm(text).length - norm(wanted).length), to: leads(e), piece: own(e),
            outer: els.some(o => o !== e && e.contains(o))};
  });
}"""


def control(scope: "Page | Locator", words: str, *, roles: tuple[str, ...] = CLICKABLE) -> Locator:
    """Every visible control named ``words`` (tiers 1 and 2), for presence checks that wait."""
    return _tiers(scope, words, roles)[1]


def _tiers(scope: "Page | Locator", words: str, roles: tuple[str, ...]) -> tuple[Locator, Locator, Locator]:
    whole = label(words)
    exact = _named(scope, whole, roles)
    # the widest: the words anywhere in the name, even glued to an icon's alt text (« FacturesMes
    # factures »); tier 3 keeps only the controls where the label is a piece of its own
    loose = _named(scope, label(words, exact=False), roles)
    # `has` is looked for inside each candidate, so it is built from the page, not from the scope;
    # it matches a candidate by its own text (a button's words, a submit's value) but not by its own
    # alt (an <input type=image alt=…> holds nothing): tier 2 holds tier 1 explicitly
    page = scope.page if isinstance(scope, Locator) else scope
    inner = page.get_by_text(whole).or_(page.get_by_alt_text(whole))
    return exact, exact.or_(loose.filter(has=inner)), loose


def _named(scope: "Page | Locator", name: re.Pattern[str], roles: tuple[str, ...]) -> Locator:
    found = None
    for role in roles:
        by_role = scope.get_by_role(role, name=name)  # type: ignore[arg-type]
        found = by_role if found is None else found.or_(by_role)
    assert found is not None
    return found.or_(scope.locator(ROLELESS).filter(has_text=name)).filter(visible=True)


@dataclass
class Resolution:
    """The one element a label designates, or why there is none."""

    locator: Locator | None
    ambiguous: int = 0
    #: the controls that fit equally well, in French (« lien « … » vers /… (sous « … ») »)
    candidates: list[str] = field(default_factory=list)

    @property
    def naming(self) -> str:
        """« Candidats : … » for a message, when there are candidates to name."""
        return f" Candidats : {' ; '.join(self.candidates)}." if self.candidates else ""


def resolve(scope: "Page | Locator", words: str, *, roles: tuple[str, ...] = CLICKABLE, timeout: float) -> Resolution:
    """Wait up to ``timeout`` ms for a control named ``words``; pick the one it designates.

    ``Resolution.locator`` is None when nothing fits in time; ``ambiguous`` counts the distinct
    controls that fit equally well when a choice would be a guess.
    """
    exact, holding, loose = _tiers(scope, words, roles)
    try:
        # the last tier holds the others: whatever fits at all ends the wait
        loose.first.wait_for(state="visible", timeout=timeout)
    except PlaywrightTimeout:
        return Resolution(None)
    if exact.count() == 1:
        return Resolution(exact.first)  # the usual case, in one round trip
    for tier in (exact, holding, loose):
        try:
            found = tier.evaluate_all(_DESCRIBE_JS, words)
        except PlaywrightError:
            # the page moved on while we looked: let the action's own auto-wait decide
            return Resolution(tier.first)
        if tier is loose:
            found = [d for d in found if d["piece"]]
        if not found:
            continue
        inner = [d for d in found if not d["outer"]] or found
        closest = min(d["extra"] for d in inner)
        best = [d for d in inner if d["extra"] == closest]
        if len({d["to"] or d["i"] for d in best}) == 1 or len({d["to"] or d["i"] for d in inner}) == 1:
            return Resolution(tier.nth(best[0]["i"]))
        distinct = list({d["to"] or d["i"]: d for d in best}.values())
        return Resolution(None, ambiguous=len(distinct), candidates=_described(tier, [d["i"] for d in distinct]))
    return Resolution(None)


# For each of the controls at ``indexes``: its kind, its words, where it leads, and the heading of
# the part of the page it sits in (two billing accounts each offering the same link are told apart).
_NAMES_JS = """(els, indexes) => {""" + LEADS_JS + """
  return indexes.map(i => {
  const e = els[i];
  const words = s => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const kind = e.getAttribute('role') || (e.tagName === 'A' ? 'link' : /^(BUTTON|INPUT)$/.test(e.tagName) ? 'button' : '');
  let to = leads(e);
  try { const u = new URL(to); if (u.origin === location.origin) to = u.pathname + u.search; } catch (x) { /* none */ }
  let under = '';
  for (let box = e.parentElement, up = 0; box && !under && up < 6; box = box.parentElement, up++) {
    const heads = Array.from(box.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading], legend, caption'))
      .filter(h => !h.contains(e) && (h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (heads.length) under = words(heads[heads.length - 1].innerText);
  }
  return {kind, name: words(e.getAttribute('aria-label') || e.innerText || e.value || e.alt), to, under};
  });
}"""


def _described(tier: Locator, indexes: list[int]) -> list[str]:
    """The controls at ``indexes`` of ``tier``, in French, for an ambiguity report."""
    try:
        found = tier.evaluate_all(_NAMES_JS, indexes)
    except PlaywrightError:
        return []
    return [f"{ROLE_FR.get(d['kind'], 'élément')} « {d['name']} »" + (f" vers {d['to']}" if d["to"] else "")
            + (f" (sous « {d['under']} »)" if d["under"] else "") for d in found]


# -- what is on the page instead ------------------------------------------------------------------
# Landmarks whose controls are the site's chrome (menus, header, footer), not the page's own.
CHROME = ("navigation", "banner", "contentinfo")


def page_controls(page: "Page") -> list[tuple[str, str, bool]]:
    """(role, name, in the page's own content) of every named control, as Playwright's aria snapshot sees them."""
    try:
        snapshot = page.locator("body").aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return []
    found, stack = [], []  # stack: (indent, role) of the enclosing nodes
    for line in snapshot.splitlines():
        node = _SNAPSHOT_NODE.match(line)
        if not node:
            continue
        indent = len(node["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        match = _SNAPSHOT_LINE.match(line)
        if match and match["role"] in ROLE_FR and match["role"] != "heading":
            own = not any(role in CHROME for _, role in stack)
            found.append((match["role"], match["name"].replace('\\"', '"'), own))
        stack.append((indent, node["role"]))
    return found


def similarity(wanted: str, name: str) -> float:
    """How close a control's name is to the documented label (0 to 1), for drift reports only."""
    a, b = fold(wanted), fold(name)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    overlap = len(words_a & words_b) / len(words_a) if words_a else 0.0
    return max(ratio, 0.9 * overlap)


def nearest(page: "Page", wanted: str, *, limit: int = 3, floor: float = 0.35) -> list[str]:
    """The controls on the page nearest to ``wanted``, in French: « bouton « CHANGER » ».

    Closeness of the words first; a control of the page's own content (not of its menus, header
    or footer) weighs a little more: a renamed button sits where the documented one stood.
    """
    scored = []
    for role, name, own in dict.fromkeys(page_controls(page)):
        score = similarity(wanted, name) + (0.15 if own else 0.0)
        if score >= floor:
            scored.append((score, role, name))
    scored.sort(key=lambda s: -s[0])
    return [f"{ROLE_FR[role]} « {name} »" for _, role, name in scored[:limit]]


# -- what covers a control ------------------------------------------------------------------------
# What a real click at the element's centre would hit: itself, its own <label>, something else
# (an overlay, and then its text), or nothing (no box: hidden, clipped away).
_HIT_JS = """e => {
  if (!e.isConnected) return {hit: 'none'};
  e.scrollIntoView({block: 'center', inline: 'center'});
  const r = e.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) return {hit: 'none'};
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit) return {hit: 'none'};
  if (hit === e || e.contains(hit)) return {hit: 'self'};
  const own = hit.closest('label');
  if (own && own.control === e) return {hit: 'label'};
  if (hit.contains(e)) return {hit: 'none'};
  let top = hit;
  while (top.parentElement && top.parentElement !== document.body && !top.parentElement.contains(e)) top = top.parentElement;
  const text = (top.innerText || top.getAttribute('aria-label') || top.textContent || '').replace(/\\s+/g, ' ').trim();
  return {hit: 'other', cover: text.slice(0, 160) || ('<' + top.tagName.toLowerCase() + '>')};
}"""


def hit_test(locator: Locator) -> dict:
    """Where a click at ``locator``'s centre lands: ``{"hit": "self"|"label"|"other"|"none", "cover": text}``."""
    try:
        if locator.count() == 0:
            return {"hit": "none"}
        return locator.first.evaluate(_HIT_JS, timeout=2_000)
    except PlaywrightError:
        return {"hit": "none"}


def covered_by(locator: Locator) -> str | None:
    """The visible text of whatever overlay lies over ``locator``'s centre, or None."""
    found = hit_test(locator)
    return found.get("cover") if found["hit"] == "other" else None
