"""Diagnostiquer un compte (read-only, behind ``assistant diagnostic`` and the console).

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Lisez chaque facture (la liste, puis le détail de chacune)
3. Cliquez sur « Adhésion à la facture/compte en ligne »

It reuses the steps of the other journeys: step 1 and step 3 are the adhesion flow's steps 1 and 2
with the status flow's reading (never « MODIFIER »), step 2 is the invoice flow's reading. Step 3
always ends the journey with the family's state (« already_done », « pending », « not_adhered »),
like ``assistant statut``. Facts left for the diagnosis: ``invoices``, ``unpaid``,
``unpaid_total`` (euros, a decimal string), ``next_due`` (ISO date), ``choice_before``.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from assistant.invoices.model import UNPAID
from assistant.pages.invoices import InvoicesPage
from assistant.steps import EndFlow, Flow, Journey, Step

from . import LOGIN
from .adhesion import STEP_1, STEP_2
from .invoices import InvoiceRun, read_invoices
from .status import read_adhesion

READ_INVOICES = "Lisez chaque facture (la liste, puis le détail de chacune)"


def read_dues(journey: Journey, run: InvoiceRun) -> InvoicesPage:
    """Read every invoice (the invoice flow's step 2) and sum up what is left to pay."""
    try:
        page = read_invoices(journey, run)
    except EndFlow:
        # the consult journey ends on its listing; here the listing is one step of a longer journey
        page = InvoicesPage(journey.page, journey.settings)
    unpaid = [inv for inv in run.invoices if inv.status == UNPAID]
    total = sum((inv.amount for inv in unpaid if inv.amount is not None), Decimal("0"))
    dues = sorted(inv.due for inv in unpaid if inv.due is not None)
    journey.facts.update(unpaid_total=str(total), next_due=dues[0].isoformat() if dues else "",
                         unreadable_amounts=sum(inv.amount is None for inv in unpaid))
    journey.current = page
    return page


def diagnostic_flow() -> Flow:
    """The read-only journey of one diagnosis (a fresh invoice reading each time)."""
    run = InvoiceRun()
    return Flow(
        name="diagnostic",
        title="Diagnostiquer un compte",
        login=LOGIN,
        steps=(
            STEP_1,
            Step(2, READ_INVOICES, lambda journey: read_dues(journey, run), InvoicesPage),
            replace(STEP_2, number=3, action=read_adhesion),
        ),
    )
