"""An HTTP 5xx is the portal failing, not a lost session: only a real return to the login page is one;
the maintenance / error outcome does not send the agent to check the commune's name."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from assistant.replica import Faults
from flows.invoices import listing_flow
from flows.status import FLOW as STATUS_FLOW
from support import replica_settings

DETAIL = "MonCompte/DetailFacture"


def logins(rep) -> int:
    return len([e for e in rep.audit if e.route.lower() in ("home/logon", "home/logonajax") and e.accepted])


def test_a_500_on_the_invoice_detail_is_portal_unavailable_naming_its_path(replica, run_flow, tmp_path):
    replica.set_faults(Faults(error_500={DETAIL}))

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), listing_flow())

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    path = urlsplit(replica.base_url).path + DETAIL
    assert f"HTTP 500) à GET {path} :" in report.message
    assert "IdFactureUnique" not in report.message  # the address, never its query (identifiers)
    assert "session a expiré" not in report.message and report.session_relogin is None
    assert logins(replica) == 1  # the session was never lost: no new login


def test_a_500_page_names_its_address_and_the_next_action_is_not_the_commune(replica, run_flow, tmp_path):
    replica.set_faults(Faults(error_500={"MonCompte"}))

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), STATUS_FLOW)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert f"Adresse en erreur : GET {urlsplit(replica.base_url).path}MonCompte (HTTP 500)." in report.message
    assert "commune" not in report.next_action and report.next_action.startswith("Réessayer plus tard")


def test_maintenance_does_not_send_the_agent_to_the_commune_name(replica, run_flow, tmp_path):
    replica.set_faults(Faults(maintenance=True))

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), STATUS_FLOW)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert "maintenance" in report.message
    assert "commune" not in report.next_action and "adresse" not in report.next_action


def test_an_unknown_commune_keeps_the_address_advice(replica, run_flow, tmp_path):
    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path)
    tenant = settings.tenant
    report = run_flow(replace(settings, base_url=settings.base_url.replace(f"/{tenant}/", "/nulle-part/")), STATUS_FLOW)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert "inconnue du portail" in report.message
    assert "nom de la commune (--tenant)" in report.next_action  # the option to check, named
