"""« Mes démarches » — GET /{tenant}/espace-citoyens/CompteCitoyen/MesDemandes [seen route].

Known by its public address; its title (« Mes démarches » as a heading) and its table's columns
are [guess]: the columns are read by their header's words, never by position.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from ..labels import label, same
from .base import PortalPage
from .clues import Clue

# [guess] column headers as a person reads them -> the key of the row's dict
COLUMNS = (
    (re.compile(r"N°|num[ée]ro", re.I), "number"),
    (re.compile(r"d[ée]marche|objet|libell[ée]|demande", re.I), "label"),
    (re.compile(r"date", re.I), "date"),
    (re.compile(r"statut|[ée]tat", re.I), "status"),
)


class RequestsPage(PortalPage):
    """The family's submitted requests (number, démarche, date, status)."""

    PATH = re.compile(r"/espace-citoyens/CompteCitoyen/MesDemandes/?$", re.IGNORECASE)  # [seen]
    TITLE = "Mes démarches"
    HINTS = (
        Clue("guess", "le titre « Mes démarches »", lambda p: p.page.get_by_role("heading", name=label("Mes démarches"))),
    )

    @classmethod
    def open(cls, page: Page, settings) -> "RequestsPage":
        self = cls(page, settings)
        self.goto("CompteCitoyen/MesDemandes")
        return self.wait_until_here()

    @property
    def table(self) -> Locator:
        # [guess] the requests as a table (in <main> if there is one)
        return self.page.get_by_role("main").get_by_role("table").or_(self.page.get_by_role("table")).first

    def requests(self) -> list[dict[str, str]]:
        """One dict per request, keys from the column headers (number, label, date, status)."""
        if self.page.get_by_role("table").count() == 0:
            return []
        headers = [" ".join(h.split()) for h in self.table.get_by_role("columnheader").all_inner_texts()]
        keys = []
        for header in headers:
            key = next((k for pattern, k in COLUMNS if pattern.search(header)), header)
            keys.append(key if key not in keys else header)
        rows = []
        for row in self.table.get_by_role("row").filter(has=self.page.get_by_role("cell")).all():
            cells = [" ".join(c.split()) for c in row.get_by_role("cell").all_inner_texts()]
            rows.append(dict(zip(keys, cells)))
        return rows

    def find(self, number: str) -> dict[str, str] | None:
        return next((r for r in self.requests() if same(r.get("number"), number)), None)
