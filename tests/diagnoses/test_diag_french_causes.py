"""No raw Playwright English reaches the agent: a French cause (name not resolved, connection refused,
certificate, browser closed), the raw text in run.log only; suggested commands carry ``--replica``."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import Error as PlaywrightError

from assistant import cli
from assistant.errors import UNKNOWN_CAUSE, BrowserUnavailable, PortalUnreachable, browser_cause, from_browser
from flows.status import FLOW as STATUS_FLOW
from support import CREDENTIALS, assistant, free_port, replica_settings, suggested

ENGLISH = ("net::", "Page.goto", "BrowserType", "Target page")


def no_english(text: str) -> bool:
    return not any(mark in text for mark in ENGLISH)


@pytest.mark.process  # a child: the name is looked up for real (the suite's contexts abort what leaves loopback)
def test_an_unresolved_name_is_said_in_french_and_logged_raw(tmp_path):
    done = assistant("statut", "--base-url", "http://nonexistent.invalid/grandperigueux/espace-citoyens/",
                     "--report-dir", str(tmp_path / "r"), env=CREDENTIALS)

    assert done.returncode == 3, done.stderr
    assert "le nom du serveur est introuvable" in done.stdout and no_english(done.stdout + done.stderr)
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert no_english(report["message"]) and "nom de la commune" in report["next_action"]
    assert "net::ERR_NAME_NOT_RESOLVED" in (tmp_path / "r" / "run.log").read_text(encoding="utf-8")


def test_a_refused_connection_is_said_in_french(replica, run_flow, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/grandperigueux/espace-citoyens/"
    settings = replace(replica_settings(replica, "famille.martin", report_dir=tmp_path), base_url=closed)

    report = run_flow(settings, STATUS_FLOW)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert "connexion refusée" in report.message and no_english(report.message)
    assert "adresse du portail" in report.next_action


@pytest.fixture
def self_signed(tmp_path):
    """An https server on loopback whose certificate no browser trusts (made by openssl)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a throwaway certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}/grandperigueux/espace-citoyens/"
    server.shutdown()
    server.server_close()


def test_a_refused_certificate_is_said_in_french(replica, run_flow, tmp_path, self_signed):
    settings = replace(replica_settings(replica, "famille.martin", report_dir=tmp_path), base_url=self_signed)

    report = run_flow(settings, STATUS_FLOW)

    assert (report.outcome, report.exit_code) == ("portal_unavailable", 3)
    assert "erreur de certificat" in report.message and no_english(report.message)
    assert "certificat" in report.next_action


@pytest.mark.process
def test_a_browser_that_cannot_start_is_said_in_french(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)

    done = assistant("statut", "--replica", "--report-dir", str(tmp_path / "r"), env={"ASSISTANT_CHROMIUM": str(fake)})

    assert done.returncode == 2
    assert "Chromium n’a pas pu démarrer" in done.stderr and "le navigateur s’est fermé ou a planté" in done.stderr
    assert no_english(done.stdout + done.stderr)


def test_the_last_resort_says_the_cause_in_french(monkeypatch, capsys):
    def closed(argv):
        raise PlaywrightError("BrowserType.launch: Target page, context or browser has been closed")
    monkeypatch.setattr(cli, "_main", closed)

    code = cli.main(["statut"])

    printed = capsys.readouterr()
    assert code == 3
    assert printed.err == "Erreur du navigateur : le navigateur s’est fermé ou a planté.\n"


def test_the_table_types_each_cause_and_an_unknown_one_stays_french():
    error = from_browser(PlaywrightError("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/"), "Ouvrir")
    assert isinstance(error, PortalUnreachable) and error.message.startswith("Ouvrir : connexion refusée")
    assert isinstance(from_browser(PlaywrightError("Page.click: Target crashed"), "Cliquer"), BrowserUnavailable)
    assert browser_cause(PlaywrightError("Page.click: something new happened")) == (UNKNOWN_CAUSE, None)


def test_commands_suggested_after_a_replica_run_carry_replica(run_assistant, tmp_path):
    done = run_assistant("statut", "--replica", "--json", "--report-dir", str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["next_action"] == f"Lancer « {suggested('adhesion --replica')} » pour l’activer."
