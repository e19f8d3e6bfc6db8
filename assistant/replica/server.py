"""The replica on loopback: the Flask app served by cheroot in a daemon thread (http_server.py).

``with Replica(ReplicaConfig()) as rep: rep.base_url``. ``Replica(cfg).flask.test_client()``
answers the same requests in-process, without a socket.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .app import create_app
from .config import FIXTURES_DIR, ReplicaConfig, check_writable
from .faults import Faults
from .guard import ADMIN_HEADER
from .http_server import LISTEN_BACKLOG, LoopbackServer
from .pdf import invoice_pdf_lines  # noqa: F401  (kept importable from here, see fixtures/README.md)
from .portal import Portal
from .skins import Skin, as_skin
from .state import AuditEntry, PortalState, load_data

__all__ = ["FIXTURES_DIR", "LISTEN_BACKLOG", "Replica", "ReplicaConfig"]


class Replica:
    """The portal's stand-in on loopback: ``with Replica(cfg) as rep: rep.base_url``."""

    def __init__(self, cfg: ReplicaConfig | None = None) -> None:
        """UnwritablePath if the outbox folder, the audit file or the state folder cannot be written;
        CorruptState if the state folder holds a file that cannot be read back."""
        self.cfg = cfg or ReplicaConfig()
        check_writable(self.cfg)
        data = self.cfg.data
        if data is None:
            data = load_data(self.cfg.data_path or self.cfg.fixtures_dir / "accounts.json")
        self.state = PortalState(data, self.cfg.session_timeout_s, self.cfg.audit_path, self.cfg.state_dir)
        self._tmp_outbox: str | None = None
        if self.cfg.outbox_dir is None:
            self._tmp_outbox = tempfile.mkdtemp(prefix="replica-outbox-")
            self.outbox_dir = Path(self._tmp_outbox)
        else:
            self.outbox_dir = Path(self.cfg.outbox_dir)
        self.app = Portal(self.cfg, self.state, self.outbox_dir)
        self.flask = create_app(self.app)
        self._server: LoopbackServer | None = None

    def start(self) -> "Replica":
        """Bind (OSError if the port is taken) and serve in a daemon thread."""
        self._server = LoopbackServer(self.flask, self.cfg.host, self.cfg.port, name="replica-http").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._tmp_outbox is not None:
            shutil.rmtree(self._tmp_outbox, ignore_errors=True)
            self._tmp_outbox = None

    def __enter__(self) -> "Replica":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("replica not started")
        return self._server.port

    @property
    def origin(self) -> str:
        return f"http://{self.cfg.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/{self.cfg.tenant}/espace-citoyens/"

    @property
    def admin_token(self) -> str:
        """The admin API's token for this replica (``/__replica__/…`` answers 401 without it)."""
        return self.app.admin_token

    @property
    def admin_headers(self) -> dict[str, str]:
        """The header carrying the admin token, for an HTTP client of the admin API."""
        return {ADMIN_HEADER: self.app.admin_token}

    @property
    def audit(self) -> list[AuditEntry]:
        with self.state.lock:
            return list(self.state.audit)

    @property
    def consents(self) -> list[str]:
        """Every consent choice recorded, in order: « accepted » or « refused » (tracking)."""
        return [e.detail.split()[2] for e in self.audit if e.accepted and e.detail.startswith("consent: tracking ")]

    @property
    def duplicate_validations(self) -> int:
        return self.state.duplicate_validations

    @property
    def faults(self) -> Faults:
        return self.app.faults

    def set_faults(self, faults: Faults) -> None:
        self.app.faults = faults

    @property
    def skin(self) -> Skin:
        return self.app.skin

    def set_skin(self, skin: Skin | str | int) -> None:
        """Serve another composition from the next request on (a preset name, a Composition or a composition
        number; UnknownSkin or ValueError otherwise)."""
        self.app.skin = as_skin(skin)

    def reset(self) -> None:
        """Back to the seed's data, no session, an empty audit (one replica for many examples of a test)."""
        self.state.reset()

    def account(self, username: str) -> dict:
        return self.state.account(username)

    def demo_credentials(self, username: str | None = None) -> tuple[str, str]:
        """(identifiant, mot de passe) of a demo family; by default the seed's first one not yet adhered
        (the same family run after run, whatever a kept state says of it since).

        KeyError names the unknown family; the demo data are fictional and listed in the README.
        """
        with self.state.lock:
            accounts = self.state.accounts
            username = username if username is not None else self.state.default_username or ""
            acc = accounts.get(username.strip().lower())
            if acc is None:
                raise KeyError(username)
            return acc["username"], acc["password"]

    def demo_usernames(self) -> list[str]:
        with self.state.lock:
            return [a["username"] for a in self.state.accounts.values()]

    def demo_payer(self) -> str:
        """A demo family that adheres and has an invoice left to pay (the guide's « Payer » part)."""
        with self.state.lock:
            return next(a["username"] for a in self.state.accounts.values()
                        if a["adhesion"] == "OUI" and any(not inv["paid"] for inv in a["invoices"]))
