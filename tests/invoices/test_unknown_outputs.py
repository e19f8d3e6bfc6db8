"""What could not be read is said in every output of the invoices, never filled in: the summary counts it
apart, a total with an unreadable amount is no total, a partial payment counts with its remainder, a debit
under way is neither to pay nor paid; the table, the CSV, the JSON and the report say what the page showed."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

from assistant.cli_invoices import to_pay
from assistant.invoices.model import (DIRECT_DEBIT, PAID, PARTLY_PAID, UNPAID, DetailFields, Invoice,
                                      InvoiceOptions, InvoiceRun, due_total)
from assistant.invoices.output import summary, table, to_csv, to_json
from assistant.report import write_html
from assistant.results import RunReport, StepResult

TODAY = date(2026, 11, 27)


def unknown_word(number: str = "260104") -> Invoice:
    """An invoice whose status word the table does not know, as the table reader leaves it."""
    return Invoice(number, number, "Cantine", issued=date(2026, 11, 2), amount=Decimal("30.00"), due=date(2026, 12, 15),
                   problems={"status": "statut illisible : « Xyz »"})


def unpaid(number: str = "260102", amount: str | None = "0.50", **kw) -> Invoice:
    return Invoice(number, number, "Garderie", issued=date(2026, 11, 2), amount=None if amount is None else Decimal(amount),
                   due=date(2026, 12, 15), status=UNPAID, **kw)


def run_of(*invoices: Invoice, **options) -> InvoiceRun:
    return InvoiceRun(InvoiceOptions(**options), invoices=[inv.finish() for inv in invoices])


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ").split())


# -- the summary that ends ``assistant factures`` ---------------------------------------------------
def test_an_unknown_status_word_is_counted_apart_never_as_nothing_to_pay():
    run = run_of(unpaid(), unknown_word())
    assert summary(run) == ("2 facture(s) lue(s), dont 1 à payer (0,50\u00a0€), 1 au statut illisible. "
                            "Attention : 1 facture(s) avec un champ illisible (voir le tableau).")
    assert summary(run_of(unknown_word())).startswith("1 facture(s) lue(s), dont 0 à payer, 1 au statut illisible.")


def test_a_total_with_an_unreadable_amount_is_no_total():
    run = run_of(unpaid("260102", "0.50"), unpaid("260103", None, problems={"amount": "montant illisible : « NC »"}))
    assert "dont 2 à payer (total inconnu : 1 montant illisible)" in summary(run)
    assert "0,50" not in summary(run)  # never the partial sum given as the total
    assert due_total(run.unpaid).amount is None and due_total(run.unpaid).unreadable == 1


def test_a_partial_payment_counts_to_pay_with_its_remainder_and_a_debit_counts_apart():
    partial = Invoice("1", "260105", amount=Decimal("100.00"), status=PARTLY_PAID, remaining=Decimal("12.00"))
    debit = Invoice("2", "260106", amount=Decimal("40.00"), status=DIRECT_DEBIT)
    run = run_of(unpaid("260102", "0.50"), partial, debit, Invoice("3", "260101", amount=Decimal("5"), status=PAID))
    assert [inv.number for inv in run.unpaid] == ["260102", "260105"]
    assert summary(run).startswith("4 facture(s) lue(s), dont 2 à payer (12,50\u00a0€), 1 en prélèvement en cours.")
    assert (debit.paid, debit.to_pay, debit.amount_due) == (False, False, None)
    assert run.report_view()["unpaid_total"] == "12.50" and run.report_view()["direct_debit"] == 1


def test_a_partial_payment_without_its_remainder_has_no_amount_due():
    partial = Invoice("1", "260105", amount=Decimal("100.00"), status=PARTLY_PAID).finish()
    assert partial.amount_due is None and partial.problems["remaining"] == "absent"
    assert "total inconnu : 1 montant illisible" in summary(run_of(partial))
    assert partial.cells_fr()["Statut"] == "partiellement payée, reste non affiché"


def test_invoices_never_read_are_not_none_to_pay():
    run = InvoiceRun()
    assert run.report_view() == {"invoices": None, "unpaid": None}
    assert summary(run) == "Factures non lues."


# -- the table, the CSV, the JSON ---------------------------------------------------------------------
def test_the_table_lists_the_invoice_with_what_the_page_showed():
    text = table([unpaid().finish(), unknown_word().finish()], TODAY)
    row = next(line for line in text.splitlines() if line.startswith("260104"))
    assert row.endswith("statut illisible : « Xyz »")
    assert "  facture 260104 : statut illisible : « Xyz »" in text.splitlines()


def test_csv_and_json_say_unreadable_never_an_empty_value():
    bad = Invoice("9", "260109", "Cantine", status=None,
                  problems={"status": "statut illisible : « Xyz »", "amount": "montant illisible : « NC »"}).finish()
    line = to_csv([bad]).decode("utf-8-sig").splitlines()[1].split(";")
    assert line[3] == "illisible" and line[5] == "statut illisible : « Xyz »"
    assert {"montant illisible : « NC »", "statut illisible : « Xyz »"} <= set(line[-1].split(" | "))
    data = json.loads(to_json([bad]))[0]
    assert (data["montant"], data["statut"]) == (None, None)
    assert data["illisible"]["statut"] == "statut illisible : « Xyz »"


def test_the_next_action_names_the_invoices_to_check():
    action = to_pay([unpaid(pay_url="http://x/p"), unknown_word().finish()], TODAY)
    assert "Statut illisible pour 1 facture(s) (260104)" in action
    assert to_pay([unknown_word().finish()], TODAY).startswith("Statut illisible pour 1 facture(s) (260104)")


# -- the table and the detail read the same invoice differently -------------------------------------
def test_paid_in_the_table_and_to_pay_in_the_detail_is_unreadable():
    inv = Invoice("1", "260101", status=PAID)
    inv.merge(DetailFields(number="260101", status=UNPAID))
    assert inv.status is None and inv.to_pay is None
    assert inv.problems["status"] == "statut contradictoire : « payée » dans le tableau, « à payer » dans le détail"


def test_a_part_payment_in_the_table_stays_one_when_the_detail_says_to_pay():
    inv = Invoice("1", "260101", amount=Decimal("2345.60"), status=PARTLY_PAID, remaining=Decimal("1345.60"))
    inv.merge(DetailFields(number="260101", status=UNPAID, remaining=Decimal("1345.60")))
    assert (inv.status, inv.amount_due, inv.problems) == (PARTLY_PAID, Decimal("1345.60"), {})
    assert inv.status_fr() == "partiellement payée, reste 1 345,60 €"


def test_the_detail_names_the_status_the_table_could_not_read():
    inv = Invoice("1", "260101", problems={"status": "statut illisible : « Xyz »"})
    inv.merge(DetailFields(number="260101", status=UNPAID))
    assert inv.status == UNPAID and "status" not in inv.problems
    quoted = Invoice("2", "260102", problems={"amount": "montant illisible : « NC »"})
    quoted.merge(DetailFields(number="260102", problems={"amount": "absent du détail"}))
    assert quoted.problems["amount"] == "montant illisible : « NC »"  # what the table showed is kept


# -- the run's report ----------------------------------------------------------------------------------
def test_the_report_counts_unknowns_apart(tmp_path):
    run = run_of(unpaid("260102", None, problems={"amount": "montant illisible : « NC »"}), unknown_word())
    report = RunReport("factures", "Consulter les factures", "listed", 0, summary(run), "n",
                       "http://127.0.0.1:9/gp/espace-citoyens/", started_at="2026-11-27T10:00:00+00:00",
                       steps=[StepResult(2, "Lisez chaque facture", "ok", html="step-02.html")], result=run)
    text = text_of(write_html(report, tmp_path).read_text(encoding="utf-8"))
    assert "Factures à payer 1" in text and "Factures au statut illisible (ni à payer ni payées) 1" in text
    assert "Total à payer inconnu : 1 montant illisible" in text
    assert "statut illisible : « Xyz »" in text and "step-02.html" in text
    assert json.loads(json.dumps(report.to_dict()))["result"]["unpaid_total"] is None
