"""« Mes factures » — GET /{tenant}/espace-citoyens/MonCompte [seen], with the adhesion link [seed]."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from ..labels import label
from .adhesion import AdhesionPage
from .base import PortalPage
from .invoice_table import InvoiceTable


class InvoicesPage(PortalPage):
    """The invoices / account page: the way to « Adhésion à la facture/compte en ligne »."""

    PATH = re.compile(r"/espace-citoyens/MonCompte/?$", re.IGNORECASE)
    TITLE = "Mes factures"

    @classmethod
    def open(cls, page: Page, settings) -> "InvoicesPage":
        """Go straight to ``MonCompte`` (e.g. in a second tab) and wait for it."""
        self = cls(page, settings)
        self.goto("MonCompte")
        return self.wait_until_here()

    @property
    def marker(self) -> Locator:
        return self.page.get_by_role("heading", name=label("Mes factures"))

    @property
    def adhesion_link(self) -> Locator:
        return self.page.get_by_role("link", name=label("Adhésion à la facture/compte en ligne"))

    @property
    def invoice_rows(self) -> Locator:
        # why: one `tr.compte` per invoice [seen]; rows of any table as the fallback
        return self.page.locator("tr.compte").or_(self.page.get_by_role("table").get_by_role("row"))

    @property
    def table(self) -> InvoiceTable:
        """The invoices themselves: rows, details, « Télécharger » / « Payer » (see :mod:`.invoice_table`)."""
        return InvoiceTable(self.page, self.settings)

    def personal_data(self) -> list[Locator]:
        return [self.invoice_rows]

    def open_adhesion(self) -> AdhesionPage:
        """Click « Adhésion à la facture/compte en ligne »; return the wizard's first step."""
        self.click(self.adhesion_link, "Adhésion à la facture/compte en ligne")
        return AdhesionPage(self.page, self.settings).wait_until_here()
