"""Fixtures of the monitor's tests: replicas whose skin or faults change between runs, tenants pointing
at them, a webhook receiver on loopback."""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.config import Secret
from assistant.monitor.tenants import Tenant
from assistant.replica import Replica, ReplicaConfig
from support import ROOT

#: a password that must never appear in anything the monitor writes or sends
CANARY = "Canari-7f3a9-Secret"
ACCOUNTS = json.loads((ROOT / "fixtures/accounts.json").read_text(encoding="utf-8"))


class Portal:
    """A replica for one monitored tenant, its test account's password a canary; a test changes it
    between two runs with ``replica.set_skin`` (another markup generation) or ``replica.set_faults``
    (500s, slowness, session expiry, and drift mutations: a control renamed or removed, a text changed)."""

    def __init__(self, folder: Path, name: str, **config):
        data = copy.deepcopy(ACCOUNTS)
        for account in data["accounts"]:
            if account["username"] == "famille.martin":
                account["password"] = CANARY
        config.setdefault("wait_modal_ms", 150)
        self.replica = Replica(ReplicaConfig(data=data, outbox_dir=folder / "outbox", **config))
        self.replica.start()
        self.tenant = Tenant(name, self.replica.base_url, config.get("login_style", "classic"), "U", "P",
                             "famille.martin", Secret(CANARY))

    def stop(self) -> None:
        self.replica.stop()


@pytest.fixture
def portal(tmp_path):
    """``portal("name", skin=..., login_style=...)`` -> a started :class:`Portal` (stopped after the test)."""
    made: list[Portal] = []

    def make(name: str, **config) -> Portal:
        made.append(Portal(tmp_path / f"portal-{name}", name, **config))
        return made[-1]

    yield make
    for p in made:
        p.stop()


class Webhook:
    """A JSON webhook receiver on loopback (what Apprise's ``json://`` posts to)."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/alertes"

    def titles(self) -> list[str]:
        return [r["title"] for r in self.received]


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()
