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
    (re.compile(r"date|d[ée]pos[ée]e?\s+le|envoy[ée]e?\s+le", re.I), "date"),
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

    def requests(self) -> list[dict[str, str | None]]:
        """One dict per request, keys from the column headers (number, label, date, status), in one look.

        A cell that shows nothing is None, and so is a number without a digit (« — », « en cours
        d’attribution »): a request's number is read from the page or not at all.
        """
        if self.page.get_by_role("table").count() == 0:
            return []
        headers, rows = self.table.evaluate(_ROWS_JS)
        keys: list[str] = []
        for header in headers:
            key = next((k for pattern, k in COLUMNS if pattern.search(header)), header)
            keys.append(key if key not in keys else header)
        found = []
        for cells in rows:
            row: dict[str, str | None] = {k: (c or None) for k, c in zip(keys, cells)}
            if row.get("number") is not None and not re.search(r"\d", row["number"] or ""):
                row["number"] = None
            found.append(row)
        return found

    def find(self, number: str) -> dict[str, str | None] | None:
        return next((r for r in self.requests() if same(r.get("number"), number)), None)


# The table's column headers and its rows' cells (header rows left out), text collapsed; a native
# table or an ARIA one (role=row / columnheader / cell).
_ROWS_JS = """t => {
  const clean = e => (e.innerText || e.textContent || '').replace(/\\s+/g, ' ').trim();
  const rows = t.rows ? Array.from(t.rows) : Array.from(t.querySelectorAll('[role=row]'));
  const cellsOf = r => r.cells ? Array.from(r.cells)
    : Array.from(r.querySelectorAll('[role=columnheader], [role=rowheader], [role=cell], [role=gridcell]'));
  const heading = c => c.getAttribute('role') === 'columnheader' || (c.tagName === 'TH' && c.getAttribute('scope') !== 'row');
  const head = rows.find(r => cellsOf(r).length && cellsOf(r).every(heading)) || null;
  const headers = head ? cellsOf(head).map(clean) : [];
  const body = rows.filter(r => r !== head && cellsOf(r).some(c => !heading(c)));
  return [headers, body.map(r => cellsOf(r).map(clean))];
}"""
