"""``assistant diagnostic``: each family state of the replica, each portal fault, never a write."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

import flows.diagnostic
from flows.diagnostic import DiagnosticResult
from assistant.helpdesk.contacts import ALLO_AGGLO, SERVICE_ENFANCE, UNKNOWN_COMMUNE
from assistant.helpdesk.diagnostic import diagnose, from_report
from assistant.invoices.french import format_amount
from assistant.invoices.model import PAID, UNPAID, Invoice
from assistant.replica import Faults
from assistant.results import RunReport, StepResult
from support import ACCOUNTS, replica_settings


def run(rep, browser, tmp_path, username, password=None, **kw):
    settings = replica_settings(rep, username, password, report_dir=tmp_path / "diag", **kw)
    return diagnose(settings, browser=browser)


def writes(rep) -> list:
    """What the diagnosis changed on the portal (the log off only closes the session)."""
    return [e for e in rep.audit if e.changed and e.route != "Home/LogOff"]


def posts(rep, username, since: int = 0) -> list:
    """The family's requests but GET in the replica's audit, from entry ``since`` on (the replica may be shared)."""
    return [e.route for e in rep.audit[since:] if e.account == username and e.method != "GET"]


# -- the families of the replica -------------------------------------------------------------------
@pytest.mark.parametrize("username, invoicing, invoices, unpaid, total, next_due, contact, verdict", [
    ("famille.martin", "inactive", 4, 2, Decimal("1235.06"), date(2026, 2, 28), None,
     "La famille n’a pas encore adhéré à la facture en ligne : lancer l’activation"),
    ("famille.bernard", "active", 2, 1, Decimal("45.90"), date(2026, 2, 28), None,
     "Aucun : la facture en ligne est active. 1 facture(s) à payer"),
    ("famille.petit", "pending", 1, 1, Decimal("23.10"), date(2026, 2, 28), SERVICE_ENFANCE,
     "en cours de traitement par le service"),
    ("famille.leroy", "inactive", 0, 0, Decimal("0"), None, None, "La famille n’a pas encore adhéré"),
])
def test_each_family_state(session_replica, browser, tmp_path, username, invoicing, invoices, unpaid, total, next_due,
                           contact, verdict):
    before = len(session_replica.audit)
    diagnosis, report = run(session_replica, browser, tmp_path, username)

    assert diagnosis.exit_code == 0 and diagnosis.can_log_in is True
    assert diagnosis.password_change_required is False
    assert diagnosis.online_invoicing == invoicing
    assert (diagnosis.invoices, diagnosis.unpaid, diagnosis.unpaid_total) == (invoices, unpaid, total)
    assert diagnosis.next_due == next_due
    assert diagnosis.contact == contact
    assert verdict in diagnosis.verdict
    assert [s.status for s in report.steps] == ["ok"] * 4
    assert posts(session_replica, username, before) == ["Home/Logon"]  # the login is the only POST
    assert writes(session_replica) == []


def test_french_lines_for_the_agent():
    report = RunReport(flow="diagnostic", title="t", outcome="not_adhered", exit_code=0, message="m", next_action="n",
                       base_url="u", steps=[StepResult(0, "Connexion", "ok")],
                       result=DiagnosticResult(
                           invoices=[Invoice(str(n), status=UNPAID if n < 2 else PAID) for n in range(4)],
                           choice_before="NON", unpaid_total=Decimal("1235.06"), next_due=date(2026, 2, 28)))
    diagnosis = from_report(report, "grandperigueux")

    expected = f"2 à payer sur 4, total {format_amount(Decimal('1235.06'))}, la première échue depuis le 28/02/2026"
    assert f"Factures : {expected}" in diagnosis.lines_fr()
    assert "Facture en ligne : non activée" in diagnosis.lines_fr()
    assert diagnosis.verdict.startswith("La famille n’a pas encore adhéré à la facture en ligne : lancer l’activation")


def test_password_change_is_a_blocking_point_for_a_person(session_replica, browser, tmp_path):
    diagnosis, report = run(session_replica, browser, tmp_path, "famille.durand")

    assert diagnosis.exit_code == 5 and diagnosis.outcome == "password_change_required"
    assert diagnosis.can_log_in is True and diagnosis.password_change_required is True
    assert diagnosis.online_invoicing is None and diagnosis.invoices is None
    assert "nouveau mot de passe" in diagnosis.blocking_point
    assert session_replica.account("famille.durand")["must_change_password"] is True
    assert writes(session_replica) == []


def test_refused_login_says_so_with_the_portals_message_and_no_retry(replica, browser, tmp_path):
    diagnosis, _ = run(replica, browser, tmp_path, "famille.martin", "Pas-le-bon-1")

    assert diagnosis.exit_code == 1 and diagnosis.can_log_in is False
    assert diagnosis.portal_message == "Identifiant ou mot de passe incorrect."
    assert diagnosis.blocking_point == "Le portail refuse la connexion (« Identifiant ou mot de passe incorrect. »)."
    assert "Aucun nouvel essai" in diagnosis.next_action
    assert [e.route for e in replica.audit if e.route == "Home/Logon"] == ["Home/Logon"]  # one try, never two


# -- the portal at fault ----------------------------------------------------------------------------
@pytest.mark.parametrize("faults, outcome, words", [
    (Faults(maintenance=True), "portal_unavailable", "maintenance"),
    (Faults(error_500={"MonCompte"}), "portal_unavailable", "erreur"),
    (Faults(expire_after_requests=3), "session_expired", "session"),  # even after logging in again once
])
def test_portal_faults_name_the_portal_and_its_contact(replica, browser, tmp_path, faults, outcome, words):
    replica.set_faults(faults)
    diagnosis, _ = run(replica, browser, tmp_path, "famille.martin")

    assert diagnosis.outcome == outcome and diagnosis.exit_code == 3
    assert diagnosis.blocking_point.startswith("Le portail est en cause, pas la famille")
    assert words in diagnosis.blocking_point.lower()
    assert diagnosis.contact == ALLO_AGGLO
    assert writes(replica) == []


def test_unknown_commune_is_unavailable_without_a_known_contact(replica, browser, tmp_path):
    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path / "d")
    settings = replace(settings, base_url=replica.base_url.replace("/grandperigueux/", "/inconnue/"))
    diagnosis, _ = diagnose(settings, browser=browser)

    assert diagnosis.outcome == "portal_unavailable" and diagnosis.commune == "inconnue"
    assert "inconnue" in diagnosis.blocking_point
    assert diagnosis.contact == UNKNOWN_COMMUNE


def test_a_drifted_portal_is_reported_with_the_report_for_the_technical_team():
    report = RunReport(flow="diagnostic", title="t", outcome="portal_changed", exit_code=4,
                       message="Page « Mes factures » non reconnue.", next_action="x", base_url="u",
                       steps=[StepResult(0, "Connexion", "ok"), StepResult(1, "Mes factures", "failed")])
    diagnosis = from_report(report, "grandperigueux")

    assert diagnosis.exit_code == 4 and diagnosis.contact == ALLO_AGGLO
    assert "Transmettre le rapport" in diagnosis.next_action
    assert diagnosis.can_log_in is True and diagnosis.online_invoicing is None


# -- the flow and the command -----------------------------------------------------------------------
def test_flow_docstring_is_its_steps_and_nothing_writes():
    flow = flows.diagnostic.FLOW
    import re

    documented = {int(n): t.strip() for n, t in re.findall(r"^(\d+)\. (.+)$", flows.diagnostic.__doc__, re.M)}
    assert documented == {s.number: s.title for s in (flow.login, *flow.steps)}
    assert not any(s.writes for s in (flow.login, *flow.steps))


def test_cli_json_and_exit_code(run_assistant, tmp_path):
    done = run_assistant("diagnostic", "--replica", "--account", "famille.bernard", "--json", "--report-dir",
                         str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["online_invoicing"] == "active" and data["unpaid"] == 1 and data["unpaid_total"] == "45.90"
    assert ACCOUNTS["famille.bernard"]["password"] not in done.stdout + done.stderr
    assert (tmp_path / "r" / "diagnostic.json").is_file()


def test_cli_unknown_demo_family_is_a_french_usage_error(run_assistant, tmp_path):
    done = run_assistant("diagnostic", "--replica", "--account", "famille.x", cwd=tmp_path)
    assert done.returncode == 2
    assert "Famille de démonstration inconnue" in done.stderr and "Traceback" not in done.stderr
