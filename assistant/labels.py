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


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _char(c: str) -> str:
    if c in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    if c == "/":
        # Playwright sends the pattern as a JS /regex/ literal: an unescaped slash ends it
        return r"\/"
    base = _strip_accents(c).lower()
    if base in _ACCENTS:
        return f"[{_ACCENTS[base]}]"
    return re.escape(c)


def _body(text: str) -> str:
    words = normalise(text).split(" ")
    parts = []
    for word in words:
        if word.endswith("..."):
            parts.append("".join(_char(c) for c in word[:-3]) + r"(?:\.\.\.|…)")
        else:
            parts.append("".join(_char(c) for c in word))
    return f"{_SPACE}*".join(p for p in parts if p) if len(parts) == 1 else f"{_SPACE}+".join(parts)


def label(text: str, *, exact: bool = True, prefix: bool = False) -> re.Pattern[str]:
    """A case-insensitive matcher for ``text``: whole name when ``exact``, else anywhere in it.

    ``prefix`` matches names that start with ``text`` (a tile « Mes factures » whose accessible
    name goes on with its description).
    """
    body = _body(text)
    if prefix:
        guillemets = rf"[«»\"“”{_SPACE[1:-1]}]*"
        return re.compile(rf"^{guillemets}{body}(?![\w])", re.IGNORECASE)
    if exact:
        guillemets = rf"[«»\"“”{_SPACE[1:-1]}]*"
        return re.compile(rf"^{guillemets}{body}{guillemets}$", re.IGNORECASE)
    return re.compile(body, re.IGNORECASE)


def normalise(text: str | None) -> str:
    """Collapse spaces, unify apostrophes and ellipses, drop guillemets: for comparing read text."""
    text = (text or "").replace("…", "...")
    for a in _APOSTROPHES:
        text = text.replace(a, "'")
    text = text.replace("«", " ").replace("»", " ")
    return " ".join(text.split())


def same(a: str | None, b: str | None) -> bool:
    """Whether two labels are the same for a person (case, spaces, accents, apostrophes aside)."""
    return _strip_accents(normalise(a)).casefold() == _strip_accents(normalise(b)).casefold()
