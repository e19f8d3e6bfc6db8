"""The report folder: one per run by default, an explicit ``--report-dir`` checked before logging in
(never emptied, an earlier report kept aside), and a report that cannot be written still gives
the verdict and the request number."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest

from assistant import cli, cli_common
from assistant.config import ENV_URL
from assistant.report_dir import new_folder
from assistant.results import RunReport
from flows.adhesion import AdhesionResult
from support import CREDENTIALS, free_port


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    """Run in an empty folder with the demo family's credentials (and nothing from the shell)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_URL, raising=False)
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)


def unreachable() -> str:
    return f"http://127.0.0.1:{free_port()}/grandperigueux/espace-citoyens/"


def earlier_report(folder: Path) -> dict[str, str]:
    """A report an earlier run left in ``folder``: its files and their contents."""
    folder.mkdir(parents=True)
    files = {"report.json": json.dumps({"outcome": "done", "result": {"request_number": "2025-000001"}}),
             "report.html": "<p>avant</p>", "run.log": "log", "step-01.jpeg": "jpeg", "trace.zip": "zip"}
    for name, text in files.items():
        (folder / name).write_text(text)
    return files


# -- item 6: default folders -------------------------------------------------------------------
def test_runs_started_in_the_same_second_get_folders_of_their_own(monkeypatch, tmp_path):
    monkeypatch.setattr(cli_common, "stamp", lambda: "20260101-120000")
    args = cli.build_parser().parse_args(["statut", "--base-url", unreachable()])
    with ExitStack() as stack:
        first = cli_common.settings_for(args, CREDENTIALS, stack).report_dir
        second = cli_common.settings_for(args, CREDENTIALS, stack).report_dir

    assert first != second
    assert [first.name, second.name] == ["statut-20260101-120000", "statut-20260101-120000-2"]
    assert first.is_dir() and second.is_dir()  # made at once: no other run can take them


def test_folders_made_at_once_by_many_runs_are_all_distinct(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        folders = list(pool.map(lambda _: new_folder(tmp_path / "reports", "adhesion-20260101-120000"), range(16)))

    assert len(set(folders)) == 16 and all(f.is_dir() for f in folders)


# -- item 5: an explicit --report-dir ----------------------------------------------------------
def test_a_folder_holding_other_files_is_refused_before_logging_in(tmp_path, capsys):
    folder = tmp_path / "mes-papiers"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder")
    (folder / "step-by-step.md").write_text("à garder aussi")
    (folder / "trace.zip").write_text("le mien")

    assert cli.main(["statut", "--base-url", unreachable(), "--report-dir", str(folder)]) == 2  # not 3: no login tried
    err = capsys.readouterr().err
    assert "n’est pas vide" in err and "--report-dir" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "step-by-step.md", "trace.zip"]
    assert (folder / "trace.zip").read_text() == "le mien"


def test_a_folder_whose_report_json_is_a_folder_is_refused_before_logging_in(tmp_path, capsys):
    folder = tmp_path / "r"
    (folder / "report.json").mkdir(parents=True)

    assert cli.main(["adhesion", "--base-url", unreachable(), "--yes", "--report-dir", str(folder)]) == 2
    assert "n’est pas vide" in capsys.readouterr().err


def test_an_earlier_report_is_kept_in_a_numbered_sibling(run_assistant, session_replica, tmp_path):
    folder = tmp_path / "rapport"
    files = earlier_report(folder)
    (tmp_path / "rapport.1").mkdir()
    (tmp_path / "rapport.1" / "autre.txt").write_text("déjà là")

    done = run_assistant("statut", "--base-url", session_replica.base_url, "--report-dir", str(folder), env=CREDENTIALS)

    assert done.returncode == 0, done.stderr
    kept = tmp_path / "rapport.2"
    assert {p.name: p.read_text() for p in kept.iterdir()} == files
    assert f"conservé dans « {kept} »" in done.stderr
    assert json.loads((folder / "report.json").read_text())["flow"] == "statut"
    assert (tmp_path / "rapport.1" / "autre.txt").read_text() == "déjà là"


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder nobody may create (root writes through permissions: a sysfs name then)."""
    if os.geteuid() == 0:
        return Path("/sys/assistant-rapport-test")
    parent = tmp_path / "ro"
    parent.mkdir(mode=0o555)
    return parent / "r"


@pytest.mark.parametrize("case,words", [("file", "c’est un fichier"), ("read_only", "permission refusée"),
                                        ("too_long", "nom trop long")])
def test_an_unusable_report_dir_exits_2_in_french(tmp_path, capsys, case, words):
    if case == "file":
        folder = tmp_path / "rapport.txt"
        folder.write_text("un fichier")
    else:
        folder = _read_only_folder(tmp_path) if case == "read_only" else tmp_path / ("r" * 300)

    assert cli.main(["statut", "--base-url", unreachable(), "--report-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Dossier du rapport" in err and "Traceback" not in err


def test_a_report_that_cannot_be_written_still_prints_the_verdict_and_the_number(monkeypatch, tmp_path, capsys):
    """The run went through « VALIDER »; then its folder stopped taking files."""

    class ValidatedRun:
        def __init__(self, settings, **kwargs):
            self.folder = Path(settings.report_dir)

        def run(self, flow, *, rehearse=False):
            (self.folder / "report.json").mkdir()  # what the report writer then meets
            return RunReport(flow="adhesion", title="Adhésion", outcome="done", exit_code=0,
                             message="La facture en ligne est activée pour cette famille.", next_action="Aucune.",
                             base_url=unreachable(), result=AdhesionResult(request_number="2026-000123"))

    monkeypatch.setattr(cli, "Runner", ValidatedRun)

    assert cli.main(["adhesion", "--base-url", unreachable(), "--yes", "--report-dir", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "✓ La facture en ligne est activée" in out and "N° de demande : 2026-000123" in out
    assert "Rapport non écrit : c’est un dossier (report.json)" in out


# -- issue 12, item 10: run.log -----------------------------------------------------------------
@pytest.mark.browser  # diagnostic launches its own Chromium (before it finds the portal unreachable)
def test_run_log_starts_afresh_with_each_run_in_a_reused_folder(tmp_path):
    """``diagnostic`` writes its report over an earlier one in --report-dir: its run.log too."""
    folder = tmp_path / "diagnostic"
    logs = []
    for _ in range(2):
        assert cli.main(["diagnostic", "--base-url", unreachable(), "--report-dir", str(folder)]) == 3
        logs.append((folder / "run.log").read_text(encoding="utf-8").splitlines())

    first, second = logs
    assert first and second
    assert not set(first) & set(second)  # each line is stamped to the millisecond: none of the first run's
