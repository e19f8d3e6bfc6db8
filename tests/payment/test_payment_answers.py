"""``assistant payer`` when there is nothing to pay or no « Payer » to click: a normal answer that
says what to do (an invoice already paid; a family without online invoicing activates it first)."""

from __future__ import annotations

from support import suggested
from support.invoices import pay


def test_an_already_paid_invoice_is_a_normal_answer(session_replica, run_flow, tmp_path):
    report, _ = pay(run_flow, session_replica, tmp_path, "251202")

    assert (report.outcome, report.exit_code) == ("already_paid", 0)
    assert report.message == "La facture n° 251202 est déjà payée : rien à faire, rien n’a été envoyé au paiement."
    assert [(s.number, s.status) for s in report.steps] == [(0, "ok"), (1, "ok"), (2, "ok"), (3, "skipped")]


def test_a_family_without_online_invoicing_is_told_to_activate_it_first(session_replica, run_flow, tmp_path):
    report, run = pay(run_flow, session_replica, tmp_path, "260102", username="famille.martin")

    assert (report.outcome, report.exit_code) == ("not_adhered", 0)
    assert report.message == ("« Payer » n’est pas proposé pour la facture n° 260102 : la facture en ligne n’est pas "
                              "activée pour cette famille ; le paiement en ligne demande de l’activer d’abord.")
    assert "assistant adhesion" in report.next_action
    assert run.payment_url is None


def test_a_family_whose_request_is_pending_is_told_to_wait(session_replica, run_flow, tmp_path):
    report, _ = pay(run_flow, session_replica, tmp_path, "260301", username="famille.petit")

    assert (report.outcome, report.exit_code) == ("pending", 0)
    assert "la demande d’adhésion à la facture en ligne est en cours de traitement" in report.message


def test_payer_names_the_commands_to_activate_then_pay_on_the_replica(run_assistant, tmp_path):
    done = run_assistant("payer", "260102", "--replica", "--account", "famille.martin", "--report-dir",
                         str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # no payment link
    assert ("Prochaine action : Activer d’abord la facture en ligne, avec l’accord de la famille : "
            f"« {suggested('adhesion --replica --account famille.martin')} », puis relancer "
            f"« {suggested('payer 260102 --replica --account famille.martin')} ».") in done.stderr


def test_payer_of_an_already_paid_invoice_ends_with_a_tick_and_exit_0(run_assistant, tmp_path):
    done = run_assistant("payer", "251202", "--replica", "--account", "famille.bernard", "--report-dir",
                         str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    assert "\n✓ La facture n° 251202 est déjà payée" in done.stderr
    assert f"« {suggested('factures --unpaid --replica --account famille.bernard')} »" in done.stderr
