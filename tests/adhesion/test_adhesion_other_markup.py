"""The adhesion on a portal nobody here has seen (:mod:`adhesion.stub_portal`): a tile for « Mes
factures », the adhesion in a tab, the question as a drop-down list, a confirmation with or without
a request number (none is never invented: the state read back is the proof)."""

from __future__ import annotations

import json

import pytest

import flows.adhesion
from adhesion.stub_portal import BASE, StubPortal
from assistant.config import Settings, Timeouts
from assistant.report import write_all


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the family's lock file
    return Settings(base_url=BASE, timeouts=Timeouts.for_replica(), trace=False,
                    report_dir=tmp_path / "report").with_credentials("essai", "Secret-1")


@pytest.mark.parametrize("tab", [True, False], ids=["tab", "page"])
def test_the_adhesion_is_sent_once_and_its_number_read(run_flow, context, settings, tab):
    portal = StubPortal(context, tab=tab, number="DEM-2026-88")
    report = run_flow(settings, flows.adhesion.FLOW)
    assert report.outcome == "done", report.steps[-1].error
    assert (report.result.request_number, report.result.verified_choice) == ("DEM-2026-88", "OUI")
    assert [path for path, _ in portal.posts] == ["Home/Logon", "Facturation/Adhesion", "Facturation/Adhesion/Envoi"]
    assert portal.posts[1][1] == {"adh": ["1"]}
    assert (report.result.adhesion_url is None) == tab  # a tab has no address of its own: read back through its link


def test_without_a_request_number_the_state_read_back_is_the_proof(run_flow, context, settings, tmp_path):
    StubPortal(context, number=None)
    report = run_flow(settings, flows.adhesion.FLOW)
    assert report.outcome == "done"
    assert "numéro de demande non affiché" in report.message
    assert (report.result.request_number, report.result.verified_choice) == (None, "OUI")
    write_all(report, tmp_path / "report")
    saved = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert saved["result"].get("request_number") is None
    assert "non affiché" not in json.dumps(saved["result"], ensure_ascii=False)


def test_an_unreadable_state_at_step_2_sends_nothing(run_flow, context, settings):
    portal = StubPortal(context, choice="En cours")
    report = run_flow(settings, flows.adhesion.FLOW)
    assert (report.outcome, report.exit_code) == ("unreadable", 8)
    assert [s.status for s in report.steps][2:] == ["failed", "skipped", "skipped", "skipped", "skipped"]
    assert [path for path, _ in portal.posts] == ["Home/Logon"]


def test_the_read_only_rehearsal_answers_oui_in_the_tab_and_sends_nothing(run_flow, context, settings):
    portal = StubPortal(context)
    report = run_flow(settings, flows.adhesion.LECTURE, rehearse=True)
    assert report.outcome == "rehearsed", report.steps[-1].error
    assert [path for path, _ in portal.posts] == ["Home/Logon"]
