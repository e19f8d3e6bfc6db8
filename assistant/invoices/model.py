"""An invoice as the portal shows it, what its detail says, and the record of one invoices run.

Pages read the portal into these types; flows and output use them. Nothing here knows a page.
A field that could not be read is None and named in ``problems`` with what the portal showed:
it is reported, never silently empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from loguru import logger

from .french import format_amount, format_date
from .statuses import DIRECT_DEBIT, PAID, PARTLY_PAID, TO_PAY, UNPAID, ReadStatus, parse_status, read_status

__all__ = ["DIRECT_DEBIT", "PAID", "PARTLY_PAID", "TO_PAY", "UNPAID", "DetailFields", "Invoice", "InvoiceOptions",
           "InvoiceRun", "ReadStatus", "parse_status", "read_status"]

REQUIRED = ("number", "label", "issued", "amount", "due", "status")
FIELD_FR = {"number": "numéro", "label": "libellé", "issued": "date d’émission", "amount": "montant",
            "due": "date limite de paiement", "status": "statut", "member": "concerne", "remaining": "reste à payer"}
#: the invoice's columns as the French table heads them (the CSV uses the same words)
COLUMNS_FR = ("N° de facture", "Libellé", "Émise le", "Montant", "À payer avant le", "Statut", "Concerne")
DEFAULT_CONCURRENCY = 4


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
    remaining: Decimal | None = None
    problems: dict[str, str] = field(default_factory=dict)


def problem_fr(name: str, problem: str) -> str:
    """A field's problem as one French phrase naming the field once: « montant illisible : « NC » »,
    « date d’émission : date illisible : « 31/02/2026 » », « montant absent »."""
    what = FIELD_FR.get(name, name)
    if problem.startswith(what):
        return problem
    return f"{what} {problem}" if problem.startswith("absent") else f"{what} : {problem}"


def _kind(status: str) -> str:
    """What a status means for the family: to pay (in full or in part), paid, or being debited."""
    return "to pay" if status in TO_PAY else status


def _merged_problem(mine: str | None, theirs: str) -> str:
    """The table's problem with the detail's beside it when the detail quotes something else."""
    if mine is None or mine == theirs:
        return theirs
    return mine if theirs.startswith("absent") else f"{mine} ; dans le détail : {theirs}"


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
    #: what is left to pay of a partly paid invoice, when the portal shows it
    remaining: Decimal | None = None

    @property
    def paid(self) -> bool | None:
        """Paid (True), not paid (False: to pay, or being debited), or unknown (None: status unreadable)."""
        return None if self.status is None else self.status == PAID

    @property
    def to_pay(self) -> bool | None:
        """For the family to pay (the whole amount or its remainder), or not, or unknown (None)."""
        return None if self.status is None else self.status in TO_PAY

    @property
    def amount_due(self) -> Decimal | None:
        """What the family still owes on an invoice to pay: the remainder of a partial payment, else its
        amount; None when that amount could not be read (or when nothing is to pay)."""
        if not self.to_pay:
            return None
        if self.remaining is not None:
            return self.remaining
        return self.amount if self.status == UNPAID else None

    def overdue(self, today: date) -> bool:
        """To pay and past its due date on ``today`` (the due date itself is still in time)."""
        return self.to_pay is True and self.due is not None and self.due < today

    def take_status(self, read: ReadStatus) -> None:
        """Keep a status as read (its remaining amount too, or the problem of reading it)."""
        self.status = read.status
        if read.remaining is not None:
            self.remaining = read.remaining
        elif read.remaining_problem:
            self.problems.setdefault("remaining", read.remaining_problem)

    def merge(self, detail: DetailFields) -> None:
        """Take the detail's readings (the [seen] source) over the table's; a status the two read differently
        (paid in one, to pay in the other) is unreadable: neither is a public fact, and no answer beats a wrong one."""
        skip = set()
        if detail.status is not None and self.status is not None and _kind(detail.status) != _kind(self.status):
            logger.warning("invoice {}: table and detail disagree on its status", self.id)
            self.problems["status"] = (f"statut contradictoire : « {self.status} » dans le tableau, "
                                       f"« {detail.status} » dans le détail")
            self.status, skip = None, {"status"}
        elif self.status == PARTLY_PAID and detail.status == UNPAID:
            skip = {"status"}  # the detail's plainer « à payer » agrees; the table says how much was paid already
        for name in ("number", "label", "issued", "amount", "due", "member", "status", "remaining"):
            value = getattr(detail, name)
            if value is None or name in skip:
                continue
            mine = getattr(self, name)
            if mine is not None and mine != value and name != "label":
                logger.warning("invoice {}: table and detail disagree on {}; the detail is kept", self.id, name)
            if name == "label" and mine:
                continue  # the table's label is the [seen] one; the detail's title may abbreviate it
            setattr(self, name, value)
            self.problems.pop(name, None)
        for name, problem in detail.problems.items():
            if name not in skip and getattr(self, name, None) is None:
                self.problems[name] = _merged_problem(self.problems.get(name), problem)

    def finish(self) -> "Invoice":
        """Name every required field still missing, so nothing is silently empty."""
        for name in REQUIRED:
            if getattr(self, name) is None and name not in self.problems:
                self.problems[name] = "absent"
        if self.status == PARTLY_PAID and self.remaining is None and "remaining" not in self.problems:
            self.problems["remaining"] = "absent"
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "numero": self.number, "libelle": self.label,
            "date_emission": self.issued.isoformat() if self.issued else None,
            "montant": str(self.amount) if self.amount is not None else None,
            "date_limite": self.due.isoformat() if self.due else None,
            "statut": self.status, "reste_a_payer": str(self.remaining) if self.remaining is not None else None,
            "concerne": self.member, "pdf": self.pdf,
            "illisible": {FIELD_FR.get(k, k): v for k, v in self.problems.items()},
        }

    def status_fr(self, today: date | None = None) -> str | None:
        """The status as the French outputs say it: a partial payment with what remains (« partiellement payée,
        reste 12,00 € »), « (échue) » once past its due date on ``today``, what the page showed when unreadable."""
        if self.status is None:
            problem = self.problems.get("status")
            return problem if problem and problem != "absent" else None
        text = self.status
        if self.status == PARTLY_PAID:
            left = (format_amount(self.remaining, space=" ") if self.remaining is not None else
                    "illisible" if self.problems.get("remaining", "absent") != "absent" else "non affiché")
            text += f", reste {left}"
        return f"{text} (échue)" if today and self.overdue(today) else text

    def cells_fr(self, today: date | None = None) -> dict[str, str]:
        """French display values (« illisible » where a field could not be read, what the page showed for a
        status); given ``today``, an invoice past its due date reads « à payer (échue) »."""
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
            show("status", self.status_fr(today)),
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
class DueTotal:
    """What the invoices to pay add up to: ``amount`` None when one of their amounts could not be read
    (``unreadable`` of them): a partial sum is never given as the total."""

    amount: Decimal | None
    unreadable: int = 0


def due_total(invoices: list[Invoice]) -> DueTotal:
    """The total the family owes on ``invoices`` (those to pay among them)."""
    dues = [inv.amount_due for inv in invoices if inv.to_pay]
    unreadable = sum(due is None for due in dues)
    return DueTotal(None, unreadable) if unreadable else DueTotal(sum(dues, Decimal("0")))


@dataclass
class InvoiceRun:
    """The invoices read, the files written, and every fallback taken (for the output and the tests).

    ``invoices`` is None until « Mes factures » was read: then nothing is known of them (never « 0 »)."""

    options: InvoiceOptions = field(default_factory=InvoiceOptions)
    invoices: list[Invoice] | None = None
    downloaded: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    not_downloaded: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    relogins: int = 0
    #: a value on the page did not read: the runner keeps the page's HTML in the report (once)
    keep_page: bool = False

    @property
    def listed(self) -> list[Invoice]:
        """The invoices read (none when they were not read: see ``invoices is None``)."""
        return self.invoices or []

    @property
    def unpaid(self) -> list[Invoice]:
        """The invoices the family has to pay (in full or the rest of a partial payment)."""
        return [inv for inv in self.listed if inv.to_pay]

    @property
    def unreadable_status(self) -> list[Invoice]:
        """The invoices whose status could not be read: neither to pay nor paid, counted apart."""
        return [inv for inv in self.listed if inv.status is None]

    @property
    def direct_debit(self) -> list[Invoice]:
        """The invoices being debited from the family's account: neither to pay by the family nor paid yet."""
        return [inv for inv in self.listed if inv.status == DIRECT_DEBIT]

    def report_view(self) -> dict[str, int | str | None]:
        """What a run's report says of it: counts only (the invoices themselves are the command's output);
        None for what was not read (the invoices never listed, a total with an unreadable amount)."""
        if self.invoices is None:
            return {"invoices": None, "unpaid": None}
        total = due_total(self.unpaid)
        view: dict[str, int | str | None] = {
            "invoices": len(self.invoices), "unpaid": len(self.unpaid),
            "unpaid_total": None if total.amount is None else str(total.amount)}
        extra = {"unreadable_amounts": total.unreadable, "unreadable_status": len(self.unreadable_status),
                 "direct_debit": len(self.direct_debit)}
        view.update({k: v for k, v in extra.items() if v})
        view.update(unreadable_invoices=sum(bool(inv.problems) for inv in self.invoices), fallbacks=len(self.fallbacks))
        if self.options.download_dir is not None:
            view.update(downloaded=len(self.downloaded), already_there=len(self.already_there),
                        not_downloaded=len(self.not_downloaded))
        return view
