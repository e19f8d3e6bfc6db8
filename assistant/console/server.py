"""Serves the console on 127.0.0.1 (never another interface) with werkzeug's threaded server.

The access log goes to the console's log without query strings (the first address carries the
token). ``Console`` is also what the tests start, on a free port, in a background thread. Stopped
(Ctrl-C, SIGTERM), the console first ends the runs under way as interrupted and writes them to its
history (:meth:`RunManager.interrupt`).
"""

from __future__ import annotations

import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from loguru import logger
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .. import interrupts
from ..config import ENV_URL, Settings, Timeouts, normalise_base_url, tenant_base_url
from ..errors import ConfigError
from ..replica import Replica, ReplicaConfig
from .app import create_app
from .runs import Commune, RunManager
from .security import Security

HOST = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """Access log lines without the query string, into loguru (never the terminal)."""

    def log_request(self, code="-", size="-") -> None:  # noqa: D102
        logger.debug("console {} {} {}", self.command, urlsplit(self.path).path, code)

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002
        logger.debug("console server: {}", (message % args).split("?", 1)[0])


class Console:
    """The app, its manager and its server: ``with Console(...) as c: c.url``."""

    def __init__(self, runs_dir: Path, communes: list[Commune], *, port: int = 0, machine: Settings | None = None):
        self.security = Security()
        self.manager = RunManager(runs_dir, communes, machine=machine)
        self.app = create_app(self.manager, self.security)
        try:
            self.server: BaseWSGIServer = make_server(HOST, port, self.app, threaded=True,
                                                      request_handler=QuietHandler)
        except OSError as exc:
            raise ConfigError(f"Port {port} indisponible sur {HOST} ({exc.strerror}) : choisir un autre --port.",
                              key="--port") from exc
        self.server.daemon_threads = True
        self.security.port = self.server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address with the token, to open once."""
        return self.security.url()

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.security.port}"

    def start(self) -> "Console":
        self._thread = threading.Thread(target=self.server.serve_forever, name="console-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.manager.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "Console":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def communes_for(env: dict[str, str], replica=None, extra: list[str] | None = None) -> list[Commune]:
    """The console's communes: the replica (training) first when started, then the real portals."""
    communes = []
    if replica is not None:
        payer = replica.demo_payer()
        communes.append(Commune("replique", "Réplique de démonstration (formation, familles fictives)",
                                replica.base_url, Timeouts.for_replica(), demo=replica.demo_credentials,
                                demo_payer=payer))
    communes.append(Commune("grandperigueux", "Grand Périgueux (portail réel)", tenant_base_url("grandperigueux")))
    for slug in extra or []:
        communes.append(Commune(slug, f"{slug} (www.espace-citoyens.net)", tenant_base_url(slug)))
    if env.get(ENV_URL):
        url = normalise_base_url(env[ENV_URL])
        if all(c.base_url != url for c in communes):
            communes.append(Commune("configuree", f"Portail configuré ({url})", url))
    return communes


def serve(*, port: int, with_replica: bool, runs_dir: Path, env: dict[str, str], verbose: bool = False,
          extra_communes: list[str] | None = None) -> int:
    """``assistant console``: serve until Ctrl-C; the address with its token is printed once."""
    logger.remove()
    logger.enable("assistant")
    Path(runs_dir).mkdir(parents=True, exist_ok=True)
    logger.add(Path(runs_dir) / "console.log", level="DEBUG", format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level} {message}")
    if verbose:
        logger.add(sys.stderr, level="DEBUG", format="{time:HH:mm:ss} {level} {message}")
    with ExitStack() as stack:
        replica = None
        if with_replica:
            replica = stack.enter_context(Replica(ReplicaConfig()))
        console = Console(runs_dir, communes_for(env, replica, extra_communes), port=port,
                          machine=Settings.from_env(env))
        if console.manager.lock_note:
            print(console.manager.lock_note, file=sys.stderr)
        print("Console des agents (Espace Citoyens)", flush=True)
        print(f"  Ouvrez dans le navigateur de ce poste : {console.url}", flush=True)
        print("  Le jeton ci-dessus donne l’accès : ne le partagez pas. Ctrl-C pour arrêter.", flush=True)
        try:
            console.server.serve_forever()
        except KeyboardInterrupt:
            print("\nConsole arrêtée.", file=sys.stderr)
        finally:
            console.server.server_close()
            with interrupts.deferred():  # the runs under way are written down as interrupted, whatever comes now
                console.manager.interrupt()
    return 0
