"""Training on the replica: the README's chained workflow (``assistant replica`` in one terminal, the
commands against it in another) and ``payer --replica``'s payment link, which must open."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest
from support import TIMEOUT, assistant, child_env, free_port, read_until, start_assistant, suggested

from assistant.config import ENV_PASSWORD, ENV_USERNAME

pytestmark = pytest.mark.process  # every test here starts the assistant or the replica as a process

PAYFIP_TITLE = "<title>PayFiP - Paiement de vos créances publiques (MODE TEST)</title>"


def fetch(url: str, headers: dict | None = None) -> tuple[int, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:
        return answer.status, answer.read().decode("utf-8")


@pytest.fixture
def served(tmp_path):
    """``assistant replica`` on a free port, as an agent starts it in a first terminal: what it printed."""
    proc = start_assistant("replica", "--port", str(free_port()), "--boite-envoi", str(tmp_path / "outbox"))
    printed = read_until(proc, "Ctrl-C pour arrêter.")
    yield printed
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0 and "Réplique arrêtée." in out, err


def test_adhesion_statut_factures_payer_against_one_running_replica(served, tmp_path):
    base_url = re.search(r"démarrée : (\S+)", served).group(1)
    origin = base_url.split("/grandperigueux/")[0]
    token = re.search(r"des /__replica__/…\) : (\S+)", served).group(1)
    password = re.search(r"famille\.martin\s+mot de passe (\S+)", served).group(1)
    env = {ENV_USERNAME: "famille.martin", ENV_PASSWORD: password}

    def run(*argv: str) -> subprocess.CompletedProcess:
        done = assistant(*argv, "--base-url", base_url, "--report-dir", str(tmp_path / argv[0]), env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    number = re.search(r"N° de demande : (\S+)", run("adhesion", "--yes").stdout).group(1)
    assert json.loads(run("statut", "--json").stdout)["result"]["choice_before"] == "OUI"
    _, account = fetch(origin + "/__replica__/accounts/famille.martin",
                       {"X-Replica-Token": token})
    assert [r["number"] for r in json.loads(account)["requests"]] == [number]  # the request statut read
    unpaid = [i["numero"] for i in json.loads(run("factures", "--json").stdout) if i["statut"] == "à payer"]
    assert unpaid == ["260103", "260102"]

    link = run("payer", "260102").stdout.strip()
    assert link.startswith(origin + "/tpa/paiement.web?") and "refdet=260102" in link
    status, page = fetch(link)
    assert status == 200 and PAYFIP_TITLE in page and "0,50\u00a0€" in page


def test_payer_replica_from_a_terminal_serves_the_link_until_enter(tmp_path):
    controller, terminal = os.openpty()
    with os.fdopen(controller, "wb", buffering=0) as keyboard:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "payer", "260201", "--replica", "--account", "famille.bernard",
             "--report-dir", str(tmp_path / "r")], env=child_env(None), cwd=tmp_path, stdin=terminal,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        os.close(terminal)
        link = read_until(proc, "\n").strip()
        told = read_until(proc, "Ctrl-C) quand la famille ou l’agent a terminé.", stderr=True)
        assert "La réplique reste ouverte pour que le lien de paiement s’ouvre : appuyer sur Entrée" in told

        status, page = fetch(link)  # the command is still running: its replica answers
        assert status == 200 and PAYFIP_TITLE in page and "refdet" in page

        keyboard.write(b"\n")
        _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0 and "Réplique arrêtée : le lien de paiement ne s’ouvre plus." in err
    with pytest.raises(OSError):
        fetch(link)


def test_payer_replica_without_a_terminal_says_how_to_keep_the_link_alive(tmp_path):
    done = assistant("payer", "260201", "--replica", "--account", "famille.bernard", "--report-dir",
                     str(tmp_path / "r"), cwd=tmp_path)

    assert done.returncode == 0 and "/tpa/paiement.web?" in done.stdout, done.stderr
    assert "Attention : ce lien de la réplique ne s’ouvre plus, la réplique s’est arrêtée avec la commande." in done.stderr
    assert (f"lancer « {suggested('replica', tmp_path)} » dans un autre terminal, puis "
            f"« {suggested('payer 260201 --base-url ADRESSE', tmp_path)} »") in done.stderr
