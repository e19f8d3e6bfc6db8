"""Cookie-consent overlays: refused, never accepted, and noted for the report.

French public sites commonly put a consent overlay in front of the page (tarteaucitron, Axeptio,
Didomi, Cookiebot, OneTrust, home-made ones) [guess for any given portal]. It is recognised by what
it says (cookies, traceurs, consentement, mesure d’audience; vie privée, données personnelles or
partenaires beside a consent choice), whatever its ids, classes and roles, in the page or in an
open shadow root (found by :mod:`.covers`). The assistant refuses what can be refused (« Tout
refuser », « Refuser », « Je refuse », « Continuer sans accepter », « Non merci »), or else closes
the overlay (« × », « Fermer »); it **never** accepts tracking on a family's behalf (« Accepter »,
« J’accepte », « OK pour moi », « Tout accepter » are never clicked, nor « J’ai compris » or « OK »,
which may mean yes). Each choice is kept per browser context and goes into the run's report. An
overlay that offers neither is left as it is; when it covers the page, the run stops for a person
(:mod:`.dialogs`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from playwright.sync_api import Locator

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from .covers import Cover

# What makes an overlay a consent overlay on its own [guess: the words of consent managers and of the CNIL's]
STRONG_WORDS = r"cookie|traceur|consentement|mesure\s+d.audience"
# What does when the overlay also offers a consent choice (an information about « vie privée » is no banner)
WEAK_WORDS = r"vie\s+priv[ée]e|donn[ée]es\s+personnelles|partenaires|\brgpd\b"
#: both, as a pattern JavaScript reads too (a fixed banner with these words counts wherever it sits)
WORDS = f"{STRONG_WORDS}|{WEAK_WORDS}"
_STRONG = re.compile(STRONG_WORDS, re.IGNORECASE)
_WEAK = re.compile(WEAK_WORDS, re.IGNORECASE)
# What a person clicks to say no, best first (each anchored: « Accepter et fermer » is none of them).
REFUSALS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\W*(?:tout\s+refuser|refuser\s+tout|tout\s+rejeter|rejeter\s+tout"
               r"|refuser\s+tous\s+les\s+(?:cookies|traceurs))\W*$", re.IGNORECASE),
    re.compile(r"^\W*(?:(?:je\s+)?refuser?(?:\s+les\s+cookies|\s+et\s+fermer)?|non\s+merci|rejeter|interdire)\W*$",
               re.IGNORECASE),
    re.compile(r"^\W*continuer\s+sans\s+accepter\W*$", re.IGNORECASE),
)
CLOSE = re.compile(r"^\W*(?:×|✕|✖|x|fermer(?:\s+(?:la\s+fen[êe]tre|le\s+bandeau|ce\s+message))?|close)\W*$",
                   re.IGNORECASE)
# A consent choice: what tells a banner about « partenaires » from an announcement that names them
CHOICE = re.compile(r"accept|autoris|consen|refus|rejet|personnalis|param[èe]tr|g[ée]rer\s+(?:mes|les)\s+choix"
                    r"|ok\s+pour\s+moi", re.IGNORECASE)

_NOTES: "WeakKeyDictionary[BrowserContext, list[str]]" = WeakKeyDictionary()


def is_consent(cover: "Cover") -> bool:
    """Whether an overlay asks for consent: by its words, with a consent choice for the weaker ones."""
    if _STRONG.search(cover.text):
        return True
    return bool(_WEAK.search(cover.text)) and any(CHOICE.search(c.name) for c in cover.controls)


def way_out(cover: "Cover") -> re.Pattern[str] | None:
    """The pattern of the best refusal the overlay offers, else of its « Fermer » / ×; None if neither."""
    names = [c.name for c in cover.controls]
    return next((p for p in (*REFUSALS, CLOSE) if any(p.search(n) for n in names)), None)


def choices(scope: "Page | Locator", pattern: re.Pattern[str]) -> Locator:
    """The visible controls of ``scope`` named by ``pattern`` (buttons, links, role-less clickables)."""
    # why: a role-less clickable (`<span onclick>×</span>`) is found by its text
    roleless = scope.locator("[onclick]").filter(has_text=pattern)
    return (scope.get_by_role("button", name=pattern).or_(scope.get_by_role("link", name=pattern))
            .or_(roleless).filter(visible=True))


def note(context: "BrowserContext", chosen: str, cover: "Cover") -> None:
    """Keep « {chosen} » on the banner, for the report (once per banner and choice)."""
    notes = _NOTES.setdefault(context, [])
    said = f"« {chosen} » sur le bandeau « {cover.short(120)} »"
    if said not in notes:
        notes.append(said)


def notes(context: "BrowserContext") -> list[str]:
    """What was refused in this context, in French, for the report."""
    return list(_NOTES.get(context, []))
