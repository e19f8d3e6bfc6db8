"""A session lost at « VALIDER »: one instruction, and the state read back after a new login (read-only,
« VALIDER » never clicked again), with the request number when « Mes démarches » shows one."""

from __future__ import annotations

from playwright.sync_api import Route

from assistant.replica import Faults
from flows.adhesion import FLOW
from support import replica_settings


def validations(rep) -> list:
    return [e for e in rep.audit if e.route.lower().endswith("valider")]


def on_validate(rep, answer):
    """An observer that routes « VALIDER »'s request through ``answer(route)`` once step 5 is done."""
    def observe(shown, step, result):
        if step.number == 5:
            shown.page.route("**/*alider*", answer)
    return observe


def test_a_session_lost_at_validate_gives_one_instruction_from_the_state_read_back(replica, run_flow, tmp_path):
    def expire_then_answer(route: Route) -> None:
        replica.set_faults(Faults(expire_after_requests=1))  # « VALIDER » arrives without a session: refused
        answer = route.fetch(max_redirects=0)
        replica.set_faults(Faults())
        route.fulfill(response=answer)

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), FLOW,
                      observe=on_validate(replica, expire_then_answer))

    assert (report.outcome, report.exit_code) == ("session_expired", 3)
    assert report.result.verified_choice == "NON"
    # one instruction: the state read back says nothing was recorded, so the journey may be played again
    assert "peut-être été enregistrée" not in report.message and "statut" not in report.next_action
    assert report.next_action.startswith("Relancer « assistant adhesion »")
    assert report.session_relogin.startswith("Session perdue à « VALIDER » : nouvelle connexion")
    assert report.session_relogin.endswith("état relu : « NON ».")
    assert len(validations(replica)) == 1 and replica.account("famille.martin")["adhesion"] == "NON"


def test_a_request_applied_then_the_session_lost_is_read_back_with_its_number(replica, run_flow, tmp_path):
    def applied_then_session_lost(route: Route) -> None:
        route.fetch(max_redirects=0)  # the portal applies « VALIDER »...
        # ...then the session ends before the confirmation: the portal's log-off drops it, then shows its home
        route.fulfill(status=302, headers={"Location": replica.base_url + "Home/LogOff"})

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), FLOW,
                      observe=on_validate(replica, applied_then_session_lost))

    number = replica.account("famille.martin")["requests"][-1]["number"]
    assert (report.outcome, report.exit_code) == ("done", 0)
    assert report.result.request_number == number
    assert f"demande N° {number}" in report.message
    assert report.session_relogin.endswith(f"état relu : « OUI », demande N° {number}.")
    assert len(validations(replica)) == 1


def test_a_dialog_to_answer_over_validate_stops_before_the_click_without_the_sent_warning(replica, run_flow, tmp_path):
    """A dialog asking the family for something lies over « VALIDER »: the run stops for a person, and as
    « VALIDER » was never clicked the report does not ask to check whether the request was recorded."""
    def cover(shown, step, result):
        if step.number == 5:
            shown.page.evaluate("""() => {
                const box = document.createElement('div');
                box.setAttribute('role', 'dialog');
                box.setAttribute('aria-modal', 'true');
                box.style.cssText = 'position:fixed;inset:0;background:#fff;z-index:9999';
                box.innerHTML = '<p>Merci de confirmer votre numéro de téléphone avant de continuer.</p>'
                    + '<label>Téléphone <input type="tel" name="tel"></label><button type="button">Envoyer</button>';
                document.body.appendChild(box);
            }""")

    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path), FLOW, observe=cover)

    assert (report.outcome, report.exit_code) == ("needs_human", 5), report.message
    assert validations(replica) == []
    assert "peut-être été enregistrée" not in report.message
    assert "statut" not in (report.next_action or "")
