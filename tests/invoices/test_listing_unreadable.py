"""``assistant factures`` on a portal whose status words or amounts do not read: the listing is still the
answer (exit 0), each such invoice listed with what the page showed, counted apart in the summary, and
the report keeps the page's HTML."""

from __future__ import annotations

from datetime import date

from assistant.invoices.output import table
from assistant.replica import Faults, Mutation
from support.invoices import list_invoices


def word(replica, before: str, after: str) -> None:
    replica.set_faults(Faults(mutations=(Mutation("replace_text", before, after),)))


def test_a_status_word_never_seen_is_listed_counted_apart_and_its_page_kept(replica, run_flow, tmp_path):
    word(replica, "À payer", "En litige")  # famille.martin's two invoices to pay, on the table and the detail
    report, run = list_invoices(run_flow, replica, tmp_path)

    assert (report.outcome, report.exit_code) == ("listed", 0)
    assert report.message.startswith("4 facture(s) lue(s), dont 0 à payer, 2 au statut illisible.")
    unread = sorted(inv.number for inv in run.invoices if inv.status is None)
    assert unread == ["260102", "260103"] and run.unpaid == []
    assert all(inv.problems["status"] == "statut illisible : « En litige »" for inv in run.unreadable_status)
    assert "260102" in table(run.invoices, date(2026, 11, 27)) and "statut illisible : « En litige »" in table(
        run.invoices)
    listing = next(s for s in report.steps if s.number == 2)
    assert listing.status == "ok" and listing.html == "step-02.html"
    assert "En litige" in (tmp_path / "report" / "step-02.html").read_text(encoding="utf-8")
    assert report.to_dict()["result"]["unreadable_status"] == 2


def test_unpaid_only_keeps_the_invoices_whose_status_does_not_read(replica, run_flow, tmp_path):
    word(replica, "À payer", "En litige")
    _, run = list_invoices(run_flow, replica, tmp_path, unpaid_only=True)

    assert sorted(inv.number for inv in run.invoices) == ["260102", "260103"]  # never hidden as if paid


def test_an_amount_to_pay_that_does_not_read_gives_no_total(replica, run_flow, tmp_path):
    word(replica, "234,56", "2x4,56")
    report, run = list_invoices(run_flow, replica, tmp_path)

    assert (report.outcome, report.exit_code) == ("listed", 0)
    assert "dont 2 à payer (total inconnu : 1 montant illisible)" in report.message
    assert "0,50" not in report.message
    assert report.to_dict()["result"]["unpaid_total"] is None
