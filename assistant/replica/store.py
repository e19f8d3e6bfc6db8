"""The replica's persistent state (opt-in): what the families changed, kept in a folder between runs.

``ReplicaConfig(state_dir=FOLDER)``: the accounts as the families left them (adhesion and its
requests, the request number counter, paid invoices, passwords) live in ``FOLDER/state.json``.
Every change takes the folder's lock file, reads the file again, applies the change and replaces
the file atomically, so two replicas on one folder (``assistant replica`` and a ``--replica`` run,
or two runs at once) never lose each other's changes; a replica reads the file again whenever it
changed on disk. Sessions, wizards, payments under way and the audit stay in memory.

No file (or :func:`reset`) means the seed's data (``fixtures/accounts.json``); a file written from
another seed (the fixtures were updated) is set aside for the new seed's data. Without
``state_dir`` the replica is in memory and fresh at every start, as tests and benches want it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any, Mapping

from filelock import FileLock
from platformdirs import user_state_path

STATE_FILE = "state.json"
VERSION = 1
#: where ``--replica`` runs (and ``assistant replica`` without ``--etat``) keep their state
STATE_ENV = "ASSISTANT_REPLICA_STATE"
APP = "espace-citoyens-assistant"


def default_state_dir(env: Mapping[str, str]) -> Path:
    """``$ASSISTANT_REPLICA_STATE``, else the user's state folder (``$XDG_STATE_HOME/espace-citoyens-assistant/replica``)."""
    chosen = (env.get(STATE_ENV) or "").strip()
    return Path(chosen).expanduser() if chosen else user_state_path(APP) / "replica"


def reset_command(folder: Path) -> str:
    """The one command that brings the seed's data back in ``folder``."""
    return f"assistant replica --reinitialiser --etat {shlex.quote(str(folder))}"


class CorruptState(ValueError):
    """The state file cannot be read back (not JSON, not the replica's shape); the message is French
    and names the folder and the reset command."""

    def __init__(self, folder: Path, detail: str) -> None:
        self.folder = folder
        super().__init__(f"l’état de la réplique dans « {folder} » est illisible ({detail}) ; "
                         f"repartir des données d’origine : {reset_command(folder)}")


def fingerprint(seed: dict[str, Any]) -> str:
    """Which seed a state file was made from."""
    return hashlib.sha256(json.dumps(seed, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


class StateFile:
    """``FOLDER/state.json`` and its lock file ``FOLDER/state.json.lock``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE_FILE
        # one lock object per replica; its threads are already serialised by PortalState.lock
        self.lock = FileLock(str(self.path) + ".lock", thread_local=False)

    def signature(self) -> tuple[int, int, int] | None:
        """What tells one version of the file from another (an atomic replace is a new inode); None: no file."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def read(self) -> dict[str, Any] | None:
        """The snapshot on disk (None: no file); CorruptState when it cannot be read back."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise CorruptState(self.folder, getattr(exc, "strerror", None) or "encodage invalide") from None
        try:
            snapshot = json.loads(text)
        except ValueError:
            raise CorruptState(self.folder, "ce n’est pas du JSON valide") from None
        if not isinstance(snapshot, dict) or snapshot.get("version") != VERSION or not isinstance(snapshot.get("seed"), str):
            raise CorruptState(self.folder, "format inconnu")
        number = snapshot.get("next_request_number")
        if not isinstance(number, int) or number < 1 or not isinstance(snapshot.get("accounts"), list):
            raise CorruptState(self.folder, "compteur de demandes ou comptes manquants")
        return snapshot

    def write(self, snapshot: dict[str, Any]) -> None:
        """Replace the file atomically (a reader sees the old version or the new one, never half)."""
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".state-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(snapshot, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def reset(folder: Path) -> bool:
    """Forget what the families changed in ``folder`` (the seed's data at the next request); True if
    there was something to forget. A replica serving that folder meanwhile picks the seed up too."""
    store = StateFile(folder)
    if not store.folder.is_dir():
        return False
    with store.lock:
        existed = store.path.exists()
        store.path.unlink(missing_ok=True)
    return existed
