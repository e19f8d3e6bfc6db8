"""Invoices for people and programs: a French table, JSON, CSV (French spreadsheet style), and the
one-sentence summary that ends ``assistant factures``.

An unreadable field shows as « illisible » in the table, sits under ``"illisible"`` in JSON and
in the ``illisible`` column of the CSV: it is never printed as an empty value.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from .french import format_amount, format_date, format_decimal
from .model import COLUMNS_FR, FIELD_FR, Invoice, InvoiceRun

#: the CSV's header: the French table's column names, then the PDF and the fields that could not be read
CSV_COLUMNS = (*COLUMNS_FR, "PDF", "Champs illisibles")
#: UTF-8 with a byte-order mark: what a spreadsheet (Excel on Windows first) needs to read « é » as « é »
CSV_ENCODING = "utf-8-sig"


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def table(invoices: Iterable[Invoice], today: date | None = None) -> str:
    """A French text table, one line per invoice (those past their due date on ``today`` flagged), then the
    unreadable fields named below it."""
    rows = [inv.cells_fr(today) for inv in invoices]
    if not rows:
        return "Aucune facture."
    headers = list(rows[0])
    if not any(r["Concerne"] for r in rows):
        headers.remove("Concerne")
    widths = {h: max(_width(h), *(_width(r[h]) for r in rows)) for h in headers}
    right = {"Montant"}
    lines = ["  ".join(_pad(h, widths[h], h in right) for h in headers).rstrip(),
             "  ".join("-" * widths[h] for h in headers)]
    lines += ["  ".join(_pad(r[h], widths[h], h in right) for h in headers).rstrip() for r in rows]
    notes = [f"  facture {inv.number or inv.id} : {FIELD_FR.get(k, k)} {v}"
             for inv in invoices for k, v in inv.problems.items()]
    if notes:
        lines += ["", "Champs illisibles :", *notes]
    return "\n".join(lines)


def to_json(invoices: Iterable[Invoice]) -> str:
    return json.dumps([inv.to_json() for inv in invoices], ensure_ascii=False, indent=2)


def to_csv(invoices: Iterable[Invoice]) -> bytes:
    """The CSV file's bytes: UTF-8 with a BOM, ``;``-separated, the French table's headers, amounts
    with a decimal comma and no « € » (a number the spreadsheet can add up), dates ``JJ/MM/AAAA``:
    what a French spreadsheet opens as is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for inv in invoices:
        writer.writerow([
            inv.number or "", inv.label or "",
            format_date(inv.issued) if inv.issued else "",
            format_decimal(inv.amount) if inv.amount is not None else "",
            format_date(inv.due) if inv.due else "",
            inv.status or "", inv.member or "", inv.pdf or "",
            " | ".join(f"{FIELD_FR.get(k, k)} : {v}" for k, v in inv.problems.items()),
        ])
    return out.getvalue().encode(CSV_ENCODING)


def summary(run: InvoiceRun) -> str:
    """One French sentence for the end of ``assistant factures``."""
    n, unpaid = len(run.invoices), run.unpaid
    if n == 0:
        text = "Aucune facture à payer." if run.options.unpaid_only else "Aucune facture dans « Mes factures »."
    else:
        total = sum((inv.amount for inv in unpaid if inv.amount is not None), Decimal("0"))
        text = f"{n} facture(s) lue(s), dont {len(unpaid)} à payer"
        text += f" ({format_amount(total)})." if unpaid else "."
    if run.options.download_dir is not None:
        text += (f" PDF : {len(run.downloaded)} téléchargé(s), {len(run.already_there)} déjà présent(s)"
                 f"{f', {len(run.not_downloaded)} impossible(s)' if run.not_downloaded else ''}"
                 f" dans {run.options.download_dir}.")
    unreadable = sum(bool(inv.problems) for inv in run.invoices)
    if unreadable:
        text += f" Attention : {unreadable} facture(s) avec un champ illisible (voir le tableau)."
    return text
