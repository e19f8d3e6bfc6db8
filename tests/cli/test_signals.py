"""SIGINT and SIGTERM to the whole process group (a terminal's Ctrl-C, ``kill -INT -PGID``, a
supervisor): the interrupted outcome (130 / 143), a report saying where the run stopped, the
« check with statut » warning once « VALIDER » has begun, and never a traceback.

The replica runs in the test's process, outside the signalled group; a latency on a step's route
holds the run in that step while the signal comes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
from dataclasses import replace

import greenlet
import pytest

from assistant import interrupts
from assistant.config import Timeouts
from assistant.pages.invoices import InvoicesPage
from assistant.replica import Faults
from assistant.runner import Runner
from assistant.steps import Step
from flows.adhesion import FLOW
from support import CREDENTIALS, read_until, replica_settings, start_assistant

VALIDATE = "Demande/NouvelleDemande/FACTURE/ADHESION/Valider"
WARNING = "» avant de relancer"  # « vérifiez avec « <launcher> statut <options> » avant de relancer »


def interrupted_run(replica, tmp_path, sig: int, *, hold: str, at: str):
    """Start ``assistant adhesion --yes`` in its own group, send ``sig`` to the group once ``at`` is printed."""
    replica.set_faults(Faults(latency_ms={hold: 5000}))
    proc = start_assistant("adhesion", "--base-url", replica.base_url, "--yes", "--report-dir", str(tmp_path / "r"),
                           env=CREDENTIALS)
    read_until(proc, at)
    os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=90)
    return proc.returncode, out, err, json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("sig,code,who", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
@pytest.mark.process
def test_a_signal_to_the_group_during_validate_is_the_interruption_with_the_warning(replica, tmp_path, sig, code, who):
    returncode, out, err, report = interrupted_run(replica, tmp_path, sig, hold=VALIDATE, at="[6/6]")

    assert returncode == code, err
    assert "Traceback" not in err
    assert report["outcome"] == "interrupted" and report["exit_code"] == code
    assert report["stopped_at"].startswith("Étape 6")
    assert report["steps"][6]["status"] == "failed" and who in report["steps"][6]["error"]
    assert WARNING in report["message"] and "assistant statut" in report["next_action"]
    # the French verdict on stdout: what happened, the warning, where it stopped, the report
    assert "✗ Parcours interrompu par" in out and who in out and WARNING in out
    assert "Arrêt : Étape 6" in out and f"Rapport : {tmp_path / 'r' / 'report.html'}" in out
    # Chromium died with the signal: no trace, and the report says so
    assert report["trace"] is None and "interruption" in report["trace_lost"]


@pytest.mark.process
def test_sigterm_to_the_command_alone_stops_it_while_the_portal_holds_validate(replica, tmp_path, monkeypatch):
    """A supervisor signals the assistant only (its Chromium lives on) while the portal holds the answer to
    « VALIDER »: the run stops on the signal, not when the click's own time-out ends the wait."""
    held = threading.Event()
    latency_for = Faults.latency_for

    def holding(faults, route):
        delay = latency_for(faults, route)
        if delay:
            held.set()  # the POST behind « VALIDER » has reached the portal, which holds it
        return delay
    monkeypatch.setattr(Faults, "latency_for", holding)
    replica.set_faults(Faults(latency_ms={VALIDATE: 120_000}))
    proc = start_assistant("adhesion", "--base-url", replica.base_url, "--yes", "--report-dir", str(tmp_path / "r"),
                           env=CREDENTIALS)
    read_until(proc, "[6/6]")
    assert held.wait(timeout=60)
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=90)
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))

    assert proc.returncode == 143 and "Traceback" not in err, err
    assert report["outcome"] == "interrupted" and report["stopped_at"].startswith("Étape 6")
    assert report["steps"][6]["duration_s"] < Timeouts().action / 1000, report["steps"][6]


@pytest.mark.process
def test_sigterm_to_the_group_before_validate_is_the_interruption_without_warning(replica, tmp_path):
    returncode, out, err, report = interrupted_run(replica, tmp_path, signal.SIGTERM, hold="MonCompte", at="[1/6]")

    assert returncode == 143 and "Traceback" not in err
    assert report["outcome"] == "interrupted" and report["stopped_at"].startswith("Étape 1")
    assert "SIGTERM" in report["message"] and WARNING not in report["message"]
    assert [s["status"] for s in report["steps"][2:]] == ["skipped"] * 5
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_a_browser_error_after_the_signal_is_the_interruption_not_a_portal_change(replica, run_flow, tmp_path):
    """The signal was recorded where it could not raise (a Playwright callback), then the browser died."""

    def signalled_then_closed(shown, step, result):
        if step.number == 0:
            with interrupts.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
            shown.page.close()  # step 1 then meets « Target page, context or browser has been closed »

    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path / "r")
    with interrupts.handling():
        report = run_flow(settings, FLOW, observe=signalled_then_closed)

    assert report.outcome == "interrupted" and report.exit_code == 143
    assert report.steps[1].status == "failed" and "SIGTERM" in report.steps[1].error
    assert report.stopped_at.startswith("Étape 1") and WARNING not in report.message


def test_a_signal_during_a_playwright_event_listener_is_the_interruption_without_traceback(replica, browser, tmp_path,
                                                                                            caplog):
    """A signal that comes while an event listener runs (a tab's requests are watched): raised there,
    it would end Playwright's dispatcher; it is recorded, and the step ends as the interruption."""

    def signalled_in_a_listener(shown, step, result):
        if step.number != 0:
            return
        signalled = []

        def on_request(request):
            if not signalled and request.is_navigation_request() and "MonCompte" in request.url:
                signalled.append(request.url)
                os.kill(os.getpid(), signal.SIGINT)  # the handler runs now, in Playwright's listener

        shown.page.on("request", on_request)  # step 1's click asks for « Mes factures » (MonCompte)

    # step 1 goes straight to « Mes factures » (a page.goto, as a lost-session reading does): the signal
    # comes while that call waits for its answer
    flow = replace(FLOW, steps=(Step(1, FLOW.steps[0].title, InvoicesPage.open), *FLOW.steps[1:]))
    settings = replica_settings(replica, "famille.martin", report_dir=tmp_path / "r")
    with interrupts.handling():
        # a context of the run's own: the interrupted run closes it, as a real run does
        report = Runner(settings, observe=signalled_in_a_listener).run(flow, browser=browser)

    assert report.outcome == "interrupted" and report.exit_code == 130
    assert report.steps[1].status == "failed" and "Ctrl-C" in report.steps[1].error
    assert [s.status for s in report.steps[2:]] == ["skipped"] * 5
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    browser.new_context().close()  # Playwright itself lived through it


def test_a_signal_while_playwrights_loop_dispatches_is_raised_by_the_loop_not_inside_it():
    """The signal lands in the greenlet where Playwright's loop dispatches the driver's messages (one
    level under the main greenlet): raised there, Playwright's dispatcher printed a traceback."""
    where = []

    async def dispatching():
        try:
            interrupts._handler(signal.SIGINT, None)
        except KeyboardInterrupt:
            where.append("inside the dispatch")
        await asyncio.sleep(0)

    def loop_greenlet():
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(dispatching())
        except KeyboardInterrupt:
            where.append("raised by the loop")
        finally:
            loop.close()

    # a thread of its own: no other event loop (a Playwright fixture's) is registered as running there
    thread = threading.Thread(target=lambda: greenlet.greenlet(loop_greenlet).switch())
    with interrupts.handling():
        thread.start()
        thread.join(timeout=30)
        assert interrupts.received() == signal.SIGINT
    assert where == ["raised by the loop"]
