"""« Mon tableau de bord » — GET /{tenant}/espace-citoyens/CompteCitoyen, after login [seen].

Recognised by what public sources show of it [seen]: its address (a successful login redirects
there), the greeting « Bonjour Madame NOM », the name « Mon tableau de bord », or the way out
(``Home/LogOff``). Whether its title is a heading, and where « Mes factures » sits (tile, menu,
both; with a count badge or a description in its name) is not public [guess]: « Mes factures »
is found by its words alone [seed].
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from ..labels import label
from .base import PortalPage
from .clues import Clue
from .invoices import InvoicesPage

# [seen] « Bonjour Madame NOM » / « Bonjour Monsieur NOM »
GREETING = re.compile(r"^\s*Bonjour[\s\u00a0]+(?:Madame|Monsieur|Mme|M\.|Mr)\b", re.IGNORECASE)
INVOICES = "Mes factures"


class DashboardPage(PortalPage):
    """The private dashboard: greeting, family members, tiles (« dalles ») and the menu."""

    PATH = re.compile(r"/espace-citoyens/CompteCitoyen/?$", re.IGNORECASE)  # [seen]
    TITLE = "Mon tableau de bord"
    PROOFS = (
        Clue("seen", "la salutation « Bonjour Madame / Monsieur … »", lambda p: p.greeting),
        Clue("seen", "« Mon tableau de bord »", lambda p: p.page.get_by_text(label("Mon tableau de bord"))),
        # why: the log-off route is public [seen]; its link's words are not
        Clue("seen", "le lien de déconnexion (Home/LogOff)", lambda p: p.page.locator("a[href*='Home/LogOff' i]")),
    )
    HINTS = (
        Clue("guess", "le titre « Mon tableau de bord »",
             lambda p: p.page.get_by_role("heading", name=label("Mon tableau de bord"))),
    )

    @property
    def greeting(self) -> Locator:
        return self.page.get_by_text(GREETING)  # [seen]

    @property
    def members(self) -> Locator:
        # why: family members are links to FichePersonne/DetailPersonne [seen route]; their names vary
        return self.page.locator("a[href*='FichePersonne/DetailPersonne' i]")

    @property
    def invoices_link(self) -> Locator:
        """« Mes factures » [seed], as a menu link, a tile or a button; waits for it."""
        return self.control(INVOICES)

    def personal_data(self) -> list[Locator]:
        return [self.greeting, self.members]

    def personal_values(self) -> list[str]:
        """The names the greeting and the family members' links show (one look at the page)."""
        texts = self.greeting.or_(self.members).all_inner_texts()
        values = []
        for text in texts:
            text = " ".join(text.split())
            name = GREETING.sub("", text).strip(" ,!") if GREETING.match(text) else text
            if name:
                values.append(name)
        return values

    def open_invoices(self) -> InvoicesPage:
        """Click « Mes factures » (tile or menu); raises PortalChanged naming what is there instead."""
        self.click(INVOICES)
        return InvoicesPage(self.page, self.settings).wait_until_here()
