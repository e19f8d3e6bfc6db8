"""The status words of a French billing portal: one table, each word with the status it means and its source.

How the portal words an invoice's status is not public (docs/portal.md: « Paid / to-pay status markup
[...] not public »), so every word below is a [guess] from French billing portals at large. Four
statuses, and nothing else:

- :data:`UNPAID` « à payer »: the family owes the whole amount;
- :data:`PARTLY_PAID` « partiellement payée »: the family still owes part of it, the remaining amount
  (« reste à payer 12,00 € ») when the portal shows it; it counts as to pay, with that remainder;
- :data:`PAID` « payée » (also debited: « prélevée »);
- :data:`DIRECT_DEBIT` « prélèvement en cours »: the public treasury takes it from the family's
  account; neither to pay by the family nor paid yet (never in a total to pay, never « déjà payée »).

Words are compared as a person reads them: case, accents, spaces (U+00A0, U+202F), apostrophes and a
final full stop aside. A word the table does not know raises :class:`UnreadableText`: it is never
taken for paid nor for unpaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..labels import fold
from .french import UnreadableText, parse_amount

UNPAID, PARTLY_PAID, PAID, DIRECT_DEBIT = "à payer", "partiellement payée", "payée", "prélèvement en cours"
#: the statuses the family still has to pay (an amount, or what remains of it)
TO_PAY = frozenset({UNPAID, PARTLY_PAID})
STATUSES = (UNPAID, PARTLY_PAID, PAID, DIRECT_DEBIT)


@dataclass(frozen=True)
class StatusWord:
    """One way a portal words a status: ``words`` as a portal writes them (accents, case and the
    feminine/plural endings are free), the status, and where the word comes from."""

    words: str
    status: str
    source: str = "guess"


#: every status word known, in one table ([guess] all: the portal's status markup is not public)
STATUS_WORDS: tuple[StatusWord, ...] = (
    StatusWord("à payer", UNPAID),
    StatusWord("à régler", UNPAID),
    StatusWord("non réglée", UNPAID),
    StatusWord("non payée", UNPAID),
    StatusWord("non acquittée", UNPAID),
    StatusWord("non soldée", UNPAID),
    StatusWord("impayée", UNPAID),
    StatusWord("en attente de paiement", UNPAID),
    StatusWord("en attente de règlement", UNPAID),
    StatusWord("en retard", UNPAID),
    StatusWord("en retard de paiement", UNPAID),
    StatusWord("échue", UNPAID),
    StatusWord("à payer en retard", UNPAID),
    StatusWord("partiellement réglée", PARTLY_PAID),
    StatusWord("partiellement payée", PARTLY_PAID),
    StatusWord("partiellement acquittée", PARTLY_PAID),
    StatusWord("payée partiellement", PARTLY_PAID),
    StatusWord("réglée partiellement", PARTLY_PAID),
    StatusWord("paiement partiel", PARTLY_PAID),
    StatusWord("réglée", PAID),
    StatusWord("payée", PAID),
    StatusWord("soldée", PAID),
    StatusWord("acquittée", PAID),
    StatusWord("prélevée", PAID),
    StatusWord("prélèvement en cours", DIRECT_DEBIT),
    StatusWord("en cours de prélèvement", DIRECT_DEBIT),
    StatusWord("prélèvement à venir", DIRECT_DEBIT),
    StatusWord("prélèvement programmé", DIRECT_DEBIT),
)


def _pattern(words: str) -> str:
    """The folded words as a pattern, the agreement of a participle free (« payé », « payée », « payées »,
    « échu », « échues »): the table writes them in the feminine singular."""
    out = []
    for word in words.lower().split(" "):
        stem = word[:-1] if word.endswith(("ée", "ue")) else word
        free = stem.endswith(("é", "u")) and len(stem) > 2
        out.append(re.escape(fold(stem)) + ("e?s?" if free else ""))
    return r"\s+".join(out)


_BY_WORDS = tuple((re.compile(rf"^{_pattern(w.words)}$"), w.status) for w in STATUS_WORDS)
# « reste à payer 12,00 € », « restant dû : 12 € », « reste 12,00 € », « solde à payer … » (folded, [guess])
_REMAINING = re.compile(r"^(?P<before>.*?)[\s(,;:\-–—]*\b(?:reste|restant|solde)\b"
                        r"(?P<owed>\s+(?:a\s+payer|a\s+regler|du))?\s*:?\s*(?P<amount>[^()]*?)\s*\)?\s*$")


@dataclass(frozen=True)
class ReadStatus:
    """A status as read: the status, and for a partial payment the remaining amount (None when the
    text carries none; ``remaining_problem`` quotes it when it does not parse)."""

    status: str
    remaining: Decimal | None = None
    remaining_problem: str | None = None


def _status_of(folded: str) -> str | None:
    words = folded.strip(" .!;:,-–—()")
    return next((status for pattern, status in _BY_WORDS if pattern.match(words)), None)


def read_status(text: str | None) -> ReadStatus:
    """``"Partiellement réglée (reste à payer 12,00 €)"`` -> partly paid, 12.00 left; ``"Payée"`` -> paid.

    A word the table does not know raises :class:`UnreadableText` quoting the text."""
    folded = fold(text)
    status = _status_of(folded)
    if status is not None:
        return ReadStatus(status)
    remaining = _REMAINING.match(folded)
    if remaining:
        before = remaining["before"].strip()
        # « reste à payer 12,00 € » alone: the family owes that much [guess] (« solde 0,00 € » says nothing)
        status = _status_of(before) if before else UNPAID if remaining["owed"] else None
        if status in TO_PAY:
            try:
                left = parse_amount(remaining["amount"])
            except UnreadableText:
                return ReadStatus(status, None, str(UnreadableText("reste à payer", text)))
            if before or left > 0:
                return ReadStatus(status, left)
    raise UnreadableText("statut", text)


def parse_status(text: str | None) -> str:
    """« Payée » -> ``payée``, « À payer » -> ``à payer``; a word the table does not know raises
    :class:`UnreadableText`."""
    return read_status(text).status
