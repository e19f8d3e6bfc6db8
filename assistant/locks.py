"""One writing run per family and portal at a time, across the processes and users of this machine.

Ten agents (or an agent and the console) starting « activer » for the same family at once must
never all click « VALIDER »: a run that can write takes the family's lock before it reads the
family's state and keeps it until the state is read back after « VALIDER ». A second run waits a
bounded time (``Settings.lock_wait_s``), then stops with :class:`~assistant.errors.FamilyBusy`
having sent nothing; one that gets the lock reads the family's state like any run, and finds the
work done.

**The key is the portal as the network sees it, not as it was typed** (:func:`portal_keys`):
scheme, host lowercased (IDNA, trailing dot dropped), the default port made explicit, the path
normalised (percent-decoded, ``//``, ``.``, ``..`` and the trailing slash resolved, case folded),
and the host *resolved*: a run locks one key for the host's name and one for each address it
resolves to (every loopback address counts as one), so ``127.0.0.1`` and ``localhost`` meet on the
loopback key, and two names of one server meet on its address. The identifiant is stripped and
case-folded. ``--replica`` runs, whose port changes at every run, are keyed by their training state
folder instead (:func:`replica_scope`). Folding more than the portal does only makes a run wait
(never a second write), so every doubt folds.

**The folder is one for the machine** (:data:`MACHINE_FOLDER`, or ``ASSISTANT_LOCK_DIR``): a sticky
world-writable folder (1777, like ``/tmp``) whose lock files are readable by all (0644): ``flock``
needs a descriptor, not write access, so any user's run can lock a file another user made, and no
user can remove or replace a file they did not make. Lock files are never deleted (an unlinked
lock file is how two holders happen). A file's name is a hash, never the identifiant. The lock is
the operating system's (``flock``): a run that dies releases it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import ipaddress
import os
import socket
import stat
import threading
import time
import unicodedata
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from loguru import logger
from platformdirs import user_state_path

from .config import ENV_LOCK_DIR
from .errors import ConfigError, FamilyBusy, os_reason

APP = "espace-citoyens-assistant"
#: the machine's one folder of lock files (``/var/tmp`` survives reboots and is not per-user)
MACHINE_FOLDER = Path("/var/tmp/espace-citoyens-assistant-locks")
REPLICA_SCOPE = "replica-state:"
DEFAULT_PORTS = {"http": 80, "https": 443}
SHARED_MODE, FILE_MODE = 0o1777, 0o644


# -- the key ------------------------------------------------------------------------------------
def replica_scope(state_dir: Path) -> str:
    """The portal of ``--replica`` runs on the training state in ``state_dir`` (their port changes)."""
    return REPLICA_SCOPE + str(Path(state_dir).expanduser().resolve())


def _path(path: str) -> str:
    """A base path as the server reads it: percent-decoded, ``//`` ``.`` ``..`` resolved, case folded.
    The case: the portal is an ASP.NET site, whose routes ignore case [guess]; folding only merges."""
    segments: list[str] = []
    for segment in unquote(path).split("/"):
        if segment == "..":
            segments = segments[:-1]
        elif segment not in ("", "."):
            segments.append(segment)
    return "/" + "".join(f"{s}/" for s in segments).casefold()


def _host(hostname: str) -> str:
    host = hostname.rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can spell (an IP literal, an odd label): kept as typed, lowercased
        return host


def _addresses(host: str, port: int) -> set[str]:
    """The addresses ``host`` resolves to, loopback ones as one; none when it does not resolve.

    A name that does not resolve here keeps its name key only: the run will not reach the portal
    either, and runs that spell the name the same still meet on it. A name resolving to several
    addresses (round-robin DNS, IPv4 and IPv6) gives a key per address: two spellings that share
    any address wait for each other."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return set()
    found = set()
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        found.add("loopback" if address.is_loopback else str(address))
    return found


def portal_keys(portal: str) -> list[str]:
    """Every key of ``portal`` (a base URL, or a :func:`replica_scope`), sorted."""
    if portal.startswith(REPLICA_SCOPE):
        return [portal]
    parts = urlsplit(portal.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    host = _host(parts.hostname or "")
    where = {f"name={host}"} | {f"address={a}" for a in _addresses(host, port)}
    return sorted(f"{scheme}://{w}:{port}{_path(parts.path)}" for w in where)


def identifiant_key(username: str) -> str:
    """The identifiant as the portal may compare it: trimmed, composed, case folded. Whether the
    portal ignores its case is not known (PORTAL.md says nothing) [guess]: folding only merges."""
    return unicodedata.normalize("NFC", username.strip()).casefold()


def lock_names(portal: str, username: str) -> list[str]:
    """The lock files' names of (portal, identifiant): hashes, in the one order every run takes them."""
    who = identifiant_key(username)
    return sorted(hashlib.sha256(f"{key}\n{who}".encode("utf-8")).hexdigest()[:32] + ".lock"
                  for key in portal_keys(portal))


# -- the folder ---------------------------------------------------------------------------------
def _shared(folder: Path) -> Path:
    """``folder`` made (1777) or checked: a real folder this user can write in, where nobody but a
    file's owner can remove that file (sticky) unless only its owner can write there."""
    try:
        folder.mkdir(mode=SHARED_MODE, parents=True)
        os.chmod(folder, SHARED_MODE)  # mkdir's mode went through the umask
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    others_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if others_write and not info.st_mode & stat.S_ISVTX and info.st_uid != os.geteuid():
        raise PermissionError(errno.EPERM, "writable by others without the sticky bit", str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "not writable", str(folder))
    return folder


def lock_folder(chosen: Path | None = None) -> tuple[Path, str | None]:
    """(the folder of lock files, a French note when it is not the machine's shared one).

    ``chosen`` (``ASSISTANT_LOCK_DIR``) must serve: a French :class:`ConfigError` otherwise. The
    machine's folder that cannot serve (made by another user without the sticky bit, a read-only
    ``/var/tmp``) falls back to this user's state folder, and the note says what is lost."""
    if chosen is not None:
        try:
            return _shared(Path(chosen).expanduser()), None
        except OSError as exc:
            raise ConfigError(f"Dossier des verrous « {chosen} » inutilisable ({os_reason(exc)}) : choisissez-en "
                              f"un autre avec {ENV_LOCK_DIR} ; rien n’a été envoyé.", key=ENV_LOCK_DIR) from None
    try:
        return _shared(MACHINE_FOLDER), None
    except OSError as exc:
        own = user_state_path(APP) / "locks"
        own.mkdir(mode=0o700, parents=True, exist_ok=True)
        return own, (f"Dossier commun des verrous « {MACHINE_FOLDER} » inutilisable ({os_reason(exc)}) : verrous "
                     f"dans « {own} », les exécutions des autres utilisateurs de cette machine ne sont pas vues. "
                     f"Indiquer un dossier commun avec {ENV_LOCK_DIR}.")


# -- the lock -----------------------------------------------------------------------------------
def _open(path: Path) -> int:
    """The lock file's descriptor, read-only (``flock`` needs no more), made readable by all if new."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        # another user's file that this one may not read (or a link planted in its place) blocks the family
        raise ConfigError(f"Verrou de cette famille inutilisable dans « {path.parent} » ({os_reason(exc)}) : rien "
                          f"n’a été envoyé. Un autre utilisateur de cette machine l’a sans doute créé ; choisir un "
                          f"dossier partagé par les seuls agents avec {ENV_LOCK_DIR}.", key=ENV_LOCK_DIR) from None
    info = os.fstat(fd)
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != FILE_MODE:
        os.fchmod(fd, FILE_MODE)  # os.open's mode went through the umask
    return fd


def _locked(fd: int, deadline: float | None) -> bool:
    """Lock ``fd``: at once (``deadline`` None) or before ``deadline`` (monotonic); False: not in time,
    and ``fd`` is then closed (now, or by the helper when it gets the lock too late).

    ``flock`` has no timed wait: a helper thread waits in ``flock`` while this thread waits on an
    event with a time-out, which Ctrl-C interrupts."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        if deadline is None:
            os.close(fd)
            return False
    got, guard, gave_up = threading.Event(), threading.Lock(), threading.Event()

    def wait_in_flock() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with guard:
            if gave_up.is_set():
                os.close(fd)  # got it too late: let it go at once
            else:
                got.set()

    threading.Thread(target=wait_in_flock, name="family-lock", daemon=True).start()
    try:
        got.wait(max(0.0, deadline - time.monotonic()))
    finally:
        with guard:
            if not got.is_set():
                gave_up.set()
    return got.is_set()


def _still_there(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the file ``fd`` locked (its owner may have removed it meanwhile)."""
    try:
        return os.path.samestat(os.lstat(path), os.fstat(fd))
    except FileNotFoundError:
        return False


def _acquire(path: Path, deadline: float | None) -> int | None:
    """``path`` locked (its descriptor), or None when it is held (past ``deadline``, or now if None)."""
    while True:
        fd = _open(path)
        if not _locked(fd, deadline):
            return None
        if _still_there(path, fd):
            return fd
        os.close(fd)  # a file removed while we waited for it: lock the one the name gives now


@contextmanager
def family_lock(portal: str, username: str, *, folder: Path | None = None, wait_s: float = 120.0,
                on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the family's lock for the block; ``on_wait`` is told once when another run holds it.

    ``portal`` is the base URL or a :func:`replica_scope`; ``folder`` the folder of lock files
    (None: :func:`lock_folder`'s). Raises :class:`FamilyBusy` when the lock is still held after
    ``wait_s`` seconds (Ctrl-C interrupts the wait)."""
    if folder is None:
        folder, note = lock_folder()
        if note:
            logger.warning("family locks not shared with the machine's other users: {}", folder)
    deadline, waiting = time.monotonic() + wait_s, False
    with ExitStack() as held:
        for name in lock_names(portal, username):  # one order for every run: no two runs wait on each other
            fd = _acquire(folder / name, None)
            if fd is None:
                if not waiting:
                    waiting = True
                    on_wait()
                fd = _acquire(folder / name, deadline)
            if fd is None:
                raise FamilyBusy(
                    f"Une autre exécution est en cours pour cette famille sur ce portail depuis plus de {wait_s:g} s : "
                    "rien n’a été envoyé. Relancer quand elle est finie (« assistant statut » dit si l’adhésion "
                    "a été faite entre-temps).")
            held.callback(os.close, fd)
        yield
