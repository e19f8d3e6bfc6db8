"""A lost session: logged in once more and replayed while nothing is written; after « VALIDER »,
the state is read back and « VALIDER » is never clicked again."""

from __future__ import annotations

from playwright.sync_api import Route

from assistant.replica import Faults
from flows.adhesion import FLOW
from flows.status import FLOW as STATUS_FLOW
from support import replica_settings


def lose_session_after(rep, step_number: int, *, once: bool = True):
    """An observer that ends the portal session right after ``step_number`` (the first time only)."""
    seen = []

    def observe(shown, step, result):
        seen.append(step.number)
        if step.number == step_number and seen.count(step_number) == 1:
            rep.set_faults(Faults(expire_after_requests=1))  # the session dies at its next request
        elif step.number == 0 and len(seen) > 1 and once:
            rep.set_faults(Faults())  # the new session lives
    return observe


def run(run_flow, rep, tmp_path, flow, *, username="famille.martin", rehearse=False, observe=None):
    return run_flow(replica_settings(rep, username, report_dir=tmp_path), flow, rehearse=rehearse, observe=observe)


def logins(rep) -> int:
    return len([e for e in rep.audit if e.route.lower() in ("home/logon", "home/logonajax") and e.accepted])


def test_statut_logs_in_again_and_replays_from_the_start(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, STATUS_FLOW, observe=lose_session_after(replica, 1))

    assert (report.outcome, report.exit_code) == ("not_adhered", 0)
    assert report.session_relogin.startswith("Session perdue à l’étape 2")
    assert [s.status for s in report.steps] == ["ok", "ok", "ok"]
    assert logins(replica) == 2


def test_a_rehearsal_logs_in_again_once_and_never_writes(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, FLOW, rehearse=True, observe=lose_session_after(replica, 4))

    assert report.outcome == "rehearsed"
    assert "Session perdue à l’étape 5" in report.session_relogin
    assert [e for e in replica.audit if e.changed and "logoff" not in e.detail] == []


def test_a_second_loss_is_session_expired_without_a_third_login(replica, run_flow, tmp_path):
    report = run(run_flow, replica, tmp_path, STATUS_FLOW, observe=lose_session_after(replica, 1, once=False))

    assert (report.outcome, report.exit_code) == ("session_expired", 3)
    assert logins(replica) == 2


def test_session_lost_on_validate_reads_back_non_and_never_clicks_again(replica, run_flow, tmp_path):
    def lose_session_on_validate(shown, step, result):
        if step.number == 5:
            def expire_then_answer(route: Route) -> None:
                replica.set_faults(Faults(expire_after_requests=1))  # this request ends the session
                answer = route.fetch(max_redirects=0)
                replica.set_faults(Faults())
                route.fulfill(response=answer)
            shown.page.route("**/*alider*", expire_then_answer)

    report = run(run_flow, replica, tmp_path, FLOW, observe=lose_session_on_validate)

    assert (report.outcome, report.exit_code) == ("session_expired", 3)
    assert "indique toujours « NON »" in report.message
    assert report.result.verified_choice == "NON"
    assert len([e for e in replica.audit if e.route.endswith("Valider")]) == 1  # one click, refused: no session
    assert replica.account("famille.martin")["adhesion"] == "NON"
    assert logins(replica) == 2  # the second login only reads the state back
    assert report.session_relogin.endswith("état relu : « NON ».")  # the flow's own new login, noted


def test_confirmation_lost_after_validate_reads_back_oui_and_is_done(replica, run_flow, tmp_path):
    def lose_confirmation(shown, step, result):
        if step.number == 5:
            def applied_then_login_page(route: Route) -> None:
                route.fetch(max_redirects=0)  # the portal applies « VALIDER »...
                # ...and the browser is sent to the login page instead of the confirmation
                route.fulfill(status=302, headers={"Location": replica.base_url + "Home/AccueilPublic"})
            shown.page.route("**/*alider*", applied_then_login_page)

    report = run(run_flow, replica, tmp_path, FLOW, observe=lose_confirmation)

    assert (report.outcome, report.exit_code) == ("done", 0)
    assert report.result.verified_choice == "OUI"
    assert "pas de confirmation" in report.result.after_validate
    assert len([e for e in replica.audit if e.route.endswith("Valider") and e.changed]) == 1
    assert replica.duplicate_validations == 0
