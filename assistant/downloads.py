"""Saving downloaded files safely: a writable folder checked up front (the one check of every writer
of files, :func:`assistant.report_dir.ready`), real PDFs only, no partial file, never a file that is
not a PDF replaced.

A file is written to a temporary name in the target folder and renamed once complete
(:func:`assistant.report_dir.write_atomic`), so an interrupted or refused download never
leaves a half file behind; a file already there and intact is not fetched again
(:func:`wanted_files`), and each file written is recorded on the run (:func:`store`).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from .invoices.model import Invoice, InvoiceRun
from .report_dir import Writer, ready, write_atomic

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
Wanted = list[tuple[Invoice, Path]]


#: the folder of downloaded invoices: any writable folder (an invoice's file is checked on its own)
DOWNLOADS = Writer("Dossier de téléchargement", "--download")


def check_writable(folder: Path | str, *, key: str = "--download") -> Path:
    """Create ``folder`` if needed and prove it is writable; a French :class:`ConfigError` otherwise."""
    return ready(Path(folder), replace(DOWNLOADS, key=key))[0]


def pdf_name(number: str, issued: date) -> str:
    """``<number>_<issue-date>.pdf`` with an ISO date (sorts well, no slash): ``260101_2026-01-31.pdf``."""
    safe = _UNSAFE.sub("-", number).strip("-.") or "facture"
    return f"{safe}_{issued.isoformat()}.pdf"


def looks_like_pdf(data: bytes) -> bool:
    """A complete PDF: the ``%PDF-`` header first and the ``%%EOF`` marker in its last kilobyte."""
    return data.startswith(PDF_MAGIC) and PDF_END in data[-1024:]


def is_intact_pdf(path: Path) -> bool:
    """Whether ``path`` is already a complete PDF (so a re-run need not fetch it again)."""
    try:
        size = path.stat().st_size
        if size < len(PDF_MAGIC) + len(PDF_END):
            return False
        with path.open("rb") as fh:
            head = fh.read(len(PDF_MAGIC))
            fh.seek(max(0, size - 1024))
            tail = fh.read()
    except OSError:
        return False
    return head == PDF_MAGIC and PDF_END in tail


def _a_pdf(path: Path) -> bool:
    """Whether ``path`` is a regular file starting as a PDF does (complete or not)."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with path.open("rb") as fh:
            return fh.read(len(PDF_MAGIC)) == PDF_MAGIC
    except OSError:
        return False


def wanted_files(run: InvoiceRun, folder: Path) -> Wanted:
    """The PDFs to fetch into ``folder``; those already there and intact, or that cannot be named,
    are noted on ``run`` instead."""
    wanted = []
    for inv in run.invoices:
        if inv.number is None or inv.issued is None:
            run.not_downloaded[inv.number or inv.id] = "numéro ou date d’émission illisible : nom de fichier impossible"
            continue
        target = folder / pdf_name(inv.number, inv.issued)
        if is_intact_pdf(target):
            run.already_there.append(target.name)
            inv.pdf = target.name
        elif os.path.lexists(target) and not _a_pdf(target):
            # not a PDF (a damaged download is one): the user's own file, never replaced
            run.not_downloaded[inv.number] = f"« {target.name} » existe déjà et n’est pas une facture : non remplacé"
        else:
            wanted.append((inv, target))
    return wanted


def store(run: InvoiceRun, inv: Invoice, target: Path, data: bytes) -> None:
    """Write one invoice's PDF atomically, for its owner only, and record it on the run."""
    write_atomic(target, data, mode=0o600)
    inv.pdf = target.name
    run.downloaded.append(target.name)
