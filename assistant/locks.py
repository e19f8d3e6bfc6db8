"""One writing run per family and portal at a time, across processes on this machine.

Ten agents (or an agent and the console) starting « activer » for the same family at once must
never all click « VALIDER »: a run that can write takes a lock file for (portal, identifiant)
before it reads the family's state and keeps it until the state is read back after « VALIDER ».
A second run waits a bounded time (``Settings.lock_wait_s``), then stops with
:class:`~assistant.errors.FamilyBusy` having sent nothing; one that gets the lock reads the
family's state like any run, and finds the work done. The lock files live in the user's state
folder (``$XDG_STATE_HOME/espace-citoyens-assistant/locks``); a file's name is a hash, never the
identifiant. The lock is the operating system's (``flock``, through ``filelock``): a run that
dies releases it.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout
from platformdirs import user_state_path

from .errors import FamilyBusy

APP = "espace-citoyens-assistant"


def lock_folder() -> Path:
    """The user's folder of lock files (created, private)."""
    folder = user_state_path(APP) / "locks"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def lock_path(base_url: str, username: str) -> Path:
    """The lock file of (portal, identifiant): a hash, the identifiant never shows."""
    key = hashlib.sha256(f"{base_url}\n{username.strip().lower()}".encode("utf-8")).hexdigest()[:32]
    return lock_folder() / f"{key}.lock"


@contextmanager
def family_lock(base_url: str, username: str, *, wait_s: float = 120.0,
                on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the family's lock for the block; ``on_wait`` is told once when another run holds it.

    Raises :class:`FamilyBusy` when the lock is still held after ``wait_s`` seconds (Ctrl-C
    interrupts the wait).
    """
    lock = FileLock(lock_path(base_url, username), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        on_wait()
        try:
            lock.acquire(timeout=wait_s, poll_interval=0.1)
        except Timeout:
            raise FamilyBusy(
                f"Une autre exécution est en cours pour cette famille sur ce portail depuis plus de {wait_s:g} s : "
                "rien n’a été envoyé. Relancer quand elle est finie (« assistant statut » dit si l’adhésion "
                "a été faite entre-temps).") from None
    try:
        yield
    finally:
        lock.release()
