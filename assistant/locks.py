"""One writing run per family and portal at a time, across processes.

Two agents (or an agent and the console) starting « activer » for the same family at once must
never both click « VALIDER »: a run that can write takes a lock file for (portal, identifiant)
first; a second one waits for it, then reads the family's state like any run, and finds the
work done. The file's name is a hash: no identifiant in the temporary folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"espace-citoyens-assistant-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextmanager
def family_lock(base_url: str, username: str, *, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the family's lock for the block; ``on_wait`` is told once when another run holds it."""
    key = hashlib.sha256(f"{base_url}\n{username.strip().lower()}".encode("utf-8")).hexdigest()[:32]
    with open(_folder() / f"{key}.lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)  # Ctrl-C interrupts the wait
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
