"""``statut`` on a portal nobody here has seen (:mod:`adhesion.stub_portal`): the adhesion as a tab of
the invoices page, the answer as a badge or a drop-down list; a state that cannot be read ends the
run « unreadable » (exit 8) with the page's HTML and screenshot, never « n’est pas activée »."""

from __future__ import annotations

import json

import pytest

import flows.status
from adhesion.stub_portal import BASE, Q, StubPortal
from assistant.config import Settings, Timeouts
from assistant.report import write_all


def settings(tmp_path) -> Settings:
    return Settings(base_url=BASE, timeouts=Timeouts.for_replica(), trace=False,
                    report_dir=tmp_path / "report").with_credentials("essai", "Secret-1")


@pytest.mark.parametrize(("choice", "outcome"), [("Non", "not_adhered"), ("Oui", "already_done")])
def test_statut_reads_the_state_in_a_tab_of_the_invoices_page(run_flow, context, tmp_path, choice, outcome):
    portal = StubPortal(context, choice=choice)
    report = run_flow(settings(tmp_path), flows.status.FLOW)
    assert (report.outcome, report.result.choice_before) == (outcome, choice.upper())
    assert [path for path, _ in portal.posts] == ["Home/Logon"]


def test_an_unknown_word_beside_the_question_ends_unreadable_with_the_evidence(run_flow, context, tmp_path):
    portal = StubPortal(context, choice="Peut-être")
    report = run_flow(settings(tmp_path), flows.status.FLOW)
    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert report.result.choice_before is None
    assert "réponse « Peut-être » non reconnue" in report.steps[-1].error
    assert "pas activée" not in report.message
    write_all(report, tmp_path / "report")
    saved = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    step = saved["steps"][-1]
    assert (saved["outcome"], saved["exit_code"], step["status"]) == ("unreadable", 8, "failed")
    assert (tmp_path / "report" / step["html"]).read_text(encoding="utf-8").count("Peut-être") == 1
    assert (tmp_path / "report" / step["screenshot"]).stat().st_size > 0
    assert "Peut-être" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert [path for path, _ in portal.posts] == ["Home/Logon"]


def test_a_form_with_no_answer_chosen_ends_unreadable_not_non(run_flow, context, tmp_path):
    # read mode shows nothing beside the question; « MODIFIER » opens a list left on « -- Choisir -- »
    portal = StubPortal(context, choice="", read=lambda choice: f"<p class='k'>{Q}</p>")
    report = run_flow(settings(tmp_path), flows.status.FLOW)
    assert report.outcome == "unreadable"
    assert "aucune réponse choisie" in report.steps[-1].error
    assert [path for path, _ in portal.posts] == ["Home/Logon"]
