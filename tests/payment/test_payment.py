"""``assistant payer``: to the provider's page and back, played on the replica's PayFiP stand-in.

The tests play the person at the provider's page (« Valider » / « Annuler »); the assistant only
leads there and reads. Card fields are checked empty when the assistant hands over.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import expect

from assistant.labels import label
from assistant.pages.payfip import PayfipPage
from flows.payment import wait_for_person
from support.invoices import pay

BERNARD_UNPAID = ("482301", "260201", 4590)  # IdFactureUnique, number, cents


def invoice(rep, username, ident):
    return next(i for i in rep.account(username)["invoices"] if i["IdFactureUnique"] == ident)


def person_validates(payfip: PayfipPage) -> None:
    """The family at the provider's page: sees empty card fields, confirms the test payment."""
    expect(payfip.card_fields.first).to_be_visible()
    for field in payfip.card_fields.all():
        expect(field).to_have_value("")  # the assistant typed nothing there
    payfip.page.get_by_role("button", name=label("Valider")).click()


def person_cancels(payfip: PayfipPage) -> None:
    payfip.page.get_by_role("button", name=label("Annuler")).click()


def test_headless_hands_over_a_payfip_link_of_the_right_shape(replica, run_flow, tmp_path):
    ident, number, cents = BERNARD_UNPAID
    report, run = pay(run_flow, replica, tmp_path, number)

    assert (report.outcome, report.exit_code) == ("handed_off", 0)
    url = urlsplit(run.payment_url)
    query = dict(parse_qsl(url.query))
    assert url.path == "/tpa/paiement.web" and url.netloc == urlsplit(replica.base_url).netloc
    assert set(query) == {"numcli", "exer", "refdet", "objet", "montant", "mel", "urlcl", "saisie"}
    assert (query["refdet"], query["montant"], query["saisie"], query["exer"]) == (number, str(cents), "T", "2026")
    assert query["urlcl"] == replica.base_url + "MonCompte/RetourPaiement"
    assert run.payment_url not in report.message  # the link carries the family's e-mail
    shown = report.to_dict()["result"]["payment_url"]
    assert "mel=***" in shown and "@" not in shown
    assert invoice(replica, "famille.bernard", ident)["paid"] is False  # nothing paid by the assistant


def test_round_trip_a_person_pays_from_the_printed_link(replica, run_flow, tmp_path, page):
    ident, number, _ = BERNARD_UNPAID
    _, run = pay(run_flow, replica, tmp_path, number)

    page.goto(run.payment_url)  # the family opens the link in its own browser
    payfip = PayfipPage(page, None)
    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement de vos créances publiques — MODE TEST")
    person_validates(payfip)
    page.wait_for_url("**/espace-citoyens/**")

    assert invoice(replica, "famille.bernard", ident)["paid"] is True
    paid = [e for e in replica.audit if "RetourPaiement" in e.route and e.changed]
    assert len(paid) == 1 and number in paid[0].detail


def test_headed_hand_over_waits_for_the_person_and_reads_the_result(replica, run_flow, tmp_path):
    ident, number, _ = BERNARD_UNPAID
    report, run = pay(run_flow, replica, tmp_path, number, handover=person_validates)

    assert (report.outcome, report.exit_code) == ("handed_off", 0)
    assert run.result == "payée"
    assert report.message == f"Paiement confirmé : la facture n° {number} (45,90\u00a0€) est « Payée »."
    assert invoice(replica, "famille.bernard", ident)["paid"] is True


def test_a_cancelled_payment_leaves_the_invoice_to_pay(replica, run_flow, tmp_path):
    ident, number, _ = BERNARD_UNPAID
    report, run = pay(run_flow, replica, tmp_path, number, handover=person_cancels)

    assert run.result == "à payer" and report.exit_code == 0
    assert "toujours « à payer »" in report.message
    assert invoice(replica, "famille.bernard", ident)["paid"] is False


def test_unknown_invoice_number_is_refused_in_french(replica, run_flow, tmp_path):
    report, _ = pay(run_flow, replica, tmp_path, "999999")

    assert (report.outcome, report.exit_code) == ("invoice_unknown", 1)
    assert report.message == ("La facture n° 999999 n’existe pas dans « Mes factures » de cette famille "
                              "(2 facture(s) affichée(s)).")


def test_a_forged_return_does_not_mark_anything_paid(replica, page):
    ident, number, cents = BERNARD_UNPAID
    page.goto(replica.base_url + f"MonCompte/RetourPaiement?resultrans=P&refdet={number}&montant={cents}&numauto=FAUX")

    assert invoice(replica, "famille.bernard", ident)["paid"] is False
    assert [e.accepted for e in replica.audit if "RetourPaiement" in e.route] == [False]


def test_the_stand_in_accepts_the_test_mode_only(replica, page):
    query = (f"numcli=024301&exer=2026&refdet=260201&objet=Facture&montant=4590&mel=a%40b.example"
             f"&urlcl={replica.base_url}MonCompte/RetourPaiement&saisie=W")
    answer = page.goto(f"{replica.origin}/tpa/paiement.web?{query}")

    assert answer.status == 400
    expect(page.get_by_role("alert")).to_have_text("Cette page de démonstration n’accepte que le mode test (saisie=T).")


def test_cli_headless_prints_the_link_and_paid_invoice_exits_0(run_assistant, tmp_path):
    def cli(*argv):
        return run_assistant("payer", *argv, "--replica", "--account", "famille.bernard", "--report-dir",
                             str(tmp_path / "r"), cwd=tmp_path)

    handed = cli("260201")
    assert handed.returncode == 0, handed.stderr
    assert "/tpa/paiement.web?" in handed.stdout.strip() and "refdet=260201" in handed.stdout
    paid = cli("251202")
    assert paid.returncode == 0 and "déjà payée" in paid.stderr
    unknown = cli("000000")
    assert unknown.returncode == 1 and "n’existe pas" in unknown.stderr


def test_default_headed_wait_returns_when_the_person_leaves_the_provider_page(replica, run_flow, tmp_path):
    ident, number, _ = BERNARD_UNPAID

    def person_later(payfip: PayfipPage) -> None:
        # the person confirms a moment after the hand-over, while the assistant waits
        payfip.page.evaluate("setTimeout(() => document.querySelector('button[value=valider]').click(), 300)")
        wait_for_person(timeout_s=10)(payfip)

    report, run = pay(run_flow, replica, tmp_path, number, handover=person_later)

    assert run.result == "payée" and report.outcome == "handed_off"
    assert invoice(replica, "famille.bernard", ident)["paid"] is True


def test_nobody_at_the_provider_page_ends_the_wait_without_paying(replica, run_flow, tmp_path):
    ident, number, _ = BERNARD_UNPAID
    report, run = pay(run_flow, replica, tmp_path, number, handover=wait_for_person(timeout_s=0.3))

    assert run.result == "à payer" and report.exit_code == 0
    assert invoice(replica, "famille.bernard", ident)["paid"] is False
    assert [t.card_filled for t in replica.app.payfip.transactions] == []
