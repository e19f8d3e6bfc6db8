"""Fixtures of the monitor's tests: replicas on copies of the fixtures (edited to play portal changes),
tenants pointing at them, a webhook receiver on loopback."""

from __future__ import annotations

import copy
import json
import shutil
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


class PortalCopy:
    """A replica serving its own copy of fixtures/pages, so a test can change the portal's markup
    between two runs (Jinja reloads a template whose file changed)."""

    def __init__(self, folder: Path, name: str, **config):
        self.folder = folder
        shutil.copytree(ROOT / "fixtures", folder)
        data = copy.deepcopy(ACCOUNTS)
        for account in data["accounts"]:
            if account["username"] == "famille.martin":
                account["password"] = CANARY
        config.setdefault("wait_modal_ms", 150)
        self.replica = Replica(ReplicaConfig(fixtures_dir=folder, data=data, outbox_dir=folder / "outbox", **config))
        self.replica.start()
        self.tenant = Tenant(name, self.replica.base_url, config.get("login_style", "classic"), "U", "P",
                             "famille.martin", Secret(CANARY))

    def edit(self, page: str, old: str, new: str) -> None:
        path = self.folder / "pages" / page
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {page}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def restore(self, page: str) -> None:
        shutil.copyfile(ROOT / "fixtures" / "pages" / page, self.folder / "pages" / page)

    def stop(self) -> None:
        self.replica.stop()


@pytest.fixture
def portal(tmp_path):
    """``portal("name", login_style=...)`` -> a started :class:`PortalCopy` (stopped after the test)."""
    made: list[PortalCopy] = []

    def make(name: str, **config) -> PortalCopy:
        made.append(PortalCopy(tmp_path / f"portal-{name}", name, **config))
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
