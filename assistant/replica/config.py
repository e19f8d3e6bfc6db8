"""How one replica run behaves: ``ReplicaConfig`` (see fixtures/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .faults import Faults
from .skins import Skin, as_skin

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"


@dataclass
class ReplicaConfig:
    """How one replica run behaves (see fixtures/README.md).

    ``skin`` is a preset name (``assistant.replica.SKINS``) or a ``Skin``; ``wait_modal_ms`` None
    means the skin's own duration of the « Merci de patienter... » modal.
    """

    tenant: str = "grandperigueux"
    login_style: str = "classic"
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
    skin: Skin | str = "classique"

    def __post_init__(self) -> None:
        if self.login_style not in ("classic", "modal"):
            raise ValueError("login_style must be 'classic' or 'modal'")
        if not self.tenant or not all(c.isalnum() or c == "-" for c in self.tenant):
            raise ValueError("tenant must be a slug (letters, digits, hyphens)")
        self.skin = as_skin(self.skin)
