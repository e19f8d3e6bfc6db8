"""``assistant surveiller`` as a process: on Playwright's own browser server, one shard of the
tenants, every second until SIGTERM (the run under way ends as interrupted, exit 143), ``/metrics``
served; and an unreachable browser server (exit 3, its address named)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.monitor.history import History
from conftest import CANARY
from support import assistant, spawn

pytestmark = pytest.mark.process  # every test here starts the assistant or the replica as a process

DEADLINE = 120  # seconds any single expected line may take on a loaded 2-core machine
ENV = {"MON_USER": "famille.martin", "MON_PASS": CANARY}  # the tenants' file names these variables


class Lines:
    """A process's stdout, line by line, waited for with a deadline (no sleeps)."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.seen: list[str] = []
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def until(self, pattern: str) -> re.Match:
        while True:
            line = self.queue.get(timeout=DEADLINE)
            assert line is not None, f"process ended before {pattern!r}: {self.seen}"
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found

    def rest(self) -> list[str]:
        while (line := self.queue.get(timeout=DEADLINE)) is not None:
            self.seen.append(line)
        return self.seen


def tenants_file(path: Path, portals) -> Path:
    blocks = [f'[[tenant]]\nname = "{p.tenant.name}"\nbase_url = "{p.tenant.base_url}"\nlogin = "classic"\n'
              f'username_env = "MON_USER"\npassword_env = "MON_PASS"\n' for p in portals]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@pytest.fixture
def browser_server():
    # its own process group: « python -m playwright » runs the server in a Node child, stopped with it
    server = spawn("-m", "playwright", "run-server", "--port", "0", "--host", "127.0.0.1", "--unsafe",
                   start_new_session=True)
    lines = Lines(server)
    try:
        yield lines.until(r"Listening on (ws://\S+)").group(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_shard_on_a_browser_server_every_second_until_sigterm(portal, tmp_path, browser_server):
    portals = [portal("alpha"), portal("beta")]
    path = tenants_file(tmp_path / "communes.toml", portals)
    folder = tmp_path / "surveillance"
    proc = spawn("-m", "assistant", "surveiller", "--tenants", str(path), "--shard", "2/2", "--browser-ws",
                 browser_server, "--every", "1s", "--metrics-port", "0", "--dossier", str(folder), env=ENV, cwd=tmp_path)
    out = Lines(proc)
    assert out.until(r"^Surveillance de (\d+) commune").group(1) == "1"
    metrics_url = out.until(r"^Métriques : (http://\S+)").group(1)
    out.until(r"^✓ beta : nominal")
    with urllib.request.urlopen(metrics_url, timeout=30) as answer:
        exposed = answer.read().decode("utf-8")
    assert 'espace_citoyens_up{tenant="beta"} 1.0' in exposed
    out.until(r"^→ beta : répétition en cours")  # the second cycle has started: stop it now
    proc.send_signal(signal.SIGTERM)
    lines = out.rest()
    assert proc.wait(timeout=DEADLINE) == 143, proc.stderr.read()
    assert any(line.startswith("Surveillance interrompue par le signal SIGTERM") for line in lines), lines
    history = History.open(folder / "historique.sqlite")
    try:
        assert history.tenants() == ["beta"]  # shard 2/2 of alpha, beta
        # the run under way ended as interrupted: the operator's, not the portal's
        assert [r.klass for r in history.last_runs("beta")] == ["interrupted", "ok"]
        assert history.availability("beta", timedelta(hours=1)) == (1.0, 1)
    finally:
        history.close()
    assert not [e for p in portals for e in p.replica.audit if e.method == "POST" and "Valider" in e.route]
    # the CLI's own log (run.log), history, metrics, reports: the test account's password is nowhere
    leaked = [str(f) for f in folder.rglob("*") if f.is_file() and CANARY.encode() in f.read_bytes()]
    assert leaked == [] and (folder / "run.log").is_file()
    assert CANARY not in "\n".join(lines) + proc.stderr.read()


def test_an_unreachable_browser_server_exits_3_naming_it(portal, tmp_path):
    path = tenants_file(tmp_path / "communes.toml", [portal("alpha")])
    done = assistant("surveiller", "--tenants", str(path), "--browser-ws", "ws://127.0.0.1:9/", "--dossier",
                     str(tmp_path / "s"), env=ENV, cwd=tmp_path)
    assert done.returncode == 3
    assert done.stderr.startswith("Erreur : Serveur de navigateur injoignable à ws://127.0.0.1:9/")
    assert "Traceback" not in done.stderr


def test_baseline_records_every_page_of_the_journey_and_notes_the_login_generation(portal, tmp_path):
    import json

    # the file says « classic », the portal shows the modal login: the journey works, the change is noted
    path = tenants_file(tmp_path / "communes.toml", [portal("alpha", skin="moderne", login_style="modal")])
    folder = tmp_path / "s"
    done = assistant("baseline", "--tenants", str(path), "--dossier", str(folder), env=ENV, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Références enregistrées : alpha (dans {folder / 'references'})." in done.stdout
    assert "connexion : « Mon espace perso » (modale) au lieu de formulaire classique" in done.stdout
    reference = json.loads((folder / "references" / "alpha.json").read_text(encoding="utf-8"))
    assert [p["step"] for p in reference["pages"]] == [1, 2, 3, 4, 5, 6]
    assert reference["pages"][2]["used"] and CANARY not in json.dumps(reference)


def test_a_read_only_rehearsal_sends_nothing_but_the_login(portal, tmp_path):
    """``--lecture``: steps 1 to 4 then the invoice list, no « Aller à l’étape 2 » (a POST) at all."""
    alpha = portal("alpha")
    path = tenants_file(tmp_path / "communes.toml", [alpha])
    done = assistant("surveiller", "--tenants", str(path), "--dossier", str(tmp_path / "s"), "--lecture",
                     env=ENV, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [(e.method, e.route) for e in alpha.replica.audit if e.method != "GET"] == [("POST", "Home/Logon")]
