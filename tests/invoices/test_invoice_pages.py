"""Reading « Mes factures » and the invoice detail: every field, odd formats, unreadable cells reported."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.config import Settings, Timeouts
from assistant.invoices.model import PAID, UNPAID, DetailFields, Invoice, parse_status
from assistant.invoices.output import table, to_csv, to_json
from assistant.pages.invoice_detail import parse_detail_html
from assistant.pages.invoice_table import InvoiceTable, header_fields

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "invoices"


@pytest.fixture
def formats_table(page):
    """The « formats » recording of « Mes factures », read by the page object."""
    page.set_content((FIXTURES / "mon_compte_formats.html").read_text(encoding="utf-8"))
    settings = Settings(base_url="http://127.0.0.1:9/grandperigueux/espace-citoyens/", timeouts=Timeouts.for_replica())
    return {inv.id: inv for inv in InvoiceTable(page, settings).read()}


def test_every_column_is_read_by_its_french_header(formats_table):
    inv = formats_table["900001"]
    assert (inv.number, inv.label, inv.member) == ("260901", "Accueil périscolaire - septembre 2026", "Léo MARTIN")
    assert (inv.issued, inv.due) == (date(2026, 9, 30), date(2026, 11, 1))
    assert inv.amount == Decimal("1234.56")
    assert inv.status == UNPAID and inv.paid is False
    assert inv.download_url.endswith("TelechargerPdfFacture?IdFactureUnique=900001")
    assert inv.pay_url.endswith("PayerFacture?IdFactureUnique=900001")
    assert inv.problems == {}


def test_credit_note_whole_euros_and_other_status_words(formats_table):
    credit, whole = formats_table["900002"], formats_table["900003"]
    assert credit.amount == Decimal("-12.00") and credit.status == PAID and credit.pay_url is None
    assert whole.amount == Decimal("12.00") and whole.issued == date(2026, 10, 15)
    assert whole.due == date(2026, 11, 16) and whole.status == PAID
    assert whole.download_url is None


def test_unreadable_cells_are_reported_never_empty(formats_table):
    inv = formats_table["900004"].finish()
    assert (inv.issued, inv.amount, inv.due, inv.status) == (None, None, None, None)
    assert set(inv.problems) == {"issued", "amount", "due", "status"}
    assert "31/02/2026" in inv.problems["issued"]
    assert "12,345 €" in inv.problems["amount"]
    assert "(vide)" in inv.problems["due"]
    assert "En litige" in inv.problems["status"]


def test_long_number_huge_amount_and_missing_member(formats_table):
    inv = formats_table["900005"].finish()
    assert inv.number == "FAC-2026-0005" and inv.label == "Séjour d’été"
    assert inv.amount == Decimal("1234567.89") and inv.issued == date(2026, 10, 1)
    assert inv.member is None and inv.status == UNPAID
    assert inv.problems == {}


def test_headers_map_to_fields_whatever_their_order():
    assert header_fields(["Libellé", "N° de facture", "Date d’émission", "Montant", "Date limite de paiement",
                          "Concerne", "Statut", "Actions"]) == {
        "label": 0, "number": 1, "issued": 2, "amount": 3, "due": 4, "member": 5, "status": 6}
    assert header_fields(["État", "Échéance", "Total", "Émise le"]) == {
        "status": 0, "due": 1, "amount": 2, "issued": 3}


def test_detail_fragment_with_long_dates_and_narrow_spaces():
    detail = parse_detail_html((FIXTURES / "detail_facture_formats.html").read_text(encoding="utf-8"))
    assert detail == DetailFields(number="260901", label="Accueil périscolaire - septembre 2026",
                                  issued=date(2026, 9, 30), amount=Decimal("1234.56"), due=date(2026, 11, 1),
                                  member="Léo MARTIN", status=UNPAID, problems={})


def test_detail_fragment_with_unreadable_and_missing_fields():
    detail = parse_detail_html((FIXTURES / "detail_facture_illisible.html").read_text(encoding="utf-8"))
    assert (detail.number, detail.label, detail.issued) == ("260904", "Transport scolaire", date(2026, 1, 31))
    assert detail.amount is None and detail.due is None and detail.status is None
    assert detail.problems == {"amount": "montant illisible : « NC »", "due": "absent du détail",
                               "status": "statut illisible : « En litige »"}


def test_detail_fills_what_the_table_could_not_read(formats_table):
    inv = formats_table["900004"]
    inv.merge(DetailFields(number="260904", issued=date(2026, 1, 31), amount=Decimal("12.35"),
                           due=date(2026, 2, 28), status=UNPAID))
    inv.finish()
    assert (inv.issued, inv.amount, inv.due, inv.status) == (date(2026, 1, 31), Decimal("12.35"),
                                                             date(2026, 2, 28), UNPAID)
    assert inv.problems == {}


@pytest.mark.parametrize("text, expected", [("Payée", PAID), ("payée", PAID), ("Réglée", PAID), ("Acquittée", PAID),
                                            ("À payer", UNPAID), ("A PAYER", UNPAID), ("Non payée", UNPAID),
                                            ("Impayée", UNPAID)])
def test_status_words(text, expected):
    assert parse_status(text) == expected


def test_outputs_name_unreadable_fields(formats_table):
    bad = formats_table["900004"].finish()
    good = formats_table["900001"].finish()
    text = table([good, bad])
    assert "illisible" in text.splitlines()[3]
    assert "facture 260904 : montant illisible : « 12,345 € »" in text
    assert "1 234,56 €" in text.splitlines()[2]
    data = json.loads(to_json([good, bad]))
    assert data[0]["montant"] == "1234.56" and data[0]["date_emission"] == "2026-09-30"
    assert data[1]["montant"] is None and set(data[1]["illisible"]) == {
        "date d’émission", "montant", "date limite de paiement", "statut"}
    lines = to_csv([good, bad]).decode("utf-8-sig").splitlines()
    assert lines[0] == "N° de facture;Libellé;Émise le;Montant;À payer avant le;Statut;Concerne;PDF;Champs illisibles"
    assert lines[1] == "260901;Accueil périscolaire - septembre 2026;30/09/2026;1234,56;01/11/2026;à payer;Léo MARTIN;;"
    assert lines[2].startswith("260904;Transport scolaire;illisible;illisible;illisible;statut illisible : « En litige »;"
                               "Inès MARTIN;;date d’émission : date illisible")


def test_an_empty_list_prints_a_french_sentence():
    assert table([]) == "Aucune facture."
    assert json.loads(to_json([])) == []
    assert Invoice(id="1").finish().problems == {name: "absent" for name in
                                                 ("number", "label", "issued", "amount", "due", "status")}
