"""How one replica run behaves: ``ReplicaConfig`` (see fixtures/README.md)."""

from __future__ import annotations

import errno
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .faults import Faults
from .skins import Skin, as_skin

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"


@dataclass
class ReplicaConfig:
    """How one replica run behaves (see fixtures/README.md).

    ``skin`` is a preset name (``assistant.replica.SKINS``), a ``Composition`` or a composition
    number; ``composition=N`` is the same as ``skin=N``; ``login_style`` None means the composition's
    own login generation; ``wait_modal_ms`` None means its own duration of the « Merci de
    patienter... » modal; ``state_dir`` keeps the families' changes between runs (persistence is opt-in).
    """

    tenant: str = "grandperigueux"
    login_style: str | None = None
    faults: Faults = field(default_factory=Faults)
    host: str = "127.0.0.1"
    port: int = 0
    outbox_dir: Path | None = None
    data_path: Path | None = None
    data: dict | None = None
    wait_modal_ms: int | None = None
    session_timeout_s: float = 1200
    audit_path: Path | None = None
    fixtures_dir: Path = FIXTURES_DIR
    skin: Skin | str | int = "classique"
    #: a composition number (skins.Composition.from_seed); replaces ``skin`` when given
    composition: int | None = None
    #: a folder that keeps what the families change between runs (store.py); None: in memory, fresh
    state_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.login_style not in (None, "classic", "modal"):
            raise ValueError("login_style must be 'classic' or 'modal'")
        if not self.tenant or not all(c.isalnum() or c == "-" for c in self.tenant):
            raise ValueError("tenant must be a slug (letters, digits, hyphens)")
        self.skin = as_skin(self.skin if self.composition is None else self.composition)


_REASONS = {errno.EEXIST: "un fichier porte déjà ce nom", errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
            errno.EACCES: "permission refusée", errno.EPERM: "permission refusée", errno.EISDIR: "c’est un dossier",
            errno.EROFS: "système de fichiers en lecture seule", errno.ENOSPC: "disque plein"}


class UnwritablePath(ValueError):
    """The outbox folder or the audit file cannot be written (found at start, not at the first write).

    ``setting`` names the ReplicaConfig field (``outbox_dir``, ``audit_path`` or ``state_dir``); the
    message is French.
    """

    def __init__(self, setting: str, path: Path, exc: OSError) -> None:
        self.setting, self.path = setting, path
        what = {"outbox_dir": "boîte d’envoi", "audit_path": "journal d’audit"}.get(setting, "dossier d’état de la réplique")
        reason = _REASONS.get(exc.errno, exc.strerror or str(exc))
        super().__init__(f"{what} « {path} » inaccessible en écriture : {reason}")


def check_writable(cfg: ReplicaConfig) -> None:
    """Create the outbox and state folders and the audit file if need be and prove them writable (UnwritablePath)."""
    for setting in ("outbox_dir", "state_dir"):
        folder = getattr(cfg, setting)
        if folder is None:
            continue
        try:
            Path(folder).mkdir(mode=0o700 if setting == "state_dir" else 0o777, parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise UnwritablePath(setting, Path(folder), exc) from None
    if cfg.audit_path is not None:
        audit = Path(cfg.audit_path)
        try:
            if not audit.parent.exists():  # a file in its place says « not a directory » below
                audit.parent.mkdir(parents=True)
            with audit.open("a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise UnwritablePath("audit_path", audit, exc) from None
