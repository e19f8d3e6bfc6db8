"""Serves the console on 127.0.0.1 (never another interface) with cheroot, as the replica is served
(:class:`~assistant.replica.http_server.LoopbackServer`, a daemon thread).

The access log goes to the console's log without query strings (the first address carries the
token). ``Console`` is also what the tests start, on a free port. Stopped (Ctrl-C, SIGTERM), the
console takes no more requests and ends the runs under way as interrupted, writing them to its
history (:meth:`RunManager.interrupt`); their event streams end with them.
"""

from __future__ import annotations

import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterable

from loguru import logger

from .. import interrupts
from ..config import ENV_URL, Settings, Timeouts, normalise_base_url, tenant_base_url
from ..errors import ConfigError
from ..replica import Replica, ReplicaConfig
from ..replica.http_server import LoopbackServer
from .app import create_app
from .runs import Commune, RunManager
from .security import Security

HOST = "127.0.0.1"


#: seconds the stop waits for the answers under way once the runs have ended (an event stream ends with its run)
STOP_WAIT_S = 10


def access_log(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: one line per request into loguru (never the terminal), without the query string."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            logger.debug("console {} {} {}", environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), status.split()[0])
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


class Console:
    """The app, its manager and its server: ``with Console(...) as c: c.url``. Serving from construction
    (ConfigError if the port cannot be had)."""

    def __init__(self, runs_dir: Path, communes: list[Commune], *, port: int = 0, machine: Settings | None = None):
        self.security = Security()
        self.manager = RunManager(runs_dir, communes, machine=machine)
        self.app = create_app(self.manager, self.security)
        self.server = LoopbackServer(access_log(self.app), HOST, port, name="console-http", threads=16)
        try:
            self.server.start()
        except OSError as exc:
            raise ConfigError(f"Port {port} indisponible sur {HOST} ({exc.strerror or exc}) : choisir un autre --port.",
                              key="--port") from exc
        self.security.port = self.server.port

    @property
    def url(self) -> str:
        """The address with the token, to open once."""
        return self.security.url()

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.security.port}"

    def start(self) -> "Console":
        """Already serving (see the class): kept for ``with``."""
        return self

    def stop(self) -> None:
        """No more requests, the runs under way interrupted; the server waits for the answers under way, and
        a run's event stream ends with its run: hence the server stops beside the runs' interruption."""
        closing = threading.Thread(target=self.server.stop, name="console-stop", daemon=True)
        closing.start()
        self.manager.interrupt()
        closing.join(timeout=STOP_WAIT_S)

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
            threading.Event().wait()  # the server answers in its own threads; SIGINT/SIGTERM end this wait
        except KeyboardInterrupt:
            print("\nConsole arrêtée.", file=sys.stderr)
        finally:
            with interrupts.deferred():  # the runs under way are written down as interrupted, whatever comes now
                console.stop()
    return 0
