"""Every writer of files goes through the one check of ``--report-dir`` (assistant/report_dir.py): a
file where a folder is expected, a folder where a file is, or a file the command did not write in
its place is refused in French (exit 2) before any login, and never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.cli_invoices import CSV_HEAD
from assistant.config import ENV_PASSWORD, ENV_USERNAME
from assistant.errors import ConfigError
from assistant.helpdesk.guide import GUIDE
from assistant.monitor.options import MONITOR
from assistant.recording import RECORDING
from assistant.monitor.fingerprint import load_baseline, save_baseline
from assistant.report_dir import file_ready, ready, replaced, write_atomic
from flows.invoices import InvoiceOptions, listing_flow
from support import replica_settings

USERS_OWN = "le fichier de quelqu’un, pas de l’assistant"


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_USERNAME, "famille.martin")
    monkeypatch.setenv(ENV_PASSWORD, "Martin-2026")


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def own_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(USERS_OWN, encoding="utf-8")
    return path


def untouched(*paths: Path) -> bool:
    return all(p.read_text(encoding="utf-8") == USERS_OWN for p in paths)


# -- a file where a folder is expected -------------------------------------------------------------
@pytest.mark.parametrize("argv, key", [
    (("guide", "--replica", "--out", "{file}"), "--out"),
    (("enregistrer", "--replica", "--out", "{file}"), "--out"),
    (("factures", "--replica", "--download", "{file}"), "--download"),
    (("surveiller", "--replica", "--dossier", "{file}"), "--dossier"),
    (("baseline", "--replica", "--dossier", "{file}"), "--dossier"),
])
def test_a_file_given_for_a_folder_is_refused_in_french_before_any_login(capsys, tmp_path, argv, key):
    file = own_file(tmp_path / "passwd")
    code, printed = run(capsys, *(a.format(file=file) for a in argv))
    assert code == 2, printed
    assert "c’est un fichier, pas un dossier" in printed and key in printed
    assert "Traceback" not in printed and "NotADirectoryError" not in printed
    assert untouched(file) and not (tmp_path / "reports").exists()


# -- someone's own files in the folder -------------------------------------------------------------
def test_guide_never_writes_over_the_users_own_guide_files(capsys, tmp_path):
    mine = [own_file(tmp_path / "docs" / "guide.html"), own_file(tmp_path / "docs" / "guide.pdf")]
    code, printed = run(capsys, "guide", "--replica", "--out", str(tmp_path / "docs"))
    assert code == 2
    assert "« guide.html » y existe déjà et n’a pas été écrit par l’assistant" in printed
    assert untouched(*mine) and not (tmp_path / "docs" / "rapports").exists()


def test_guide_writes_over_an_earlier_guide_of_its_own(tmp_path):
    folder = tmp_path / "guide"
    folder.mkdir()
    for name in ("guide.html", "guide.pdf", "guide.json"):
        (folder / name).write_text("ancien", encoding="utf-8")
    assert ready(folder, GUIDE) == (folder, None)


def test_guide_writes_beside_other_files_when_none_is_its_own(tmp_path):
    mine = own_file(tmp_path / "docs" / "notes.txt")
    assert ready(tmp_path / "docs", GUIDE)[0] == tmp_path / "docs" and untouched(mine)


def test_a_recording_goes_to_a_new_or_empty_folder_only(tmp_path):
    own_file(tmp_path / "used" / "a.har")
    with pytest.raises(ConfigError) as exc:
        ready(tmp_path / "used", RECORDING)
    assert exc.value.key == "--out" and "il n’est pas vide" in exc.value.message
    assert ready(tmp_path / "new", RECORDING) == (tmp_path / "new", None)


def test_monitor_never_writes_over_a_report_it_did_not_write(capsys, tmp_path):
    mine = own_file(tmp_path / "s" / "rapport.html")
    code, printed = run(capsys, "surveiller", "--replica", "--dossier", str(tmp_path / "s"))
    assert code == 2 and "« rapport.html » y existe déjà et n’a pas été écrit par l’assistant" in printed
    assert untouched(mine)


def test_monitor_takes_a_folder_with_other_files_and_knows_it_afterwards(tmp_path):
    cron = own_file(tmp_path / "s" / "cron.log")  # the README's cron example logs into the monitor's folder
    ready(tmp_path / "s", MONITOR)
    assert (tmp_path / "s" / ".surveillance-assistant").is_file() and untouched(cron)
    (tmp_path / "s" / "rapport.html").write_text("le rapport d’un cycle", encoding="utf-8")
    assert ready(tmp_path / "s", MONITOR)[0] == tmp_path / "s"  # its own report, written over next cycle


def test_an_older_monitors_folder_is_its_own_by_its_history(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "historique.sqlite").write_bytes(b"SQLite format 3\x00")
    (tmp_path / "s" / "rapport.html").write_text("rapport", encoding="utf-8")
    assert ready(tmp_path / "s", MONITOR)[0] == tmp_path / "s"


# -- one file -------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, key", [
    (("factures", "--replica", "--csv", "{file}"), "--csv"),
    (("surveiller", "--replica", "--metrics-file", "{file}", "--dossier", "{tmp}/s"), "--metrics-file"),
    (("surveiller", "--replica", "--history", "{file}", "--dossier", "{tmp}/s"), "--history"),
])
def test_a_file_the_command_did_not_write_is_never_replaced(capsys, tmp_path, argv, key):
    file = own_file(tmp_path / "a-moi.txt")
    code, printed = run(capsys, *(a.format(file=file, tmp=tmp_path) for a in argv))
    assert code == 2, printed
    assert "ce fichier existe déjà et n’a pas été écrit par l’assistant" in printed and key in printed
    assert untouched(file) and not (tmp_path / "reports").exists()


@pytest.mark.parametrize("option", ["--csv", "--metrics-file", "--history"])
def test_a_folder_given_for_a_file_is_refused(capsys, tmp_path, option):
    (tmp_path / "dossier").mkdir()
    argv = (("factures", "--replica") if option == "--csv" else ("surveiller", "--replica", "--dossier",
                                                                 str(tmp_path / "s")))
    code, printed = run(capsys, *argv, option, str(tmp_path / "dossier"))
    assert code == 2 and "c’est un dossier, pas un fichier" in printed


def test_a_pipe_given_for_a_file_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "tube")
    with pytest.raises(ConfigError) as exc:
        file_ready(tmp_path / "tube", what="Fichier CSV", key="--csv", ours=lambda head: True)
    assert "ce n’est pas un fichier ordinaire" in exc.value.message


def test_an_earlier_csv_of_its_own_or_an_empty_file_is_written_over(tmp_path):
    earlier = tmp_path / "factures.csv"
    earlier.write_bytes(CSV_HEAD + "260101;Cantine\r\n".encode("utf-8"))
    empty = tmp_path / "vide.csv"
    empty.touch()
    for path in (earlier, empty):
        assert file_ready(path, what="Fichier CSV", key="--csv", ours=lambda head: head.startswith(CSV_HEAD)) == path


# -- a downloaded invoice's file --------------------------------------------------------------------
def test_a_file_that_is_not_a_pdf_under_an_invoices_name_is_not_replaced(replica, run_flow, tmp_path):
    folder = tmp_path / "pdf"
    mine = own_file(folder / "260103_2026-02-15.pdf")
    flow = listing_flow(InvoiceOptions(download_dir=folder))
    report = run_flow(replica_settings(replica, "famille.martin", report_dir=tmp_path / "r"), flow)
    assert report.exit_code == 0
    assert untouched(mine)
    assert report.result.not_downloaded["260103"] == ("« 260103_2026-02-15.pdf » existe déjà et n’est pas une "
                                                      "facture : non remplacé")
    assert "260103_2026-02-15.pdf" not in report.result.downloaded


def test_a_file_replaced_is_whole_or_untouched(tmp_path):
    """The one atomic write: an interrupted write leaves the earlier file whole and no temporary file behind."""
    target = tmp_path / "guide.json"
    target.write_text("avant", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with replaced(target) as tmp:
            tmp.write_text("à moitié", encoding="utf-8")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "avant" and list(tmp_path.iterdir()) == [target]
    assert write_atomic(target, "après, « é »") == target
    assert target.read_text(encoding="utf-8") == "après, « é »" and list(tmp_path.iterdir()) == [target]


def test_a_baseline_that_cannot_be_renamed_leaves_the_earlier_one(tmp_path, monkeypatch):
    path = tmp_path / "baseline.json"
    save_baseline(path, "grandperigueux", {}, "2026-01-01T00:00:00Z")

    def disk_full(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        save_baseline(path, "grandperigueux", {}, "2026-02-02T00:00:00Z")
    assert load_baseline(path) == {} and "2026-01-01" in path.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [path]
