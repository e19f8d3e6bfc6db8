"""``assistant diagnostic``'s words: a due date read against today, the advice said once, French agreement,
the helpdesk's numbers in the terminal as in the report, and in a terminal the command to type rather than
the console's button."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from flows.diagnostic import DiagnosticResult
from assistant.helpdesk.diagnostic import Diagnosis, from_report
from assistant.outcomes import HELPDESK, OUTCOMES
from assistant.report_labels import fact_label, fact_value
from assistant.results import RunReport, StepResult
from support import suggested

TODAY = date(2026, 11, 27)


def diagnosis_of(outcome: str, message: str = "m", result: DiagnosticResult | None = None,
                 tenant: str = "grandperigueux", logged_in: bool = True, **kw) -> Diagnosis:
    known = OUTCOMES[outcome]
    report = RunReport(flow="diagnostic", title="t", outcome=outcome, exit_code=known.exit_code, message=message,
                       next_action=known.next_action, base_url="u",
                       steps=[StepResult(0, "Connexion", "ok" if logged_in else "failed")], result=result)
    return from_report(report, tenant, **kw)


@pytest.mark.parametrize("unpaid, due, words", [
    (2, date(2026, 2, 28), "2 à payer sur 4, total 1\u00a0235,06\u00a0€, la première échue depuis le 28/02/2026"),
    (1, date(2026, 2, 28), "1 à payer sur 4, total 1\u00a0235,06\u00a0€, échue depuis le 28/02/2026"),
    (1, date(2026, 12, 15), "1 à payer sur 4, total 1\u00a0235,06\u00a0€, à payer avant le 15/12/2026"),
    (1, TODAY, "1 à payer sur 4, total 1\u00a0235,06\u00a0€, à payer avant le 27/11/2026"),  # still in time today
])
def test_a_past_due_date_is_said_to_be_past(unpaid, due, words):
    diagnosis = Diagnosis("grandperigueux", "already_done", 0, "b", "n", invoices=4, unpaid=unpaid,
                          unpaid_total=Decimal("1235.06"), next_due=due)
    assert diagnosis.dues_fr(TODAY) == words


def test_the_agents_lines_and_the_report_read_the_due_date_against_today():
    result = DiagnosticResult(choice_before="NON", unpaid_total=Decimal("23.10"), next_due=date(2026, 2, 28))
    assert "prochaine" not in " ".join(diagnosis_of("not_adhered", result=result).lines_fr())

    assert fact_label("next_due") == "Date limite de paiement"
    assert fact_value("next_due", "2026-02-28") == "échue depuis le 28/02/2026"
    assert fact_value("next_due", "2099-01-31") == "à payer avant le 31/01/2099"


@pytest.mark.parametrize("message", [
    "Le portail a répondu par une erreur (HTTP 500) à GET /grandperigueux/espace-citoyens/MonCompte/DetailFacture : "
    "réessayer plus tard. La session est toujours ouverte : ce n’est pas une expiration.",
    "Le portail est en maintenance : réessayer plus tard.",
])
def test_the_summary_line_says_the_advice_once(message):
    diagnosis = diagnosis_of("portal_unavailable", message)

    assert diagnosis.verdict.lower().count("réessayer plus tard") == 1
    assert "expiration : réessayer" not in diagnosis.verdict
    fault = message.split(" : réessayer")[0]  # what went wrong stays
    assert diagnosis.verdict.startswith(f"Le portail est en cause, pas la famille : {fault}.")
    assert diagnosis.verdict.endswith(OUTCOMES["portal_unavailable"].next_action)


def test_unknown_facts_agree_in_gender():
    lines = diagnosis_of("login_rejected", logged_in=False).lines_fr()

    assert "Facture en ligne : inconnue" in lines and "Factures : inconnues" in lines


def test_a_pending_request_names_the_helpdesk_numbers_as_the_report_does():
    action = diagnosis_of("pending").next_action

    assert f"contacter le {HELPDESK}." in action and "05 24 13 83 38" in action and "05 53 35 86 00" in action
    assert HELPDESK in OUTCOMES["pending"].next_action  # what the run's report says
    assert diagnosis_of("pending", tenant="autreville").next_action.endswith("contacter la mairie de la commune.")


def test_the_console_names_its_button():
    assert "(« Activer la facture en ligne », avec l’accord" in diagnosis_of("not_adhered").next_action


def test_the_terminal_names_the_command_with_the_runs_options(run_assistant, tmp_path):
    done = run_assistant("diagnostic", "--replica", "--account", "famille.leroy", "--report-dir", str(tmp_path / "r"),
                         cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    command = f"« {suggested('adhesion --replica --account famille.leroy', cwd=tmp_path)} »"
    assert f"Prochaine action : Lancer l’activation ({command}, avec l’accord de la famille)" in done.stdout
    assert "Activer la facture en ligne" not in done.stdout
