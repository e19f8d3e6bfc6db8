"""Diagnostiquer un compte (read-only, behind ``assistant diagnostic`` and the console).

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Lisez chaque facture (la liste, puis le détail de chacune)
3. Cliquez sur « Adhésion à la facture/compte en ligne »

It reuses the steps of the other journeys: step 1 and step 3 are the adhesion flow's steps 1 and 2
with the status flow's reading (never « MODIFIER »), step 2 is the invoice flow's reading. Step 3
always ends the journey with the family's state (« already_done », « pending », « not_adhered »),
like ``assistant statut``, or « unreadable » (exit 8) when the page shows a state that does not read: the
invoices read at step 2 stay in the diagnosis. What the diagnosis reads: :class:`DiagnosticResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from assistant.invoices.model import InvoiceRun, due_total
from assistant.pages.invoices import InvoicesPage
from assistant.steps import EndFlow, Flow

from .adhesion import STEP_1, STEP_2
from .invoices import READ_ALL, back_to_list, read_invoices
from .login import LOGIN
from .status import end_with_state


@dataclass
class DiagnosticResult(InvoiceRun):
    """The invoices read, what is left to pay, and the online invoicing's state. What was not read stays
    None: ``invoices`` never listed, ``unpaid_total`` with an amount to pay unreadable (``unreadable_amounts``
    of them), ``next_due`` with a due date to pay unreadable (``unreadable_dues``), ``choice_before``."""

    choice_before: str | None = None
    unpaid_total: Decimal | None = None
    next_due: date | None = None
    unreadable_amounts: int = 0
    unreadable_dues: int = 0

    def report_view(self) -> dict[str, str | int | None]:
        view = super().report_view()
        if self.invoices is not None or self.unpaid_total is not None:
            view["unpaid_total"] = None if self.unpaid_total is None else str(self.unpaid_total)
        view.update({k: v for k, v in {"unreadable_amounts": self.unreadable_amounts,
                                       "unreadable_dues": self.unreadable_dues, "choice_before": self.choice_before,
                                       "next_due": self.next_due.isoformat() if self.next_due else None}.items() if v})
        return view


def read_dues(page: InvoicesPage, result: DiagnosticResult) -> None:
    """Read every invoice (the invoice flow's step 2) and sum up what is left to pay: no total when one of
    the amounts to pay does not read, no « first due date » when one of their due dates does not."""
    try:
        read_invoices(page, result)
    except EndFlow:
        pass  # the consult journey ends on its listing; here the listing is one step of a longer journey
    total = due_total(result.unpaid)
    result.unpaid_total, result.unreadable_amounts = total.amount, total.unreadable
    result.unreadable_dues = sum(inv.due is None for inv in result.unpaid)
    dues = sorted(inv.due for inv in result.unpaid if inv.due is not None)
    result.next_due = dues[0] if dues and not result.unreadable_dues else None
    back_to_list(page, result)  # the adhesion's link is on « Mes factures »


FLOW = Flow(
    name="diagnostic",
    title="Diagnostiquer un compte",
    login=LOGIN,
    steps=(STEP_1, replace(READ_ALL, read=read_dues), replace(STEP_2, number=3, read=end_with_state)),
    result=DiagnosticResult,
)
