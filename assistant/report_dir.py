"""The folder a run's report goes to: made for this run alone, checked before logging in, written
at the end whatever happens.

- By default ``reports/<command>-<YYYYmmdd-HHMMSS>``, then ``-2``, ``-3``… for runs started in the
  same second: each is made with one ``mkdir`` (atomic), so two runs never share a folder.
- An explicit ``--report-dir`` must be new, empty, or an earlier report of ours (only the files a
  run writes, ``report.json`` among them): an earlier report is moved to the first free numbered
  sibling (``DIR.1``, ``DIR.2``…), never deleted. Anything else, a file, a folder that cannot be
  written or a name too long is refused with a French :class:`ConfigError` (exit 2).
- :func:`save` writes the report with signals deferred, and says why when it cannot, instead of
  raising: the verdict and the request number are printed all the same.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from loguru import logger

from . import interrupts
from .errors import ConfigError, os_reason
from .report import write_all
from .results import RunReport

#: every file a run writes in its report folder (runner, report writer, run.log, diagnostic)
OUR_FILES = re.compile(r"report\.(json|html)|junit\.xml|run\.log|diagnostic\.json"
                       r"|step-\d+(-failed)?\.(jpeg|html)|trace(-1)?\.(zip|scrubbing)")


@dataclass
class Saved:
    """Where the report was written (``json``, ``junit``, ``html``), or why it could not be."""

    paths: dict[str, Path] = field(default_factory=dict)
    error: str | None = None


def _shown(folder: Path) -> str:
    text = str(folder)
    return text if len(text) <= 100 else f"{text[:50]}…{text[-40:]}"


def _refused(folder: Path, why: str, key: str) -> ConfigError:
    return ConfigError(f"Dossier du rapport « {_shown(folder)} » inutilisable : {why}. "
                       f"Choisissez un autre {key} ; rien n’a été fait sur le portail.", key=key)


def new_folder(root: Path, name: str, *, key: str = "--report-dir") -> Path:
    """``root/name``, else ``root/name-2``, ``-3``…: the first that this call creates itself."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        for n in count(1):
            folder = root / (name if n == 1 else f"{name}-{n}")
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                continue
    except OSError as exc:
        raise _refused(root / name, os_reason(exc), key) from exc
    raise AssertionError("unreachable")


def is_earlier_report(folder: Path) -> bool:
    """Whether ``folder`` holds a report of ours and nothing else."""
    entries = list(folder.iterdir())
    return ((folder / "report.json").is_file()
            and all(OUR_FILES.fullmatch(e.name) and e.is_file() for e in entries))


def _move_aside(folder: Path) -> Path:
    """Rename ``folder`` to its first free numbered sibling; return the new name."""
    for n in count(1):
        sibling = folder.with_name(f"{folder.name}.{n}")
        if sibling.exists():
            continue
        try:
            os.rename(folder, sibling)
            return sibling
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    raise AssertionError("unreachable")


def checked(folder: Path, *, one_report: bool, key: str = "--report-dir") -> tuple[Path, Path | None]:
    """Make ``folder`` ready before the run: (the folder, where an earlier report was moved or None).

    With ``one_report`` it holds this run's report only (see the module's docstring); without, it
    is a parent of reports and only has to be a writable folder.
    """
    folder, moved = Path(folder).expanduser(), None
    try:
        if folder.exists() and not folder.is_dir():
            raise _refused(folder, "c’est un fichier, pas un dossier", key)
        if one_report and folder.is_dir() and any(folder.iterdir()):
            if not is_earlier_report(folder):
                raise _refused(folder, "il n’est pas vide et ne contient pas un rapport de l’assistant "
                                       "(ses fichiers ne sont ni effacés ni remplacés)", key)
            moved = _move_aside(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".ecriture-"):
            pass
    except OSError as exc:
        raise _refused(folder, os_reason(exc), key) from exc
    return folder, moved


def save(report: RunReport, folder: Path) -> Saved:
    """Write ``report`` in ``folder``; a signal waits meanwhile, a failure is returned in French."""
    with interrupts.deferred():
        try:
            return Saved(write_all(report, folder))
        except OSError as exc:
            logger.error("report could not be written in {}: {}", folder, exc)
            where = Path(exc.filename).name if exc.filename else _shown(folder)
            return Saved(error=f"{os_reason(exc)} ({where})")
