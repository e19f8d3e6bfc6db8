"""Cookie-consent overlays: refused, never accepted, and noted for the report.

French public sites commonly put a consent overlay in front of the page (tarteaucitron, Axeptio,
Didomi, Cookiebot, OneTrust, home-made ones) [guess for any given portal]. Whenever one shows
and covers what the assistant is about to use, it refuses what can be refused (« Tout refuser »,
« Refuser », « Continuer sans accepter », « Non merci »), or closes the overlay (« × », « Fermer »);
it **never** accepts tracking on a family's behalf. Each choice is kept per browser context and
goes into the run's report. An overlay that offers neither is left as it is: the click it covers
is then reported as intercepted, naming the overlay's text.

Looked for before each action the assistant makes (:meth:`PortalPage.clear_overlays`), and again
when a click is intercepted (an overlay that a consent script shows a second after the page).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

# why: consent managers are recognised by their own well-known ids and classes (vendors' public
# markup, not the portal's), home-made banners by the words cookie / consent / rgpd in theirs.
BANNERS = ", ".join(
    f"[id*='{word}' i], [class*='{word}' i]"
    for word in ("tarteaucitron", "axeptio", "didomi", "cookiebot", "onetrust", "orejime", "klaro",
                 "cookie", "consent", "rgpd", "gdpr", "traceur")
)
# A dialog that speaks of cookies without such a name is one too, but only its explicit
# refusals are used: its « Fermer » could be the login window's.
DIALOGS = "[role=dialog], [role=alertdialog], [aria-modal=true], dialog"
WORDS = re.compile(r"cookie|traceur|consentement|vie\s+priv[ée]e|mesure\s+d.audience|donn[ée]es\s+personnelles",
                   re.IGNORECASE)
# What a person clicks to say no, best first (each anchored: « Accepter et fermer » is none of them).
REFUSALS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\W*(?:tout\s+refuser|refuser\s+tout)\W*$", re.IGNORECASE),
    re.compile(r"^\W*(?:(?:je\s+)?refuser?(?:\s+les\s+cookies|\s+et\s+fermer)?|non\s+merci|rejeter|interdire)\W*$",
               re.IGNORECASE),
    re.compile(r"^\W*continuer\s+sans\s+accepter\W*$", re.IGNORECASE),
)
CLOSE = re.compile(r"^\W*(?:×|✕|x|fermer(?:\s+(?:la\s+fen[êe]tre|le\s+bandeau|ce\s+message))?|close)\W*$",
                   re.IGNORECASE)

# an overlay's words, its shadow root's included (some consent managers draw there)
_TEXT_JS = ("e => (e.innerText || '').trim() || "
            "(e.shadowRoot ? Array.from(e.shadowRoot.children).map(c => c.innerText || '').join(' ') : '')")

_NOTES: "WeakKeyDictionary[BrowserContext, list[str]]" = WeakKeyDictionary()


def _choices(scope: "Page | Locator", pattern: re.Pattern[str]) -> Locator:
    return scope.get_by_role("button", name=pattern).or_(scope.get_by_role("link", name=pattern)).filter(visible=True)


def _any(scope: "Page | Locator", patterns: tuple[re.Pattern[str], ...]) -> Locator:
    found = _choices(scope, patterns[0])
    for pattern in patterns[1:]:
        found = found.or_(_choices(scope, pattern))
    return found


def overlay(page: "Page") -> Locator:
    """A visible consent overlay: a consent manager's banner, or a dialog speaking of cookies.

    Looked for before every action, so it is kept cheap; whether it offers a way out without
    accepting is :func:`refuse`'s to find.
    """
    banner = page.locator(BANNERS).filter(has_text=WORDS)
    dialog = page.locator(DIALOGS).filter(has_text=WORDS).filter(has_not=page.locator("input[type=password]"))
    return banner.or_(dialog).filter(visible=True)


def refuse(root: Locator) -> str | None:
    """Click the best refusal the overlay offers; return its label (None when it offers none)."""
    named_banner = root.evaluate(
        "(e, words) => new RegExp(words, 'i').test(e.id + ' ' + e.className)",
        "tarteaucitron|axeptio|didomi|cookiebot|onetrust|orejime|klaro|cookie|consent|rgpd|gdpr|traceur")
    for pattern in (*REFUSALS, CLOSE) if named_banner else REFUSALS:
        choice = _choices(root, pattern)
        if choice.count():
            chosen = choice.first
            name = " ".join((chosen.get_attribute("aria-label") or chosen.inner_text() or "×").split())
            chosen.click()
            return name
    return None


def refuse_shown(page: "Page") -> bool:
    """Refuse the consent overlay shown now, if any; whether one was refused (and noted)."""
    shown = overlay(page)
    if not shown.count():
        return False
    root = shown.first
    try:
        text = " ".join(root.evaluate(_TEXT_JS).split())[:120]
        chosen = refuse(root)
    except PlaywrightError as exc:
        logger.warning("consent overlay could not be refused: {}", (exc.message or str(exc)).splitlines()[0])
        return False
    if not chosen:
        return False  # no way out but accepting: left as it is; the click it covers will say so
    logger.info("consent overlay refused with « {} »", chosen)
    notes = _NOTES.setdefault(page.context, [])
    note = f"« {chosen} » sur le bandeau « {text}… »"
    if note not in notes:
        notes.append(note)
    try:
        root.wait_for(state="hidden", timeout=2_000)
    except PlaywrightTimeout:
        logger.warning("the consent overlay is still shown after « {} »", chosen)
    return True


def notes(context: "BrowserContext") -> list[str]:
    """What was refused in this context, in French, for the report."""
    return list(_NOTES.get(context, []))
