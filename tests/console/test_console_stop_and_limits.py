"""The console applies the command line's input limits (an identifiant or a password over 1 kB is
refused in French, before any browser starts), and a console stopped while a run waits for the
agent's confirmation before « VALIDER » records that run as interrupted, listed after a restart."""

from __future__ import annotations

import json
import os
import re
import signal

import pytest
from playwright.sync_api import expect

from support import ACCOUNTS, read_until, spawn
from test_console import TIMEOUT, console, open_console, start  # noqa: F401 - the fixture, used by name

DEADLINE_S = 120


@pytest.mark.parametrize("username, password, said", [
    ("x" * 2000, ACCOUNTS["famille.martin"]["password"], "Identifiant trop long (plus de 1024 caractères)"),
    ("famille.martin", "p" * 1025, "Mot de passe trop long (plus de 1024 caractères)"),
])
def test_credentials_over_the_command_lines_limit_are_refused_before_any_run(console, page, username,  # noqa: F811
                                                                             password, said):
    open_console(page, console)
    start(page, "Diagnostiquer un compte", username, password)

    expect(page.get_by_role("alert")).to_contain_text(said)
    assert console.manager.jobs == {} and list(console.manager.runs_dir.iterdir()) == []
    assert not [e for e in console.replica.audit if e.method == "POST"]  # nothing reached the portal


def serve(tmp_path):
    """``assistant console --replica`` in a process group of its own; its address with the token."""
    proc = spawn("-m", "assistant", "console", "--replica", "--port", "0", "--runs-dir", str(tmp_path / "runs"),
                 cwd=tmp_path, start_new_session=True)
    url = re.search(r"(http://127\.0\.0\.1:\d+/\S+)", read_until(proc, "Ctrl-C pour arrêter")).group(1)
    return proc, url


@pytest.mark.parametrize("sig, group", [(signal.SIGTERM, False), (signal.SIGINT, True)])
@pytest.mark.process
def test_a_console_stopped_while_a_run_waits_for_validate_records_it_interrupted(tmp_path, page, sig, group):
    proc, url = serve(tmp_path)
    try:
        page.goto(url)
        start(page, "Activer la facture en ligne", "famille.martin", ACCOUNTS["famille.martin"]["password"])
        expect(page.get_by_role("alertdialog", name="Confirmation avant « VALIDER »")).to_be_visible(timeout=TIMEOUT)
        (os.killpg if group else os.kill)(proc.pid, sig)
        assert proc.wait(timeout=DEADLINE_S) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "runs").glob("*/run.json")]
    assert (record["outcome"], record["running"], record["action"]) == ("interrupted", False, "activer")
    assert record["exit_code"] == 128 + sig
    assert "« VALIDER » n’a pas été cliqué, rien n’a été envoyé" in record["message"]
    assert "famille.martin" not in json.dumps(record)

    again, url = serve(tmp_path)  # a new console on the same history lists it
    try:
        page.goto(url)
        row = page.get_by_role("row").filter(has_text="Activer la facture en ligne")
        expect(row).to_contain_text("Exécution interrompue par")
    finally:
        os.killpg(again.pid, signal.SIGTERM)
        again.wait(timeout=DEADLINE_S)
