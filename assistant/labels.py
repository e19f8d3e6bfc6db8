"""Tolerant matchers for the portal's French labels.

Labels are configured per tenant and typed by people, so the same words come with other case,
spaces (incl. U+00A0 / U+202F), « » guillemets, ’ vs ' apostrophes, … vs ..., or accents lost in
capitals (« ETAPE »). :func:`label` turns the help page's wording into a regular expression that
Playwright accepts as an accessible name (it is sent to the browser as a JS regex).
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = r"[\s\u00a0\u202f]"
_APOSTROPHES = "'’ʼ`´"
_ACCENTS = {
    "a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ",
}


def strip_accents(text: str) -> str:
    """``text`` without its accents (« Échue » -> « Echue »): the one accent folding of the assistant."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


# Letters and digits, for word boundaries in patterns that run in the browser (its \w knows no accents)
_WORD = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"


def _char(c: str) -> str:
    if c in _APOSTROPHES:
        # « l’étape » / « l'étape » / « l' étape »
        return f"[{_APOSTROPHES}]{_SPACE}*"
    if c == "/":
        # Playwright sends the pattern as a JS /regex/ literal: an unescaped slash ends it;
        # « facture/compte » is also written « facture / compte »
        return rf"{_SPACE}*\/{_SPACE}*"
    base = strip_accents(c).lower()
    if base in _ACCENTS:
        return f"[{_ACCENTS[base]}]"
    return re.escape(c)


def _body(text: str, *, joined: str = "+") -> str:
    words = normalise(text).split(" ")
    parts = []
    for word in words:
        if word.endswith("..."):
            parts.append("".join(_char(c) for c in word[:-3]) + r"(?:\.\.\.|…)")
        else:
            parts.append("".join(_char(c) for c in word))
    return f"{_SPACE}{joined}".join(p for p in parts if p)


def label(text: str, *, exact: bool = True, prefix: bool = False, loose: bool = False) -> re.Pattern[str]:
    """A case-insensitive matcher for ``text``, for accessible names and visible text.

    - default (``exact``): the whole name is the label, give or take guillemets, spaces, a count
      (« Mes factures (2) », « 3 Mes factures »), an arrow or punctuation; words may be glued
      when the portal splits the label over elements (« <span>Mes</span><span>factures</span> »);
    - ``prefix``: the name starts with the label (a tile whose name goes on with its description);
    - ``loose``: the label's words stand anywhere in the name as whole words (« 3 Mes factures
      Consulter et payer », « Aller à l’étape 2 → »), and may be glued together when the portal
      splits a label over elements (« <span>Mes</span><span>factures</span> »);
    - ``exact=False``: the words anywhere, even glued to what surrounds them (an icon's alt text
      before the label reads « FacturesMes factures » in an accessible name), or in running text.
    """
    guillemets = rf"[«»\"“”{_SPACE[1:-1]}]*"
    # what may stand around a label in a control's name without making it another control
    around = rf"(?:[«»\"“”{_SPACE[1:-1]}0-9.,:;!?+*#°%•·|<>›‹→←↗➔▶►\-–—]|\([^()]{{0,40}}\)|\[[^\[\]]{{0,40}}\])*"
    if loose:
        return re.compile(rf"(?<![{_WORD}]){_body(text, joined='*')}(?![{_WORD}])", re.IGNORECASE)
    if prefix:
        return re.compile(rf"^{guillemets}{_body(text)}(?![{_WORD}])", re.IGNORECASE)
    if exact:
        return re.compile(rf"^{around}{_body(text, joined='*')}{around}$", re.IGNORECASE)
    return re.compile(_body(text, joined="*"), re.IGNORECASE)


def normalise(text: str | None) -> str:
    """Collapse spaces, unify apostrophes and ellipses, drop guillemets: for comparing read text."""
    text = (text or "").replace("…", "...")
    for a in _APOSTROPHES:
        text = text.replace(a, "'")
    text = text.replace("«", " ").replace("»", " ")
    return " ".join(text.split())


def fold(text: str | None) -> str:
    """``text`` as compared by a person: case, spaces, accents, apostrophes and guillemets aside."""
    return strip_accents(normalise(text)).casefold()


def same(a: str | None, b: str | None) -> bool:
    """Whether two labels are the same for a person (case, spaces, accents, apostrophes aside)."""
    return fold(a) == fold(b)
