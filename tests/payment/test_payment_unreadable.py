"""``assistant payer`` never hands off an invoice it cannot read: a status word never seen, an amount that
does not parse, an amount asked by the payment page that is not one, an adhesion state unreadable; each
ends « unreadable » (exit 8), nothing handed over. A debit under way is not paid twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.config import Settings, Timeouts
from assistant.errors import Unreadable
from assistant.invoices.french import UnreadableText
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.payfip import PayfipPage
from assistant.replica import Faults, Mutation
from support.invoices import pay

NUMBER = "260201"  # famille.bernard's invoice to pay, 45,90 €


def word(replica, before: str, after: str, route: str = "*") -> None:
    replica.set_faults(Faults(mutations=(Mutation("replace_text", before, after, route),)))


def payment_requests(replica) -> list[str]:
    return [e.route for e in replica.audit if "Payer" in e.route or "Paiement" in e.route]


def test_a_status_word_never_seen_ends_unreadable_and_hands_nothing_off(replica, run_flow, tmp_path):
    word(replica, "À payer", "En litige")  # on the table and in the detail
    report, run = pay(run_flow, replica, tmp_path, NUMBER)

    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert "statut illisible : « En litige »" in report.message and "déjà payée" not in report.message
    assert run.payment_url is None and run.result is None and payment_requests(replica) == []
    failed = next(s for s in report.steps if s.status == "failed")
    assert failed.number == 2 and failed.html and (tmp_path / "report" / failed.html).is_file()


def test_a_status_the_table_does_not_say_is_read_in_the_detail(replica, run_flow, tmp_path):
    word(replica, "À payer", "En litige", route="MonCompte")  # the detail fragment still says « À payer »
    report, run = pay(run_flow, replica, tmp_path, NUMBER)

    assert (report.outcome, report.exit_code) == ("handed_off", 0)
    assert run.invoice.status == "à payer" and run.payment_amount == Decimal("45.90")


def test_an_invoice_being_debited_is_not_handed_off(replica, run_flow, tmp_path):
    word(replica, "À payer", "Prélèvement en cours")
    report, run = pay(run_flow, replica, tmp_path, NUMBER)

    assert (report.outcome, report.exit_code) == ("direct_debit", 0)
    assert "prélèvement en cours" in report.message and run.payment_url is None


def test_an_amount_that_does_not_parse_ends_unreadable(replica, run_flow, tmp_path):
    word(replica, "45,90", "NC")
    report, run = pay(run_flow, replica, tmp_path, NUMBER)

    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert "Le montant à payer de la facture n° 260201 n’a pas pu être lu (montant illisible : « NC" in report.message
    assert run.payment_url is None


def test_an_amount_asked_by_the_payment_page_that_is_no_amount_ends_unreadable(replica, run_flow, tmp_path, context):
    def garble(route):  # the portal's « Payer » answers with the provider's address: its amount garbled
        answer = route.fetch(max_redirects=0)
        where = answer.headers["location"].replace("montant=4590", "montant=45,9O")
        route.fulfill(status=302, headers={"Location": where})

    context.route("**/MonCompte/PayerFacture*", garble)
    report, run = pay(run_flow, replica, tmp_path, NUMBER)

    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert "montant demandé illisible : « 45,9O »" in report.message
    assert run.payment_url is None and run.result is None


def test_no_payer_and_an_adhesion_state_unreadable_is_unreadable_not_a_refusal(replica, run_flow, tmp_path,
                                                                                monkeypatch):
    def unreadable(self):
        raise Unreadable("L’état de l’adhésion n’a pas pu être lu.", page="Adhésion", seen="Peut-être")

    monkeypatch.setattr(AdhesionPage, "current_choice", unreadable)
    report, _ = pay(run_flow, replica, tmp_path, "260102", username="famille.martin")  # no « Payer »: not adhered

    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert report.message.startswith("« Payer » n’est pas proposé pour la facture n° 260102, et l’état de la facture "
                                     "en ligne n’a pas pu être lu")


# -- the payment page's own reading, on a page written by hand ---------------------------------------
@pytest.mark.parametrize("query, amount", [("montant=4590&saisie=T", Decimal("45.90")),
                                           ("montant=50", Decimal("0.50"))])
def test_payment_page_reads_the_amount_it_asks(page, query, amount):
    payfip = _payfip(page, f"/tpa/paiement.web?{query}")
    assert payfip.amount() == amount


def test_payment_page_without_an_amount_says_none_and_a_garbled_one_is_unreadable(page):
    assert _payfip(page, "/tpa/paiementws.web?idop=abc").amount() is None
    assert _payfip(page, "/tpa/paiementws.web?idop=abc").mode == "inconnu"
    with pytest.raises(UnreadableText) as err:
        _payfip(page, "/tpa/paiement.web?montant=12%2C50").amount()
    assert str(err.value) == "montant demandé illisible : « 12,50 »"


def _payfip(page, path: str) -> PayfipPage:
    page.route("http://127.0.0.1:9/tpa/**", lambda route: route.fulfill(
        body="<article><h2>Régler votre facture</h2><p>Montant</p></article>", content_type="text/html"))
    page.goto(f"http://127.0.0.1:9{path}")
    return PayfipPage(page, Settings(base_url="http://127.0.0.1:9/c/espace-citoyens/", timeouts=Timeouts.for_replica()))
