"""« Mes factures » — GET /{tenant}/espace-citoyens/MonCompte [seen], with the adhesion link [seed].

Recognised by the help page's link « Adhésion à la facture/compte en ligne » [seed], the invoice
rows ``tr.compte`` or a PDF link to ``MonCompte/TelechargerPdfFacture`` [seen], or, failing
those, its public address. Its title (« Mes factures » as a heading) is a [guess].
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from ..invoices.model import Invoice
from ..labels import label
from .adhesion import AdhesionPage
from .base import PortalPage
from .clues import Clue
from .controls import control
from .invoice_table import InvoiceTable
from .payfip import PayfipPage

ADHESION = "Adhésion à la facture/compte en ligne"


class InvoicesPage(PortalPage):
    """The invoices / account page: the way to « Adhésion à la facture/compte en ligne »."""

    PATH = re.compile(r"/espace-citoyens/MonCompte/?$", re.IGNORECASE)  # [seen]
    TITLE = "Mes factures"
    PROOFS = (
        Clue("seed", f"« {ADHESION} »", lambda p: control(p.page, ADHESION), words=ADHESION),
        # why: `tr.compte` rows and the PDF route are what public code reads on this page [seen]
        Clue("seen", "les lignes de factures (tr.compte)", lambda p: p.page.locator("tr.compte")),
        Clue("seen", "un lien TelechargerPdfFacture", lambda p: p.page.locator("a[href*='TelechargerPdfFacture' i]")),
    )
    HINTS = (
        Clue("guess", "le titre « Mes factures »", lambda p: p.page.get_by_role("heading", name=label("Mes factures"))),
    )

    @classmethod
    def open(cls, page: Page, settings) -> "InvoicesPage":
        """Go straight to ``MonCompte`` (e.g. in a second tab) and wait for it."""
        self = cls(page, settings)
        self.goto("MonCompte")
        return self.wait_until_here()

    @property
    def adhesion_link(self) -> Locator:
        """« Adhésion à la facture/compte en ligne » [seed], whatever its element; waits for it."""
        return self.control(ADHESION)

    @property
    def invoice_rows(self) -> Locator:
        # why: one `tr.compte` per invoice [seen]; rows of any table as the fallback [guess]
        return self.page.locator("tr.compte").or_(self.page.get_by_role("table").get_by_role("row"))

    @property
    def table(self) -> InvoiceTable:
        """The invoices themselves: rows, details, « Télécharger » / « Payer » (see :mod:`.invoice_table`)."""
        return InvoiceTable(self.page, self.settings)

    def personal_data(self) -> list[Locator]:
        return [self.invoice_rows]

    def list_invoices(self) -> "InvoicesPage":
        """The list of invoices as « Mes factures » shows it (its rows and details are read by the flow)."""
        return self.wait_until_here()

    def pay(self, invoice: Invoice) -> PayfipPage:
        """Click « Payer » in ``invoice``'s row; return the payment provider's page."""
        table = self.table
        table.click(table.pay_link(invoice.id), f"Payer ({invoice.number})")
        return PayfipPage(self.page, self.settings).wait_until_here()

    def open_adhesion(self) -> AdhesionPage:
        """Click « Adhésion à la facture/compte en ligne »; return the wizard's first step.

        A public commune guide calls the adhesion an « onglet » [seen]: the click may open a tab of
        this page (no navigation) whose panel holds the question; the adhesion is then recognised
        by its proofs in the panel, and known to have no address of its own (``in_place``).
        """
        before = self.page.url.split("#", 1)[0]
        self.click(ADHESION)
        adhesion = AdhesionPage(self.page, self.settings).wait_until_here()
        adhesion.in_place = self.page.url.split("#", 1)[0] == before
        return adhesion
