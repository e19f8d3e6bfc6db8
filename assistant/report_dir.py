"""The folder a run's report goes to: made for this run alone, checked before logging in, written
at the end whatever happens; and the one check of every folder or file a command writes.

- By default ``reports/<command>-<YYYYmmdd-HHMMSS>``, then ``-2``, ``-3``… for runs started in the
  same second: each is made with one ``mkdir`` (atomic), so two runs never share a folder.
- An explicit ``--report-dir`` must be new, empty, or an earlier report of ours (only the files a
  run writes, ``report.json`` among them): an earlier report is moved to the first free numbered
  sibling (``DIR.1``, ``DIR.2``…), never deleted. Anything else, a file, a folder that cannot be
  written or a name too long is refused with a French :class:`ConfigError` (exit 2).
- :func:`save` writes the report with signals deferred, and says why when it cannot, instead of
  raising: the verdict and the request number are printed all the same.

Every other writer of files goes through the same check before logging in (:func:`ready`, one
:class:`Writer` each: ``guide --out``, ``enregistrer --out``, ``factures --download``, the monitor's
``--dossier``), or :func:`file_ready` for one file (``factures --csv FICHIER``, ``--metrics-file``,
``--history``): a file where a folder is expected, or a folder where a file is, is refused; a file
the command would write over is replaced only when the command wrote it (its proof is there, or its
content is the command's); anything else is refused in French (exit 2), never overwritten.

A file that replaces an earlier one (a downloaded invoice, the guide, a baseline, the last good screenshots)
is written through :func:`replaced` / :func:`write_atomic`: to a new name beside it, renamed over it once
complete, so no reader ever sees half a file and an interrupted write leaves the earlier file whole.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path
from typing import Callable, Iterator

from loguru import logger

from . import interrupts
from .errors import ConfigError, os_reason
from .report import write_all
from .results import RunReport

#: every file a run writes in its report folder (runner, report writer, run.log, diagnostic; a trace being
#: scrubbed, :func:`replaced`'s name)
OUR_FILES = re.compile(r"report\.(json|html)|junit\.xml|run\.log|diagnostic\.json"
                       r"|step-\d+(-failed)?\.(jpeg|html)|trace(-1)?\.zip|\.trace(-1)?\.zip\.[0-9a-f]{8}\.part")


@dataclass
class Saved:
    """Where the report was written (``json``, ``junit``, ``html``), or why it could not be."""

    paths: dict[str, Path] = field(default_factory=dict)
    error: str | None = None


def _shown(folder: Path) -> str:
    text = str(folder)
    return text if len(text) <= 100 else f"{text[:50]}…{text[-40:]}"


def _refused(folder: Path, why: str, key: str, what: str = "Dossier du rapport") -> ConfigError:
    return ConfigError(f"{what} « {_shown(folder)} » inutilisable : {why}. "
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


@dataclass(frozen=True)
class Writer:
    """A command's output in a folder, as :func:`ready` checks it: how messages name the folder and its
    option, the names of the files it writes there (replaced at each run), the files that prove it
    wrote them (``adopt``: the first is written when it takes a folder), and whether the folder holds
    that output alone (``alone``: new, empty, or an earlier output of its own, then moved aside
    (``"move"``, a report), written over (``"keep"``) or refused (``"refuse"``, a recording))."""

    what: str
    key: str
    writes: re.Pattern[str] = re.compile(r"(?!)")
    proofs: tuple[str, ...] = ()
    alone: str | None = None
    adopt: bool = False


REPORT = Writer("Dossier du rapport", "--report-dir", OUR_FILES, ("report.json",), alone="move")


def _proved(folder: Path, writer: Writer) -> bool:
    return any((folder / proof).is_file() for proof in writer.proofs)


def _earlier(folder: Path, writer: Writer) -> bool:
    """Whether ``folder`` holds an earlier output of ``writer`` and nothing else."""
    return _proved(folder, writer) and all(writer.writes.fullmatch(e.name) and e.is_file() for e in folder.iterdir())


def ready(folder: Path, writer: Writer) -> tuple[Path, Path | None]:
    """Make ``folder`` ready for ``writer`` before the run: (the folder, where an earlier output was moved
    or None); a French :class:`ConfigError` (exit 2) when it cannot serve or holds a file ``writer``
    would write over without having written it."""
    folder, moved = Path(folder).expanduser(), None
    try:
        if folder.exists() and not folder.is_dir():
            raise _refused(folder, "c’est un fichier, pas un dossier", writer.key, writer.what)
        if folder.is_dir() and writer.alone and any(folder.iterdir()):
            if writer.alone == "refuse" or not _earlier(folder, writer):
                raise _refused(folder, "il n’est pas vide" + ("" if writer.alone == "refuse" else " et ne contient "
                               "pas une sortie de l’assistant") + " (ses fichiers ne sont ni effacés ni remplacés)",
                               writer.key, writer.what)
            if writer.alone == "move":
                moved = _move_aside(folder)
        elif folder.is_dir() and not _proved(folder, writer):
            theirs = sorted(e.name for e in folder.iterdir() if writer.writes.fullmatch(e.name))
            if theirs:
                raise _refused(folder, f"« {theirs[0]} » y existe déjà et n’a pas été écrit par l’assistant (il "
                               "n’est ni effacé ni remplacé)", writer.key, writer.what)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".ecriture-"):
            pass
        if writer.adopt and not _proved(folder, writer):
            (folder / writer.proofs[0]).touch()
    except OSError as exc:
        raise _refused(folder, os_reason(exc), writer.key, writer.what) from exc
    return folder, moved


def checked(folder: Path, *, one_report: bool, key: str = "--report-dir") -> tuple[Path, Path | None]:
    """``--report-dir`` made ready before the run: with ``one_report`` it holds this run's report only
    (see the module's docstring); without, it is a parent of reports and only has to be a writable folder."""
    return ready(folder, replace(REPORT, key=key) if one_report else Writer(REPORT.what, key))


def _head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a regular file (opened without waiting: a pipe in its place is refused before)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(size)


def file_ready(path: Path, *, what: str, key: str, ours: Callable[[bytes], bool], make_folder: bool = True) -> Path:
    """One file a command writes (``--csv FICHIER``, ``--metrics-file``, ``--history``), checked before the
    run: its folder writable (made unless ``make_folder`` is False), the file absent, empty or one whose
    first bytes ``ours`` says the command wrote; a folder, a pipe or someone else's file in its place:
    a French ConfigError (exit 2)."""
    path = Path(path).expanduser()
    if not make_folder and not path.parent.is_dir():
        raise _refused(path, "son dossier n’existe pas (indiquez un fichier dans un dossier existant et accessible "
                       "en écriture)", key, what)
    try:
        if path.exists():
            if path.is_dir():
                raise _refused(path, "c’est un dossier, pas un fichier", key, what)
            if not stat.S_ISREG(path.stat().st_mode):
                raise _refused(path, "ce n’est pas un fichier ordinaire (tube ou périphérique)", key, what)
            head = _head(path)
            if head and not ours(head):
                raise _refused(path, "ce fichier existe déjà et n’a pas été écrit par l’assistant (il n’est ni "
                               "effacé ni remplacé)", key, what)
    except OSError as exc:
        raise _refused(path, os_reason(exc), key, what) from exc
    ready(path.parent, Writer(what, key))
    return path


def save(report: RunReport, folder: Path) -> Saved:
    """Write ``report`` in ``folder``; a signal waits meanwhile, a failure is returned in French."""
    with interrupts.deferred():
        try:
            return Saved(write_all(report, folder))
        except OSError as exc:
            logger.error("report could not be written in {}: {}", folder, exc)
            where = Path(exc.filename).name if exc.filename else _shown(folder)
            return Saved(error=f"{os_reason(exc)} ({where})")


@contextmanager
def replaced(path: Path) -> Iterator[Path]:
    """A new name beside ``path`` (same folder, hidden) for the block to write; renamed over ``path`` when the
    block ends (``os.replace``: atomic on one file system), removed when it fails. The one atomic write."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str, *, mode: int = 0o666) -> Path:
    """``data`` (text as UTF-8) in ``path`` through :func:`replaced`, on disk before the rename; the new file
    gets ``mode`` less the umask (``0o600``: its owner only)."""
    with replaced(path) as tmp:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
    return path
