"""PDF downloads: names, real PDF content, idempotent re-runs, unwritable folder, expired session."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import flows.invoices as invoices_flow
from assistant.downloads import check_writable, is_intact_pdf, looks_like_pdf, pdf_name, store
from assistant.errors import ConfigError
from assistant.invoices.model import Invoice, InvoiceRun
from assistant.fetch import PortalSession
from assistant.replica import Faults
from support.invoices import ACCOUNTS, list_invoices

MARTIN_FILES = ["251201_2025-12-31.pdf", "260101_2026-01-31.pdf", "260102_2026-01-31.pdf", "260103_2026-02-15.pdf"]


def pdfs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_each_pdf_is_saved_as_number_and_issue_date(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=tmp_path / "pdf")

    assert report.outcome == "listed" and report.exit_code == 0
    assert pdfs(tmp_path / "pdf") == MARTIN_FILES
    assert sorted(run.downloaded) == MARTIN_FILES and run.already_there == []
    for inv in run.invoices:
        data = (tmp_path / "pdf" / inv.pdf).read_bytes()
        assert looks_like_pdf(data)
        assert f"Facture N\u00b0 {inv.number}".encode("cp1252") in data  # the invoice's own PDF
    assert "PDF : 4 téléchargé(s), 0 déjà présent(s)" in report.message


def test_a_rerun_downloads_nothing_new(replica, run_flow, tmp_path):
    folder = tmp_path / "pdf"
    list_invoices(run_flow, replica, tmp_path, download_dir=folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=folder)

    assert run.downloaded == [] and sorted(run.already_there) == MARTIN_FILES
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert "0 téléchargé(s), 4 déjà présent(s)" in report.message


def test_a_truncated_file_is_downloaded_again(replica, run_flow, tmp_path):
    folder = tmp_path / "pdf"
    list_invoices(run_flow, replica, tmp_path, download_dir=folder)
    damaged = folder / "260103_2026-02-15.pdf"
    damaged.write_bytes(damaged.read_bytes()[:200])

    _, run = list_invoices(run_flow, replica, tmp_path, download_dir=folder)

    assert run.downloaded == ["260103_2026-02-15.pdf"]
    assert is_intact_pdf(damaged)


def test_unpaid_only_downloads_only_unpaid(replica, run_flow, tmp_path):
    _, run = list_invoices(run_flow, replica, tmp_path, download_dir=tmp_path / "pdf", unpaid_only=True)

    assert pdfs(tmp_path / "pdf") == ["260102_2026-01-31.pdf", "260103_2026-02-15.pdf"]


def test_unwritable_folder_is_refused_before_the_browser_starts(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(ConfigError) as err:
        invoices_flow.listing_flow(invoices_flow.InvoiceOptions(download_dir=blocker / "pdf"))
    assert err.value.key == "--download"
    assert "Dossier de téléchargement" in err.value.message and "n’est pas un dossier" in err.value.message


def test_cli_unwritable_folder_exits_2_before_anything_is_fetched(run_assistant, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    done = run_assistant("factures", "--replica", "--download", str(blocker / "pdf"), "--report-dir",
                         str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Dossier de téléchargement" in done.stderr and "rien n’a été fait sur le portail" in done.stderr
    assert not (tmp_path / "r").exists()  # no run started, so no report either


def test_expired_session_during_pdfs_logs_in_again_once(replica, run_flow, tmp_path):
    # requests of the session: dashboard 1, « Mes factures » 2, details 3-6, PDFs 7-8 then expired
    replica.set_faults(Faults(expire_after_requests=8))

    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=tmp_path / "pdf")

    assert report.outcome == "listed", report.message
    assert run.relogins == 1
    assert pdfs(tmp_path / "pdf") == MARTIN_FILES
    assert all(is_intact_pdf(tmp_path / "pdf" / name) for name in MARTIN_FILES)
    logins = [e for e in replica.audit if e.detail == "login"]
    assert len(logins) == 2


def test_html_instead_of_pdf_after_relogin_is_a_clear_error_without_partial_file(replica, run_flow, tmp_path,
                                                                                monkeypatch):
    replica.set_faults(Faults(expire_after_requests=6))  # every PDF comes back as the login page
    relogin = PortalSession.relogin

    def relogin_then_expire_again(session, why):
        relogin(session, why)
        replica.set_faults(Faults(expire_after_requests=1))  # the new session dies at once too

    monkeypatch.setattr(PortalSession, "relogin", relogin_then_expire_again)
    folder = tmp_path / "pdf"

    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=folder)

    assert (report.outcome, report.exit_code) == ("session_expired", 3)
    assert "page HTML au lieu du PDF" in report.message and "aucun fichier partiel" in report.message
    assert run.relogins == 1
    assert pdfs(folder) == []  # neither a PDF nor a temporary file


def test_save_is_atomic_and_names_are_safe(tmp_path, monkeypatch):
    from datetime import date

    assert pdf_name("260101", date(2026, 1, 31)) == "260101_2026-01-31.pdf"
    assert pdf_name("FAC/2026 01", date(2026, 1, 31)) == "FAC-2026-01_2026-01-31.pdf"
    target = tmp_path / "a.pdf"
    run = InvoiceRun()
    store(run, Invoice(id="a"), target, b"%PDF-1.4\n%%EOF\n")
    assert target.read_bytes() == b"%PDF-1.4\n%%EOF\n" and run.downloaded == ["a.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # an invoice is personal: its owner only
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]

    def broken_replace(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store(run, Invoice(id="b"), tmp_path / "b.pdf", b"%PDF-1.4\n%%EOF\n")
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"] and run.downloaded == ["a.pdf"]


def test_check_writable_creates_the_folder(tmp_path):
    assert check_writable(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir() and list((tmp_path / "a" / "b").iterdir()) == []


def test_accounts_used_here_exist():
    assert [i["number"] for i in ACCOUNTS["famille.martin"]["invoices"]] == ["260101", "260102", "260103", "251201"]
