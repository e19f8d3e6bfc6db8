"""Finding the portal's documented controls by their French words, whatever the markup.

The help page names the controls (« Mes factures », « MODIFIER », « VALIDER »...) [seed]; how a
portal renders them is not public [guess]: a link, a button, an ``<input type=submit|button>``,
an element with an ARIA role, a tile whose accessible name also holds a count badge, an icon's
alt text or a description, a label split over elements, or the role-less ``<a onclick>`` that
older ASP.NET pages still serve. So a control is found by its label alone, in two tiers:

1. its accessible name *is* the label (case, spaces, apostrophes, accents aside);
2. its accessible name *holds* the label as whole words (« 3 Mes factures Consulter et payer »).

Within the first tier that has any, controls that lead to the same place (nested in one another,
or links to the same address) count once, and the one whose name is closest to the label wins;
two different visible controls that fit equally well are ambiguity: reported, never guessed.
A missing control is reported with the nearest candidates actually on the page (role and name,
from Playwright's aria snapshot), so a maintainer sees at once what was renamed; the assistant
never clicks a substitute.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..labels import fold, label, normalise

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
_SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+) "(?P<name>(?:[^"\\]|\\.)*)"')

# For each element of a tier: its closeness to the label and where it leads, in one round trip.
_DESCRIBE_JS = """(els, wanted) => els.map(e => {
  const text = (e.getAttribute('aria-label') || e.innerText || e.value || e.textContent || '')
      .replace(/\\s+/g, ' ').trim();
  let to = '';
  const a = e.closest('a[href]') || e.querySelector('a[href]');
  const href = a ? a.href : '';
  if (href && !/#$|^javascript:/i.test(href) && href.split('#')[0] !== location.href.split('#')[0]) to = href.split('#')[0];
  return {extra: Math.max(0, text.length - wanted), to, outer: els.some(o => o !== e && e.contains(o))};
})"""


def control(scope: "Page | Locator", words: str, *, roles: tuple[str, ...] = CLICKABLE, loose: bool = True) -> Locator:
    """Every visible control named ``words`` (both tiers when ``loose``), for presence checks."""
    found = _tier(scope, label(words), roles)
    if loose:
        found = found.or_(_tier(scope, label(words, loose=True), roles))
    return found


def _tier(scope: "Page | Locator", name: re.Pattern[str], roles: tuple[str, ...]) -> Locator:
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


def resolve(scope: "Page | Locator", words: str, *, roles: tuple[str, ...] = CLICKABLE, timeout: float) -> Resolution:
    """Wait up to ``timeout`` ms for a control named ``words``; pick the one it designates.

    ``Resolution.locator`` is None when nothing fits in time; ``ambiguous`` counts the distinct
    controls that fit equally well when a choice would be a guess.
    """
    tiers = (_tier(scope, label(words), roles), _tier(scope, label(words, loose=True), roles))
    try:
        tiers[0].or_(tiers[1]).first.wait_for(state="visible", timeout=timeout)
    except PlaywrightTimeout:
        return Resolution(None)
    wanted = len(normalise(words))
    for tier in tiers:
        count = tier.count()
        if count == 1:
            return Resolution(tier.first)
        if count == 0:
            continue
        try:
            described = tier.evaluate_all(_DESCRIBE_JS, wanted)
        except PlaywrightError:
            # the page moved on while we looked: let the action's own auto-wait decide
            return Resolution(tier.first)
        inner = [(i, d) for i, d in enumerate(described) if not d["outer"]] or list(enumerate(described))
        closest = min(d["extra"] for _, d in inner)
        best = [(i, d) for i, d in inner if d["extra"] == closest]
        places = {d["to"] or f"#{i}" for i, d in best}
        if len(places) == 1 or len({d["to"] or f"#{i}" for i, d in inner}) == 1:
            return Resolution(tier.nth(best[0][0]))
        return Resolution(None, ambiguous=len(places))
    return Resolution(None)


# -- what is on the page instead ------------------------------------------------------------------
def page_controls(page: "Page") -> list[tuple[str, str]]:
    """(role, name) of every named control on the page, as Playwright's aria snapshot sees them."""
    try:
        snapshot = page.locator("body").aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return []
    found = []
    for line in snapshot.splitlines():
        match = _SNAPSHOT_LINE.match(line)
        if match and match["role"] in ROLE_FR and match["role"] != "heading":
            found.append((match["role"], match["name"].replace('\\"', '"')))
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


def nearest(page: "Page", wanted: str, *, limit: int = 3, floor: float = 0.3) -> list[str]:
    """The controls on the page nearest to ``wanted``, in French: « bouton « CHANGER » »."""
    scored = []
    for role, name in dict.fromkeys(page_controls(page)):
        score = similarity(wanted, name)
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
