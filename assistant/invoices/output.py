"""Invoices for people and programs: a French table, JSON, CSV (French spreadsheet style), and the
one-sentence summary that ends ``assistant factures``.

An unreadable field shows as « illisible » in the table and the CSV (a status as what the page showed:
« statut illisible : « Xyz » »), sits under ``"illisible"`` in JSON (the value itself null) and in the
« Champs illisibles » column of the CSV: it is never printed as an empty value nor as a default.
The summary counts apart what could not be read (« 1 au statut illisible ») and gives no total made
of the amounts it could read when one was not (« total inconnu : 1 montant illisible »).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable
from datetime import date

from .french import format_amount, format_date, format_decimal
from .model import COLUMNS_FR, Invoice, InvoiceRun, due_total, problem_fr

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
    notes = [f"  facture {inv.number or inv.id} : {problem_fr(k, v)}" for inv in invoices for k, v in inv.problems.items()]
    if notes:
        lines += ["", "Champs illisibles :", *notes]
    return "\n".join(lines)


def to_json(invoices: Iterable[Invoice]) -> str:
    return json.dumps([inv.to_json() for inv in invoices], ensure_ascii=False, indent=2)


def _csv_cell(inv: Invoice, name: str, text: str | None) -> str:
    """A CSV cell: the value, « illisible » when the page showed something unreadable, empty when it showed
    nothing (the « Champs illisibles » column names both)."""
    if text is not None:
        return text
    return "illisible" if inv.problems.get(name, "absent") != "absent" else ""


def to_csv(invoices: Iterable[Invoice]) -> bytes:
    """The CSV file's bytes: UTF-8 with a BOM, ``;``-separated, the French table's headers, amounts
    with a decimal comma and no « € » (a number the spreadsheet can add up), dates ``JJ/MM/AAAA``:
    what a French spreadsheet opens as is. A partial payment's status carries what remains to pay."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for inv in invoices:
        writer.writerow([
            _csv_cell(inv, "number", inv.number), _csv_cell(inv, "label", inv.label),
            _csv_cell(inv, "issued", format_date(inv.issued) if inv.issued else None),
            _csv_cell(inv, "amount", format_decimal(inv.amount) if inv.amount is not None else None),
            _csv_cell(inv, "due", format_date(inv.due) if inv.due else None),
            inv.status_fr() or "", inv.member or "", inv.pdf or "",
            " | ".join(problem_fr(k, v) for k, v in inv.problems.items()),
        ])
    return out.getvalue().encode(CSV_ENCODING)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def dues_fr(run: InvoiceRun) -> str:
    """« 2 à payer (1 235,06 €) », « 2 à payer (total inconnu : 1 montant illisible) », « 0 à payer », then what
    is counted apart: « , 1 au statut illisible », « , 1 en prélèvement en cours »."""
    unpaid = run.unpaid
    text = f"{len(unpaid)} à payer"
    if unpaid:
        total = due_total(unpaid)
        text += (f" ({format_amount(total.amount)})" if total.amount is not None else
                 f" (total inconnu : {_count(total.unreadable, 'montant illisible', 'montants illisibles')})")
    if run.unreadable_status:
        text += f", {len(run.unreadable_status)} au statut illisible"
    if run.direct_debit:
        text += f", {len(run.direct_debit)} en prélèvement en cours"
    return text


def summary(run: InvoiceRun) -> str:
    """One French sentence for the end of ``assistant factures``."""
    n = len(run.listed)
    if run.invoices is None:
        text = "Factures non lues."
    elif n == 0:
        text = "Aucune facture à payer." if run.options.unpaid_only else "Aucune facture dans « Mes factures »."
    else:
        text = f"{n} facture(s) lue(s), dont {dues_fr(run)}."
    if run.options.download_dir is not None:
        text += (f" PDF : {len(run.downloaded)} téléchargé(s), {len(run.already_there)} déjà présent(s)"
                 f"{f', {len(run.not_downloaded)} impossible(s)' if run.not_downloaded else ''}"
                 f" dans {run.options.download_dir}.")
    unreadable = sum(bool(inv.problems) for inv in run.listed)
    if unreadable:
        text += f" Attention : {unreadable} facture(s) avec un champ illisible (voir le tableau)."
    return text
