"""How the portal writes amounts, dates and invoice statuses, per the composition's renderings."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from .skin_words import DEBITING, PARTIAL_WORD, STATUS_WORDS

NBSP = "\u00a0"  # .NET Framework's fr-FR group separator, also before « € »


def french_amount(amount: str | Decimal, group_sep: str = NBSP, currency: str = NBSP + "€") -> str:
    """``"1234.56"`` -> ``"1 234,56 €"`` (non-breaking spaces, as fr-FR formatting does); the group
    separator and the currency suffix as the composition says (``currency=""``: none)."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    sign = "-" if value < 0 else ""
    return f"{sign}{group_sep.join(groups)},{cents}{currency}"


def french_date(iso: str) -> str:
    """``"2026-01-31"`` -> ``"31/01/2026"``."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def remaining(inv: dict[str, Any]) -> Decimal:
    """What is left to pay on an invoice (accounts.json: ``amount``, ``paid``, optional ``paid_amount``)."""
    if inv["paid"]:
        return Decimal("0")
    return Decimal(inv["amount"]) - Decimal(inv.get("paid_amount") or "0")


def in_case(text: str, case: str) -> str:
    """A status word in the ``status_case`` rendering."""
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    if case == "no_accents":
        plain = unicodedata.normalize("NFKD", text)
        return "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return text


def meaning(inv: dict[str, Any], vocabulary: str) -> str:
    """What an invoice's status means on a portal speaking ``vocabulary``: "paid", "partly_paid" (``paid_amount``),
    "to_pay", or "direct_debit" (not paid yet, and the vocabulary says it is being debited: skin_words.DEBITING)."""
    if inv["paid"]:
        return "paid"
    if inv.get("paid_amount"):
        return "partly_paid"
    return "direct_debit" if vocabulary in DEBITING else "to_pay"


def status_word(inv: dict[str, Any], vocabulary: str, case: str) -> str:
    """The word of an invoice's status: paid, to pay (or being debited), or paid in part (``paid_amount``)."""
    paid, unpaid = STATUS_WORDS[vocabulary]
    word = {"paid": paid, "partly_paid": PARTIAL_WORD}.get(meaning(inv, vocabulary), unpaid)
    return in_case(word, case)
