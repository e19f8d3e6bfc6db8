"""A canary password with every printable ASCII character (``~*!'()`` among them) and accented letters,
through real runs that log in again while they record (the state read back after « VALIDER » once the
session is lost; a recording whose session expires): no artifact holds it in any encoding
(tests/support/encodings.py: trace archives unzipped with their resources, HAR bodies decoded,
reports, run.log)."""

from __future__ import annotations

import json
import string
import zipfile
from pathlib import Path

from loguru import logger

from assistant.recording import record
from assistant.redact import MASK
from assistant.replica import Faults
from assistant.report import write_all
from flows import adhesion
from support import ROOT, replica_settings
from support.encodings import leaks

CANARY = "Cnry " + string.punctuation + "Zz09éàçÉ"


def canary_replica(make_replica, **config):
    data = json.loads((ROOT / "fixtures" / "accounts.json").read_text(encoding="utf-8"))
    for account in data["accounts"]:
        account["password"] = CANARY
    return make_replica(data=data, **config)


def logins(rep) -> int:
    return sum(1 for e in rep.audit if e.method == "POST" and e.detail == "login")


def test_a_login_again_after_validate_leaves_the_canary_in_no_artifact(make_replica, run_flow, tmp_path):
    rep = canary_replica(make_replica)
    folder = tmp_path / "report"
    folder.mkdir()

    def session_lost_after_validate(shown, step, result):
        if step.number == 5:  # the recap is shown: the session will end with the answer to « VALIDER »
            with rep.state.lock:
                (session,) = rep.state._sessions.values()
                rep.set_faults(Faults(expire_after_requests=session.requests + 1))

    logger.enable("assistant")
    sink = logger.add(folder / "run.log", level="DEBUG")
    try:
        report = run_flow(replica_settings(rep, "famille.martin", CANARY, report_dir=folder, trace=True),
                          adhesion.FLOW, observe=session_lost_after_validate)
    finally:
        logger.remove(sink)
        logger.disable("assistant")
    write_all(report, folder)

    assert logins(rep) == 2  # the state was read back through a new login, while the trace recorded
    with zipfile.ZipFile(folder / "trace.zip") as trace:
        assert any(b"password=" + MASK.encode() in trace.read(entry) for entry in trace.namelist())
    assert leaks(folder, CANARY) == []
    assert leaks(folder, "famille.martin") == []


def test_a_recording_that_logs_in_again_keeps_no_canary(make_replica, browser, tmp_path):
    rep = canary_replica(make_replica)
    rep.set_faults(Faults(expire_after_requests=4))  # the session is lost on the way: a new login, the flow again
    settings = replica_settings(rep, "famille.martin", CANARY, report_dir=tmp_path / "reports")

    recording = record(settings, tmp_path / "enregistrement", browser=browser)

    assert logins(rep) >= 3 and recording.hars
    assert leaks(tmp_path, CANARY) == []
