"""``assistant factures --csv``: a file a French spreadsheet opens as is (UTF-8 with BOM, ``;``,
the French table's headers, amounts with a decimal comma)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from assistant.invoices.model import COLUMNS_FR, Invoice
from assistant.invoices.output import table, to_csv

HEADERS = ["N° de facture", "Libellé", "Émise le", "Montant", "À payer avant le", "Statut", "Concerne", "PDF",
           "Champs illisibles"]
CANTINE = Invoice(id="1", number="260101", label="Cantine - janvier", issued=date(2026, 1, 31),
                  amount=Decimal("8.28"), due=date(2026, 2, 28), status="à payer", member="Inès MARTIN")


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_starts_with_the_utf8_bom_and_the_french_headers():
    data = to_csv([CANTINE])
    assert data[:3] == b"\xef\xbb\xbf"
    assert rows(data) == [HEADERS, ["260101", "Cantine - janvier", "31/01/2026", "8,28", "28/02/2026", "à payer",
                                    "Inès MARTIN", "", ""]]


def test_csv_headers_are_the_tables():
    assert HEADERS[:7] == list(COLUMNS_FR)
    assert table([CANTINE]).splitlines()[0].split("  ")[0] == "N° de facture"


def test_an_empty_list_still_has_its_header_row():
    assert rows(to_csv([])) == [HEADERS]


def test_cli_writes_the_csv_file_before_a_spreadsheet_opens_it(run_assistant, tmp_path):
    out = tmp_path / "factures.csv"
    done = run_assistant("factures", "--replica", "--account", "famille.martin", "--report-dir", str(tmp_path / "r"),
                         "--a-payer", "--csv", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and f"Factures écrites dans {out}." in done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfN\xc2\xb0 de facture;Libell\xc3\xa9;")
    got = rows(data)
    assert got[0] == HEADERS
    assert [(r[0], r[3]) for r in got[1:]] == [("260103", "1234,56"), ("260102", "0,50")]


def test_cli_refuses_a_csv_file_it_cannot_write_before_the_run(run_assistant, tmp_path):
    done = run_assistant("factures", "--replica", "--csv", str(tmp_path / "absent" / "f.csv"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Fichier CSV" in done.stderr and "dossier existant" in done.stderr
    assert not (tmp_path / "reports").exists()
