"""« Mon tableau de bord » — GET /{tenant}/espace-citoyens/CompteCitoyen (after login) [seen]."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from ..labels import label
from .base import PortalPage
from .invoices import InvoicesPage

GREETING = re.compile(r"^\s*Bonjour[\s\u00a0]+(?:Madame|Monsieur|Mme|M\.|Mr)\b", re.IGNORECASE)


class DashboardPage(PortalPage):
    """The private dashboard: greeting, family members, tiles (« dalles ») and the menu."""

    PATH = re.compile(r"/espace-citoyens/CompteCitoyen/?$", re.IGNORECASE)
    TITLE = "Mon tableau de bord"

    @property
    def marker(self) -> Locator:
        return self.page.get_by_role("heading", name=label("Mon tableau de bord"))

    @property
    def greeting(self) -> Locator:
        return self.page.get_by_text(GREETING)

    @property
    def members(self) -> Locator:
        # why: family members are links to FichePersonne/DetailPersonne [seen route]; their names vary
        return self.page.locator("a[href*='FichePersonne/DetailPersonne' i]")

    @property
    def invoices_link(self) -> Locator:
        """« Mes factures », as a menu link or a tile (whose name goes on with its description)."""
        exact = self.page.get_by_role("link", name=label("Mes factures"))
        tile = self.page.get_by_role("link", name=label("Mes factures", prefix=True))
        button = self.page.get_by_role("button", name=label("Mes factures"))
        # both placements lead to MonCompte: the first visible one will do
        return exact.or_(tile).or_(button).filter(visible=True).first

    def personal_data(self) -> list[Locator]:
        return [self.greeting, self.members]

    def personal_values(self) -> list[str]:
        values = []
        for text in self.greeting.all_inner_texts():
            name = GREETING.sub("", text).strip(" ,!")
            if name:
                values.append(name)
        values += [" ".join(t.split()) for t in self.members.all_inner_texts() if t.strip()]
        return values

    def open_invoices(self) -> InvoicesPage:
        """Click « Mes factures » (tile or menu); raises PortalChanged if neither is there."""
        self.click(self.invoices_link, "Mes factures")
        return InvoicesPage(self.page, self.settings).wait_until_here()
