"""The invoices table of « Mes factures » (``/MonCompte``), read into :class:`Invoice` (the domain's).

One ``<tr class="compte" id="{IdFactureUnique}">`` per invoice; its first ``.ligneCompte`` cell is
the label and ``.numero_facture`` the number [seen]. The other columns (issue date, amount, due
date, family member, status, « Télécharger » / « Payer » links) are not public [guess]: they are
found by their column header's French words, never by position, and each is optional here
because the detail fragment (:mod:`.invoice_detail`) carries the [seen] fields too.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator

from ..invoices.french import UnreadableText, parse_amount, parse_date
from ..invoices.model import Invoice, read_status
from ..labels import fold, label
from .clues import Clue
from .controls import control
from .invoice_detail import InvoiceDetailPanel
from .part import Part

# [seen] the PDF route; [guess] the links' words
_PDF_ROUTE = re.compile(r"TelechargerPdfFacture", re.IGNORECASE)
_DOWNLOAD = label("Télécharger", loose=True)
_PAY = label("Payer", loose=True)
# [guess] what a « Reste à payer » cell shows when nothing remains to tell (a paid invoice)
_NOTHING_LEFT = {None, "-", "–", "—", "/"}
# [guess] column header words (accents and case folded), first match wins: "date limite" before "date",
# « Reste à payer » / « Montant restant » before « Montant »
HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("remaining", re.compile(r"\breste\b|restant|^solde\b")),
    ("due", re.compile(r"limite|echeance|avant le")),
    ("issued", re.compile(r"emission|emise|date (?:de (?:la )?)?facture|^date$")),
    ("amount", re.compile(r"montant|total|somme")),
    ("number", re.compile(r"^n\s*[°o]|numero|reference")),
    ("label", re.compile(r"libelle|designation|prestation|objet")),
    ("member", re.compile(r"concerne|enfant|beneficiaire|personne|membre")),
    ("status", re.compile(r"statut|etat")),
)

# One round trip for the whole table: headers, and per row its id, cells, [seen] cells and links. A cell
# without text says what its image or icon says (alt, aria-label, title): a status may be an icon [guess];
# ``icons`` keeps, per cell, the words of its icons (elements without text of their own) for the status,
# whose icon may sit beside a sentence (« Reste à payer : … » after an icon saying « Partiellement réglée »).
_READ_ROWS_JS = """rows => {
  const iconWords = c => Array.from(c.querySelectorAll('img[alt], [aria-label], [title]'))
    .filter(e => !e.matches('input, select, textarea, button, a') && !(e.textContent || '').trim())
    .map(e => e.getAttribute('alt') || e.getAttribute('aria-label') || e.getAttribute('title'))
    .filter(t => t && t.trim()).join(' ');
  const said = c => c.innerText.trim() ? c.innerText : iconWords(c);
  const table = rows.length ? rows[0].closest('table') : null;
  const head = table ? Array.from(table.querySelectorAll('thead th, thead td')).map(h => h.innerText) : [];
  return {head, rows: rows.map(r => ({
    id: r.id,
    cells: Array.from(r.cells).map(said),
    icons: Array.from(r.cells).map(iconWords),
    number: r.querySelector('.numero_facture') ? r.querySelector('.numero_facture').innerText : null,
    label: r.querySelector('.ligneCompte') ? r.querySelector('.ligneCompte').innerText : null,
    links: Array.from(r.querySelectorAll('a[href]')).map(a => [a.innerText, a.href]),
  }))};
}"""


def _clean(text: str | None) -> str | None:
    """The portal's words as shown (spaces collapsed, apostrophes kept), None when empty."""
    return " ".join(text.split()) or None if text is not None else None


def header_fields(headers: list[str]) -> dict[str, int]:
    """Column index of each field the headers name (unknown headers are ignored)."""
    found: dict[str, int] = {}
    for index, text in enumerate(headers):
        folded = fold(text)
        for name, pattern in HEADERS:
            if name not in found and pattern.search(folded):
                found[name] = index
                break
    return found


def invoice_from_row(row: dict[str, Any], columns: dict[str, int]) -> Invoice:
    """An :class:`Invoice` from one row read by :data:`_READ_ROWS_JS`."""
    cells: list[str] = row.get("cells") or []

    icons: list[str] = row.get("icons") or []

    def cell(name: str) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        if name == "status" and index < len(icons) and icons[index] and icons[index] != cells[index]:
            return f"{icons[index]} {cells[index]}"  # the icon's word, then what is written beside it
        return cells[index]

    inv = Invoice(id=row.get("id") or "")
    inv.number = _clean(row.get("number") if row.get("number") is not None else cell("number"))
    inv.label = _clean(row.get("label") if row.get("label") is not None else cell("label"))
    inv.member = _clean(cell("member"))
    for name, parse in (("issued", parse_date), ("amount", parse_amount), ("due", parse_date),
                        ("remaining", parse_amount), ("status", read_status)):
        raw = cell(name)
        if raw is None or (name == "remaining" and _clean(raw) in _NOTHING_LEFT):
            continue  # no such column (the detail may say it, else finish() names it), or no remainder shown
        try:
            value = parse(raw)
        except UnreadableText as exc:
            inv.problems[name] = str(exc)  # what the page showed, quoted: never a default in its place
            continue
        if name == "status":
            inv.take_status(value)
        else:
            setattr(inv, name, value)
    for text, href in row.get("links") or []:
        # the PDF route is public [seen]; the links' words are not [guess]
        if not inv.download_url and (_PDF_ROUTE.search(href) or _DOWNLOAD.search(text)):
            inv.download_url = href
        elif not inv.pay_url and _PAY.search(text):
            inv.pay_url = href
    return inv


class InvoiceTable(Part):
    """The table of « Mes factures » (a part of that page, read in one round trip)."""

    TITLE = "Mes factures"
    PROOFS = (Clue("seen", "les lignes de factures (tr.compte)", lambda p: p.rows),)

    @property
    def rows(self) -> Locator:
        # why: `tr.compte` is the portal's invoice row [seen]; a row has no accessible name
        return self.page.locator("tr.compte")

    def read(self) -> list[Invoice]:
        """Every invoice of the table (none when the family has none)."""
        # a long table may still be parsing when the heading shows: read it once the document is complete
        self.page.wait_for_load_state("domcontentloaded")
        data = self.rows.evaluate_all(_READ_ROWS_JS)
        columns = header_fields(data["head"])
        return [invoice_from_row(row, columns) for row in data["rows"]]

    def row(self, invoice_id: str) -> Locator:
        # why: the row's id is the portal's IdFactureUnique [seen]
        return self.page.locator(f"tr.compte[id='{invoice_id}']")

    def open_detail(self, invoice: Invoice) -> InvoiceDetailPanel:
        """Click the invoice's row (not a link in it) and wait for its detail to show."""
        row = self.row(invoice.id)
        # why: the portal loads the detail on a click anywhere on the row but its links [seen: JS]
        self.click(row.locator("td").first, f"facture {invoice.number or invoice.id}")
        return InvoiceDetailPanel(self.page, self.settings).wait_for_number(invoice.number or "")

    def download_link(self, invoice_id: str) -> Locator:
        """The row's PDF link: to the public PDF route [seen], or named « Télécharger » [guess]."""
        row = self.row(invoice_id)
        # why: the PDF route is public [seen]; the link's words and element are not
        return row.locator("a[href*='TelechargerPdfFacture' i]").or_(control(row, "Télécharger")).first

    def pay_link(self, invoice_id: str) -> Locator:
        """The row's « Payer » control [guess: the seed only says invoices can be paid online].

        Within one invoice's row, any link or button whose name holds the word « Payer » is it
        (« Payer », « Payer en ligne », an icon « Payer la facture »): the row leaves no doubt.
        """
        row, name = self.row(invoice_id), _PAY
        return row.get_by_role("link", name=name).or_(row.get_by_role("button", name=name)).filter(visible=True).first

    def personal_data(self) -> list[Locator]:
        return [self.rows]
