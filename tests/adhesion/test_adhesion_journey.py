"""The whole adhesion flow on the replica, through the runner: each family state, rehearsal,
idempotency, failures injected at each step with their evidence, and secrets in no artifact."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.replica import Faults, Mutation
from assistant.pages.home import HomePage
from assistant.pages.recap import RecapPage
from assistant.run_state import NetworkGuard
from flows.adhesion import FLOW
from support import replica_settings, run_on_replica


def run(run_flow, rep, tmp_path, username="famille.martin", password=None, *, flow=FLOW, **kw):
    return run_on_replica(run_flow, rep, tmp_path, flow, username, password, **kw)


def writes(rep, route_part="Valider"):
    return [e for e in rep.audit if route_part in e.route]


def test_not_adhered_family_runs_six_green_steps_and_ends_on_oui(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path)

    assert report.outcome == "done" and report.exit_code == 0
    assert [(s.number, s.status) for s in report.steps] == [(n, "ok") for n in range(7)]
    assert replica.account("famille.martin")["adhesion"] == "OUI"
    assert report.result.request_number == replica.account("famille.martin")["requests"][-1]["number"]
    assert report.result.verified_choice == "OUI"
    assert len([e for e in writes(replica) if e.changed]) == 1


def test_report_files_are_written_with_one_testcase_per_step(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, trace=True)

    folder = tmp_path / "report"
    data = json.loads((folder / "report.json").read_text())
    assert data["flow"] == "adhesion" and data["outcome"] == "done" and data["exit_code"] == 0
    assert {"number", "title", "status", "duration_s", "page", "error"} <= set(data["steps"][1])
    junit = (folder / "junit.xml").read_text()
    assert junit.count("<testcase") == len(report.steps) == 7
    assert "Étape 6" in (folder / "report.html").read_text()
    assert all((folder / s.screenshot).is_file() for s in report.steps)
    assert (folder / "trace.zip").is_file()


def test_already_adhered_family_submits_nothing(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, "famille.bernard")

    assert report.outcome == "already_done" and report.exit_code == 0
    assert [s.status for s in report.steps[3:]] == ["skipped"] * 4
    assert writes(replica, "ADHESION") == []


def test_pending_family_is_reported_as_pending(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, "famille.petit")

    assert report.outcome == "pending"
    assert writes(replica, "ADHESION") == []
    assert replica.account("famille.petit")["adhesion"] == "EN_ATTENTE"


def test_second_run_submits_nothing(replica, run_flow, tmp_path):
    first = run(run_flow, replica, tmp_path / "1")
    second = run(run_flow, replica, tmp_path / "2")

    assert (first.outcome, second.outcome) == ("done", "already_done")
    assert len([e for e in writes(replica) if e.changed]) == 1
    assert replica.duplicate_validations == 0


def test_rehearsal_walks_to_valider_and_leaves_no_write(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, rehearse=True)

    assert report.outcome == "rehearsed" and report.exit_code == 0
    assert [s.status for s in report.steps] == ["ok"] * 6 + ["skipped"]
    assert report.steps[5].page == "Le récapitulatif"
    assert writes(replica) == []
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_armed_guard_aborts_valider_so_nothing_reaches_the_portal(replica, context, tmp_path):
    """The guard is a guarantee, not a promise: even a click on VALIDER cannot reach the portal."""
    settings = replica_settings(replica, "famille.martin", "Martin-2026")
    shown = HomePage(context.new_page(), settings)
    for step in (FLOW.login, *FLOW.steps[:5]):
        shown = step.act(shown)  # each step's click, one hop away
    assert isinstance(shown, RecapPage)
    guard = NetworkGuard(armed=True)
    context.route("**/*", guard)

    with shown.page.expect_event("requestfailed") as failed:
        shown.page.get_by_role("button", name="VALIDER").click()

    assert failed.value.method == "POST"
    assert guard.blocked == [f"POST {urlsplit(failed.value.url).path}"]
    assert writes(replica) == []
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_declining_at_the_prompt_sends_nothing(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, confirm=lambda step: False)

    assert report.outcome == "declined" and report.exit_code == 0
    assert report.steps[-1].status == "skipped"
    assert writes(replica) == []


def test_a_failure_during_valider_is_read_back_before_any_instruction(replica, run_flow, tmp_path):
    replica.set_faults(Faults(error_500={STEP_ROUTES[6]}))
    report = run(run_flow, replica, tmp_path)

    assert report.steps[-1].status == "failed"
    # the state read back (« NON ») decides: one instruction, never « it may have been recorded » beside « relancer »
    assert "indique toujours « NON » : la demande n’a pas été enregistrée" in report.message
    assert "peut-être" not in report.message and report.next_action.startswith("Relancer « assistant adhesion »")


def test_the_run_logs_off_at_the_end(replica, run_flow, tmp_path):
    run(run_flow, replica, tmp_path)

    assert replica.audit[-1].route.lower().endswith("home/logoff")


STEP_ROUTES = {
    1: "MonCompte",
    2: "Demande/NouvelleDemande/FACTURE/ADHESION",
    5: "Demande/NouvelleDemande/FACTURE/ADHESION/Recapitulatif",
    6: "Demande/NouvelleDemande/FACTURE/ADHESION/Valider",
}


@pytest.mark.parametrize("number,route", sorted(STEP_ROUTES.items()))
def test_http_500_at_a_step_gives_portal_unavailable_with_evidence(replica, run_flow, tmp_path, number, route):
    replica.set_faults(Faults(error_500={route}))
    report = run(run_flow, replica, tmp_path)

    failed = [s for s in report.steps if s.status == "failed"]
    assert [s.number for s in failed] == [number]
    assert report.outcome == "portal_unavailable" and report.exit_code == 3
    assert (tmp_path / "report" / failed[0].screenshot).is_file()
    assert (tmp_path / "report" / failed[0].html).is_file()
    assert report.stopped_at.startswith(f"Étape {number}")


def test_maintenance_gives_portal_unavailable(replica, run_flow, tmp_path):
    replica.set_faults(Faults(maintenance=True))
    report = run(run_flow, replica, tmp_path)

    assert report.outcome == "portal_unavailable" and report.steps[0].status == "failed"


def test_session_expired_mid_journey_is_typed_and_not_replayed(replica, run_flow, tmp_path):
    replica.set_faults(Faults(expire_after_requests=4))
    report = run(run_flow, replica, tmp_path)

    assert report.outcome == "session_expired" and report.exit_code == 3
    assert writes(replica) == []


def test_missing_control_names_step_page_control_and_what_is_there_instead(replica, run_flow, tmp_path):
    """A portal that renamed « MODIFIER »: drift, exit 4, the control named, its successor shown, not clicked."""
    replica.set_faults(Faults(mutations=(Mutation("rename", "MODIFIER", "CHANGER"),)))
    report = run(run_flow, replica, tmp_path)

    failed = [s for s in report.steps if s.status == "failed"]
    assert report.outcome == "portal_changed" and report.exit_code == 4
    assert failed[0].number == 3 and failed[0].control == "MODIFIER"
    assert "bouton « CHANGER »" in failed[0].candidates
    assert "Contrôles proches sur la page" in report.message
    assert (tmp_path / "report" / failed[0].screenshot).is_file()
    assert "bouton « CHANGER »" in (tmp_path / "report" / "report.html").read_text()
    assert [e for e in replica.audit if "ADHESION" in e.route] == []


def test_ctrl_c_mid_run_reports_where_it_stopped(replica, run_flow, tmp_path):
    def interrupt(event, step, result):
        if event == "start" and step.number == 3:
            raise KeyboardInterrupt

    report = run(run_flow, replica, tmp_path, progress=interrupt)

    assert report.outcome == "interrupted" and report.exit_code == 130
    assert report.stopped_at.startswith("Étape 3")
    assert replica.account("famille.martin")["adhesion"] == "NON"


CANARY = "Canary-Pw-7731!xq"


def test_no_artifact_contains_the_password(make_replica, run_flow, browser, tmp_path):
    data = json.loads(Path("fixtures/accounts.json").read_text())
    for account in data["accounts"]:
        if account["username"] == "famille.martin":
            account["password"] = CANARY
    rep = make_replica(data=data)
    cookies: list[str] = []
    report = run(run_flow, rep, tmp_path, password=CANARY, trace=True,
                 progress=lambda event, step, result: step.number == 6 and event == "end" and cookies.extend(
                     c["value"] for c in browser.contexts[-1].cookies()))
    assert report.outcome == "done" and len(cookies) >= 2

    secrets = [CANARY.encode(), b"famille.martin", b"MARTIN", *(c.encode() for c in cookies)]
    assert scan(tmp_path / "report", secrets) == []
    assert len(list((tmp_path / "report").iterdir())) >= 10


def test_failure_evidence_keeps_no_secret_either(make_replica, run_flow, tmp_path):
    rep = make_replica()
    rep.set_faults(Faults(error_500={STEP_ROUTES[5]}))
    report = run(run_flow, rep, tmp_path, trace=True)
    assert report.outcome == "portal_unavailable"

    assert scan(tmp_path / "report", [b"Martin-2026", b"famille.martin", b"MARTIN"]) == []


def scan(folder: Path, secrets: list[bytes]) -> list[str]:
    """Every file of a report, trace archive entries included, that holds one of ``secrets``."""
    found = []
    for path in folder.rglob("*"):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                found += [f"{path.name}:{n}" for n in z.namelist() if any(s in z.read(n) for s in secrets)]
        elif path.is_file() and any(s in path.read_bytes() for s in secrets):
            found.append(path.name)
    return found
