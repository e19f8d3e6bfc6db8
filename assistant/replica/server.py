"""The replica on loopback: the Flask app served by werkzeug's threaded server in a daemon thread.

``with Replica(ReplicaConfig()) as rep: rep.base_url``. ``Replica(cfg).flask.test_client()``
answers the same requests in-process, without a socket.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app
from .config import FIXTURES_DIR, ReplicaConfig, check_writable
from .faults import Faults
from .guard import ADMIN_HEADER
from .pdf import invoice_pdf_lines  # noqa: F401  (kept importable from here, see fixtures/README.md)
from .portal import Portal
from .skins import Skin, as_skin
from .state import AuditEntry, PortalState, load_data

__all__ = ["FIXTURES_DIR", "LISTEN_BACKLOG", "Replica", "ReplicaConfig"]

# connections the kernel queues before the server accepts them: socketserver's default of 5 reset
# ~2 % of 50 parallel logins; the monitoring bench and parallel test workers open bursts like that
LISTEN_BACKLOG = 128


class _Handler(WSGIRequestHandler):
    """werkzeug's request handler, kept alive, fast and quiet.

    werkzeug's own ``run_wsgi`` closes every connection and then drains the socket for 10 ms;
    browsers and Playwright's request context keep connections alive (a journey is ~30 requests),
    so this one answers with a Content-Length and keeps the connection unless the app asked to
    close it (a body it refused to read: ``replica.close``). The app reads every body it accepts
    whole first (app.AspNetPaths), so the next request line is always where it should be.
    Headers and body go out in separate writes: without TCP_NODELAY, Nagle + delayed ACK would
    hold the body ~40 ms on every keep-alive request.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 30

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.environ = environ = self.make_environ()
        started: list = []

        def start_response(status, headers, exc_info=None):
            started[:] = [status, headers]
            return chunks.append

        chunks: list[bytes] = []
        result = self.server.app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = started
        code, _, reason = status.partition(" ")
        body = b"".join(chunks)
        try:
            self.send_response(int(code), reason)
            names = set()
            for name, value in headers:
                if name.lower() != "connection":
                    self.send_header(name, value)
                    names.add(name.lower())
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            if environ.get("replica.close"):
                self.send_header("Connection", "close")  # also ends this handler's loop
            self.end_headers()
            if environ["REQUEST_METHOD"] != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True

    def send_response(self, code, message=None):  # no second Server header: the app sends IIS's
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def log(self, type, message, *args):  # no access log on stderr
        pass


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
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Replica":
        """Bind (OSError if the port is taken) and serve in a daemon thread."""
        # bound here so a taken port raises OSError (werkzeug would print and sys.exit(1))
        family = socket.AF_INET6 if ":" in self.cfg.host else socket.AF_INET
        sock = socket.create_server((self.cfg.host, self.cfg.port), family=family, backlog=LISTEN_BACKLOG)
        try:
            server = make_server(self.cfg.host, self.cfg.port, self.flask, threaded=True,
                                 request_handler=_Handler, fd=sock.fileno())
        finally:
            sock.close()  # werkzeug serves a duplicate of the descriptor
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="replica-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
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
        return self._server.server_address[1]

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
