"""French amounts and dates: read as the portal writes them, written as French output shows them.

The one French formatter of the project (tables, CSV, summaries, reports, the monitor, the console):
:func:`format_amount` (``8,28 €``), :func:`format_decimal` (``1234,56``, for spreadsheets),
:func:`format_date` (``30/09/2026``), and numbers, durations and moments written the same way.

Amounts: ``1 234,56 €`` with ordinary, no-break (U+00A0) or narrow no-break (U+202F) spaces as
group separators, ``0,50 €``, ``-12,00 €`` (also with U+2212 minus), ``12 €``, ``EUR`` instead of
« € ». Dates: ``30/09/2026`` (also ``-`` or ``.``), ``30 septembre 2026``, ``1er octobre 2026``,
with or without a weekday. Anything else raises :class:`UnreadableText`, which names what was
expected and quotes the text: a value is never silently left empty.

Every French number, duration, date or moment the assistant prints (reports, console, monitor)
goes through the ``format_*`` functions below: one decimal comma, one date order.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..labels import strip_accents

_SPACES = "\u00a0\u202f\u2007\u2009 \t"
CENT = Decimal("0.01")
NBSP = "\u00a0"

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    # abbreviations the .NET fr-FR culture prints in short formats
    "janv": 1, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_AMOUNT = re.compile(
    r"^(?P<sign>[-\u2212+])?\s*"
    r"(?P<units>\d{1,3}(?:(?P<sep>[ .])\d{3})?(?:(?P=sep)\d{3})*|\d+)"
    r"(?:,(?P<cents>\d{1,2}))?\s*(?:€|EUR|euros?)?$",
    re.IGNORECASE,
)
#: an amount as a page's text or HTML shows it, found inside a longer text (cents and « € » written, spaces as
#: characters or HTML entities, between thousands too): what a recording hides (:func:`assistant.recording.scrub_text`)
_PAGE_SPACE = r"(?:[ \u00a0\u202f]|&nbsp;|&#160;)"
AMOUNT_IN_PAGE = re.compile(rf"\d{{1,3}}(?:(?:{_PAGE_SPACE}|\.)\d{{3}})*,\d{{2}}{_PAGE_SPACE}*(?:€|&euro;|EUR)")
_NUMERIC_DATE = re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")
_LONG_DATE = re.compile(r"^(?:(?:%s)\s+)?(?P<d>\d{1,2})\s*(?:er)?\s+(?P<m>[a-z]+)\.?\s+(?P<y>\d{4})$" % "|".join(WEEKDAYS))


class UnreadableText(ValueError):
    """A text that should hold an amount or a date and does not; ``kind`` is « montant » or « date »."""

    def __init__(self, kind: str, text: str | None):
        self.kind = kind
        self.text = text if text is not None else ""
        shown = f"« {self.text} »" if self.text.strip() else "(vide)"
        super().__init__(f"{kind} illisible : {shown}")


def _squash(text: str) -> str:
    for space in _SPACES:
        text = text.replace(space, " ")
    return " ".join(text.split())


def parse_amount(text: str | None) -> Decimal:
    """``"1 234,56 €"`` -> ``Decimal("1234.56")``; always two decimals (``"12 €"`` -> ``12.00``)."""
    squashed = _squash(text or "")
    match = _AMOUNT.match(squashed)
    if not match:
        raise UnreadableText("montant", text)
    units = re.sub(r"[ .]", "", match["units"])
    cents = (match["cents"] or "0").ljust(2, "0")
    try:
        value = Decimal(f"{units}.{cents}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets digits through
        raise UnreadableText("montant", text) from exc
    if match["sign"] in ("-", "\u2212"):
        value = -value
    return value.quantize(CENT)


def parse_date(text: str | None) -> date:
    """``"30/09/2026"``, ``"30 septembre 2026"``, ``"1er octobre 2026"`` -> ``date``."""
    squashed = strip_accents(_squash(text or "")).casefold()
    try:
        if match := _NUMERIC_DATE.match(squashed):
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        if (match := _LONG_DATE.match(squashed)) and match["m"] in MONTHS:
            return date(int(match["y"]), MONTHS[match["m"]], int(match["d"]))
    except ValueError as exc:  # 31/02/2026 and the like
        raise UnreadableText("date", text) from exc
    raise UnreadableText("date", text)


def format_decimal(value: Decimal, *, group: str = "") -> str:
    """``Decimal("1234.5")`` -> ``"1234,50"`` (decimal comma, two decimals); ``group`` separates thousands."""
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value).quantize(CENT):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{group.join(groups)},{cents}"


def format_amount(value: Decimal, *, space: str = NBSP) -> str:
    """``Decimal("8.28")`` -> ``"8,28 €"``, ``Decimal("1234.5")`` -> ``"1 234,50 €"``; ``space`` is
    the thousands and « € » separator (a no-break space by default, as the portal prints it)."""
    return f"{format_decimal(value, group=space)}{space}€"


def format_date(value: date) -> str:
    """``date(2026, 9, 30)`` -> ``"30/09/2026"``."""
    return value.strftime("%d/%m/%Y")


def format_due(due: date, today: date) -> str:
    """A due date as the agent reads it on ``today``: « échue depuis le 28/02/2026 » once past, « à payer
    avant le 28/02/2027 » while in time (the due date itself included)."""
    return f"{'échue depuis' if due < today else 'à payer avant'} le {format_date(due)}"


def format_number(value: float, digits: int = 2) -> str:
    """``1234.567`` -> ``"1234,57"``: the decimal comma, no grouping (durations, shares)."""
    return f"{value:.{digits}f}".replace(".", ",")


def format_seconds(value: float, digits: int = 2) -> str:
    """``1.234`` -> ``"1,23 s"``."""
    return f"{format_number(value, digits)} s"


def format_moment(value: datetime) -> str:
    """``datetime(2026, 9, 30, 14, 5, 9)`` -> ``"30/09/2026 14:05:09"`` (as given: convert to local first)."""
    return f"{format_date(value)} {value:%H:%M:%S}"
