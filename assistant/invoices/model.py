"""An invoice as the portal shows it, what its detail says, and the record of one invoices run.

Pages read the portal into these types; flows and output use them. Nothing here knows a page.
A field that could not be read is None and named in ``problems`` with what the portal showed:
it is reported, never silently empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from loguru import logger

from ..labels import normalise
from .french import UnreadableText, format_amount, format_date

PAID, UNPAID = "payée", "à payer"
# [guess] the words of a paid / unpaid status
_PAID_WORDS = re.compile(r"^(?:pay[ée]e?s?|r[ée]gl[ée]e?s?|acquitt[ée]e?s?|sold[ée]e?s?)$", re.I)
_UNPAID_WORDS = re.compile(r"^(?:[àa]\s+payer|non\s+pay[ée]e?|impay[ée]e?|en\s+attente(?:\s+de\s+paiement)?)$", re.I)
REQUIRED = ("number", "label", "issued", "amount", "due", "status")
FIELD_FR = {"number": "numéro", "label": "libellé", "issued": "date d’émission", "amount": "montant",
            "due": "date limite de paiement", "status": "statut", "member": "concerne"}
#: the invoice's columns as the French table heads them (the CSV uses the same words)
COLUMNS_FR = ("N° de facture", "Libellé", "Émise le", "Montant", "À payer avant le", "Statut", "Concerne")
DEFAULT_CONCURRENCY = 4


def parse_status(text: str | None) -> str:
    """« Payée » -> ``payée``, « À payer » -> ``à payer``; anything else raises :class:`UnreadableText`."""
    words = normalise(text).strip(" .")
    if _PAID_WORDS.match(words):
        return PAID
    if _UNPAID_WORDS.match(words):
        return UNPAID
    raise UnreadableText("statut", text)


@dataclass
class DetailFields:
    """What a detail fragment says; an unreadable field is None and listed in ``problems``."""

    number: str | None = None
    label: str | None = None
    issued: date | None = None
    amount: Decimal | None = None
    due: date | None = None
    member: str | None = None
    status: str | None = None
    problems: dict[str, str] = field(default_factory=dict)


@dataclass
class Invoice:
    """One invoice as the portal shows it (the table's row, completed by its detail)."""

    id: str
    number: str | None = None
    label: str | None = None
    issued: date | None = None
    amount: Decimal | None = None
    due: date | None = None
    status: str | None = None
    member: str | None = None
    download_url: str | None = None
    pay_url: str | None = None
    problems: dict[str, str] = field(default_factory=dict)
    pdf: str | None = None

    @property
    def paid(self) -> bool | None:
        return None if self.status is None else self.status == PAID

    def overdue(self, today: date) -> bool:
        """To pay and past its due date on ``today`` (the due date itself is still in time)."""
        return self.status == UNPAID and self.due is not None and self.due < today

    def merge(self, detail: DetailFields) -> None:
        """Take the detail's readings (the [seen] source) over the table's."""
        for name in ("number", "label", "issued", "amount", "due", "member", "status"):
            value = getattr(detail, name)
            if value is None:
                continue
            mine = getattr(self, name)
            if mine is not None and mine != value and name != "label":
                logger.warning("invoice {}: table and detail disagree on {}; the detail is kept", self.id, name)
            if name == "label" and mine:
                continue  # the table's label is the [seen] one; the detail's title may abbreviate it
            setattr(self, name, value)
            self.problems.pop(name, None)
        for name, problem in detail.problems.items():
            if getattr(self, name, None) is None:
                self.problems[name] = problem

    def finish(self) -> "Invoice":
        """Name every required field still missing, so nothing is silently empty."""
        for name in REQUIRED:
            if getattr(self, name) is None and name not in self.problems:
                self.problems[name] = "absent"
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "numero": self.number, "libelle": self.label,
            "date_emission": self.issued.isoformat() if self.issued else None,
            "montant": str(self.amount) if self.amount is not None else None,
            "date_limite": self.due.isoformat() if self.due else None,
            "statut": self.status, "concerne": self.member, "pdf": self.pdf,
            "illisible": {FIELD_FR.get(k, k): v for k, v in self.problems.items()},
        }

    def cells_fr(self, today: date | None = None) -> dict[str, str]:
        """French display values (« illisible » where a field could not be read); given ``today``, an invoice
        past its due date reads « à payer (échue) »."""
        def show(name: str, text: str | None) -> str:
            if text is not None:
                return text
            return "illisible" if name in self.problems and self.problems[name] != "absent" else "—"
        return dict(zip(COLUMNS_FR, (
            show("number", self.number),
            show("label", self.label),
            show("issued", format_date(self.issued) if self.issued else None),
            show("amount", format_amount(self.amount, space=" ") if self.amount is not None else None),
            show("due", format_date(self.due) if self.due else None),
            show("status", f"{self.status} (échue)" if today and self.overdue(today) else self.status),
            self.member or "",
        ), strict=True))


@dataclass
class InvoiceOptions:
    """What ``assistant factures`` was asked."""

    download_dir: Path | None = None
    unpaid_only: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    fast: bool = True


@dataclass
class InvoiceRun:
    """The invoices read, the files written, and every fallback taken (for the output and the tests)."""

    options: InvoiceOptions = field(default_factory=InvoiceOptions)
    invoices: list[Invoice] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    not_downloaded: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    relogins: int = 0

    @property
    def unpaid(self) -> list[Invoice]:
        return [inv for inv in self.invoices if inv.status == UNPAID]

    def report_view(self) -> dict[str, int]:
        """What a run's report says of it: counts only (the invoices themselves are the command's output)."""
        view = {"invoices": len(self.invoices), "unpaid": len(self.unpaid),
                "unreadable_invoices": sum(bool(inv.problems) for inv in self.invoices),
                "fallbacks": len(self.fallbacks)}
        if self.options.download_dir is not None:
            view.update(downloaded=len(self.downloaded), already_there=len(self.already_there),
                        not_downloaded=len(self.not_downloaded))
        return view
