"""One test per invoice reader: a page where the value is missing or not understood gives "unreadable"
(None, and the text the page showed quoted), never a default. The pages are written by hand, unlike the
replica's: other element kinds, other headings, other column words; only the public facts are kept
(``tr.compte`` rows, ``.numero_facture``, the detail's ids)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assistant.config import Settings, Timeouts
from assistant.invoices.french import UnreadableText
from assistant.invoices.model import DIRECT_DEBIT, PARTLY_PAID, UNPAID, parse_status
from assistant.pages.invoice_detail import InvoiceDetailPanel, parse_detail_html
from assistant.pages.invoice_table import InvoiceTable

SETTINGS = Settings(base_url="http://127.0.0.1:9/macommune/espace-citoyens/", timeouts=Timeouts.for_replica())

# a table nobody here has seen: <td> headers, other words, the status as text, an image or nothing
TABLE = """<main><section aria-label="Vos factures"><table class="liste">
<caption>Vos factures</caption>
<thead><tr><td>Objet</td><td>Réf.</td><td>Date de facture</td><td>Somme due</td><td>Échéance</td>
<td>Reste à payer</td><td>État du paiement</td></tr></thead>
<tbody>
<tr class="compte" id="a1"><td>Cantine</td><td><b class="numero_facture">270001</b></td><td>02/01/2027</td>
  <td>30,00 €</td><td>31/01/2027</td><td>—</td><td><em>Xyz</em></td></tr>
<tr class="compte" id="a2"><td>Garderie</td><td><b class="numero_facture">270002</b></td><td>02/01/2027</td>
  <td>douze euros</td><td>31/01/2027</td><td></td><td></td></tr>
<tr class="compte" id="a3"><td>Centre de loisirs</td><td><b class="numero_facture">270003</b></td><td>02/01/2027</td>
  <td>1.234,56 €</td><td>31/01/2027</td><td></td><td><img src="data:," alt="IMPAYEE"></td></tr>
<tr class="compte" id="a4"><td>Séjour</td><td><b class="numero_facture">270004</b></td><td>02/01/2027</td>
  <td>100,00 EUR</td><td>31/01/2027</td><td>12,00&nbsp;€</td><td><span>PARTIELLEMENT RÉGLÉE</span></td></tr>
<tr class="compte" id="a5"><td>Transport</td><td><b class="numero_facture">270005</b></td><td>02/01/2027</td>
  <td>40,00 euros</td><td>31/01/2027</td><td></td><td><i>Prélèvement</i> <i>en cours</i></td></tr>
<tr class="compte" id="a6"><td>Piscine</td><td><b class="numero_facture">270006</b></td><td>02/01/2027</td>
  <td>8,00 €</td><td>31/01/2027</td><td>NC</td><td>Partiellement payée</td></tr>
<tr class="compte" id="a7"><td>Stage</td><td><b class="numero_facture">270007</b></td><td>02/01/2027</td>
  <td>60,00 €</td><td>31/01/2027</td><td></td><td><svg role="img" aria-label="Partiellement acquittée"></svg>
  <small>Restant dû : 25,00 €</small></td></tr>
</tbody></table></section></main>"""


@pytest.fixture(scope="module")
def rows(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content(TABLE)
    read = {inv.id: inv.finish() for inv in InvoiceTable(page, SETTINGS).read()}
    context.close()
    return read


def test_table_row_status_not_in_the_table_is_unreadable(rows):
    inv = rows["a1"]
    assert (inv.status, inv.paid, inv.to_pay) == (None, None, None)
    assert inv.problems["status"] == "statut illisible : « Xyz »"


def test_table_row_status_missing_is_unreadable(rows):
    inv = rows["a2"]
    assert inv.status is None and inv.problems["status"] == "statut illisible : (vide)"


def test_table_row_status_shown_as_an_image_reads_its_text_alternative(rows):
    assert rows["a3"].status == UNPAID and "status" not in rows["a3"].problems


def test_table_row_amount_that_does_not_parse_is_unreadable(rows):
    inv = rows["a2"]
    assert inv.amount is None and inv.problems["amount"] == "montant illisible : « douze euros »"
    assert rows["a3"].amount == Decimal("1234.56") and rows["a1"].amount == Decimal("30.00")


def test_table_row_partial_payment_keeps_its_remainder_and_a_debit_is_neither(rows):
    assert (rows["a4"].status, rows["a4"].remaining, rows["a4"].amount_due) == (
        PARTLY_PAID, Decimal("12.00"), Decimal("12.00"))
    assert "remaining" not in rows["a1"].problems  # « — » in a paid row's remainder is no problem
    assert (rows["a5"].status, rows["a5"].to_pay, rows["a5"].paid) == (DIRECT_DEBIT, False, False)


def test_table_row_status_icon_beside_a_remainder_sentence_is_read_from_the_icon(rows):
    """The icon says the status, the sentence beside it the remainder: never « à payer » from the sentence."""
    assert (rows["a7"].status, rows["a7"].remaining) == (PARTLY_PAID, Decimal("25.00"))


def test_table_row_remainder_that_does_not_parse_is_unreadable(rows):
    inv = rows["a6"]
    assert inv.status == PARTLY_PAID and inv.remaining is None and inv.amount_due is None
    assert inv.problems["remaining"] == "montant illisible : « NC »"


# a detail fragment nobody here has seen: the public ids in a table of <th>/<td>, other labels
def detail(amount: str = '<span id="spanDetailFacture_MntTotalFacture">30,00 €</span>',
           issued: str = "02/01/2027", due: str = "31/01/2027", status: str = "À payer", extra: str = "") -> str:
    return f"""<section class="fiche"><h3 id="hDetailFacture_Facture">Facture - 270001 - Cantine</h3>
<table><tr><th>Émise le</th><td><span id="spanDetailFacture_DatEmissionFacture">{issued}</span></td></tr>
<tr><th>Montant</th><td>{amount}</td></tr>
<tr><th>À régler avant le</th><td><span id="spanDetailFacture_DatLimitePaiementFacture">{due}</span></td></tr>
<tr><th>État</th><td>{status}</td></tr>{extra}</table></section>"""


def test_detail_amount_missing_or_not_a_number_is_unreadable():
    assert parse_detail_html(detail(amount="")).problems["amount"] == "absent du détail"
    unread = parse_detail_html(detail(amount='<span id="spanDetailFacture_MntTotalFacture">N/C</span>'))
    assert unread.amount is None and unread.problems["amount"] == "montant illisible : « N/C »"


def test_detail_dates_that_do_not_read_are_unreadable():
    fields = parse_detail_html(detail(issued="le 31 février", due=""))
    assert (fields.issued, fields.due) == (None, None)
    assert fields.problems["issued"] == "date illisible : « le 31 février »"
    assert fields.problems["due"] == "date illisible : (vide)"


def test_detail_status_not_in_the_table_is_unreadable_and_a_remainder_is_read():
    fields = parse_detail_html(detail(status="À vérifier"))
    assert fields.status is None and fields.problems["status"] == "statut illisible : « À vérifier »"
    partial = parse_detail_html(detail(status="Partiellement payée",
                                       extra="<tr><th>Restant dû</th><td>7,50 €</td></tr>"))
    assert (partial.status, partial.remaining) == (PARTLY_PAID, Decimal("7.50"))


def test_detail_shown_by_the_browser_reads_the_same(page):
    page.set_content(f"<main>{detail(status='Soldée ?')}</main>")
    fields = InvoiceDetailPanel(page, SETTINGS).read()
    assert (fields.number, fields.issued, fields.amount) == ("270001", date(2027, 1, 2), Decimal("30.00"))
    assert fields.status is None and fields.problems["status"] == "statut illisible : « Soldée ? »"


def test_an_unknown_status_never_reaches_a_default_through_parse_status():
    with pytest.raises(UnreadableText):
        parse_status("En litige")
