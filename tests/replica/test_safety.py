"""The replica against the other pages of the agent's browser (Host, Origin, admin token), against
bursts of connections (listen queue), and against an outbox or audit file it cannot write."""

from __future__ import annotations

import http.client
import json
import re
import socket
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.replica import Faults, Replica, ReplicaConfig, UnwritablePath
from assistant.replica.cli import main
from assistant.replica.server import LISTEN_BACKLOG
from replica_helpers import WIZARD, Client, HttpClient


def _raw(rep: Replica, method: str, path: str, headers: dict, body: bytes | None = None):
    """One request with exactly these headers (Host included): (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", rep.port, timeout=10)
    try:
        conn.request(method, path, body, headers)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


# -- item: Host, Origin, admin token ---------------------------------------------------------------
def test_admin_api_wants_the_runs_token(replica):
    client = HttpClient(replica)
    on = json.dumps({"maintenance": True}).encode()
    assert client.post("/__replica__/faults", on, headers={"Content-Type": "application/json"}).status == 401
    assert client.get("/__replica__/audit").status == 401
    assert client.get("/__replica__/accounts/famille.martin").status == 401
    assert client.get("/__replica__/faults", headers={"X-Replica-Token": "faux"}).status == 401
    assert replica.faults.maintenance is False
    bearer = {"Authorization": f"Bearer {replica.admin_token}"}
    assert json.loads(client.get("/__replica__/faults", headers=bearer).text)["maintenance"] is False
    assert client.admin("faults", on).status == 200 and replica.faults.maintenance is True


def test_admin_token_is_new_for_every_replica(make_replica):
    a, b = make_replica(), make_replica()
    assert a.admin_token != b.admin_token and len(a.admin_token) >= 32
    assert HttpClient(a).get("/__replica__/audit", headers=b.admin_headers).status == 401


def test_admin_api_refuses_another_sites_origin(replica):
    client = HttpClient(replica)
    out = client.admin("faults", b'{"maintenance": true}', headers={"Origin": "http://evil.example"})
    assert out.status == 403 and replica.faults.maintenance is False
    assert client.admin("audit", headers={"Origin": "null"}).status == 403
    assert client.admin("audit", headers={"Origin": replica.origin}).status == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost:{other}"])
def test_a_foreign_host_is_refused_everywhere(replica, host):
    host = host.format(port=replica.port, other=replica.port + 1)
    page = f"/{replica.cfg.tenant}/espace-citoyens/Home/AccueilPublic"
    status, body = _raw(replica, "GET", page, {"Host": host})
    assert status == 400 and "Invalid Hostname" in body
    status, _ = _raw(replica, "POST", "/__replica__/faults",
                     {"Host": host, **replica.admin_headers, "Content-Type": "application/json"}, b'{"maintenance": true}')
    assert status == 400 and replica.faults.maintenance is False


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_loopback_names_with_the_own_port_are_served(shared, name):
    page = f"/{shared.cfg.tenant}/espace-citoyens/Home/AccueilPublic"
    assert _raw(shared, "GET", page, {"Host": f"{name}:{shared.port}"})[0] == 200
    assert _raw(shared, "GET", "/__replica__/faults", {"Host": f"{name}:{shared.port}", **shared.admin_headers})[0] == 200


def test_a_post_from_another_site_changes_nothing(replica):
    c = Client(replica)
    c.login()
    wid, token = c.open_wizard()
    form = {"__RequestVerificationToken": token, "IdDemarche": wid, "AdhesionFactureEnLigne": "OUI"}
    refused = c.post(WIZARD, form, headers={"Origin": "http://evil.example"})
    assert refused.status == 500
    assert c.get(f"{WIZARD}/Recapitulatif?IdDemarche={wid}", follow=False).status == 302  # nothing stored
    last = replica.audit[-1]
    assert (last.accepted, last.changed, last.detail) == (False, False, "cross-site origin")
    assert c.post(WIZARD, form, headers={"Origin": "http://localhost"}).status == 200  # its own origin


def test_the_cli_prints_the_admin_token(capsys, tmp_path):
    assert main(["--port", "0", "--arret-apres", "0.1", "--boite-envoi", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Jeton d’administration \(en-tête X-Replica-Token des /__replica__/…\) : [\w-]{43}$", out, re.M)


# -- item: listen queue ------------------------------------------------------------------------------
@pytest.mark.skipif(sys.platform != "linux", reason="reads the queue's size with Linux's TCP_INFO")
def test_listen_queue_is_sized_for_bursts(shared):
    listening = shared._server.socket  # why: the kernel tells the queue's size only to its socket
    info = listening.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    state, = struct.unpack_from("=B", info, 0)
    max_backlog, = struct.unpack_from("=I", info, 28)  # tcpi_sacked holds it on a listening socket
    assert state == 10 and max_backlog == LISTEN_BACKLOG >= 128  # TCP_LISTEN


def test_fifty_parallel_logins_are_all_answered(replica):
    def login(_):
        try:
            return HttpClient(replica).login(follow=False).status
        except OSError as exc:  # a reset connection, a refused one
            return repr(exc)

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(login, range(50)))
    assert statuses == [302] * 50


# -- item: outbox and audit file checked at start ---------------------------------------------------
def test_an_audit_file_under_a_file_is_refused_at_start(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(UnwritablePath, match="journal d’audit .* un élément du chemin n’est pas un dossier") as err:
        Replica(ReplicaConfig(outbox_dir=tmp_path / "outbox", audit_path=tmp_path / "plain" / "audit.jsonl"))
    assert err.value.setting == "audit_path"


def test_an_outbox_that_is_a_file_is_refused_at_start(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(UnwritablePath, match="boîte d’envoi .* un fichier porte déjà ce nom") as err:
        Replica(ReplicaConfig(outbox_dir=tmp_path / "plain"))
    assert err.value.setting == "outbox_dir"


def test_writable_paths_are_made_at_start(tmp_path):
    rep = Replica(ReplicaConfig(outbox_dir=tmp_path / "a" / "outbox", audit_path=tmp_path / "b" / "audit.jsonl",
                                faults=Faults()))
    assert rep.outbox_dir.is_dir() and (tmp_path / "b" / "audit.jsonl").is_file()


@pytest.mark.parametrize("flag,target,needle", [
    ("--journal-audit", "plain/audit.jsonl", "journal d’audit"),
    ("--journal-audit", "dir", "c’est un dossier"),
    ("--boite-envoi", "plain", "boîte d’envoi"),
])
def test_the_cli_exits_2_before_serving(capsys, tmp_path, flag, target, needle):
    (tmp_path / "plain").write_text("x")
    (tmp_path / "dir").mkdir()
    argv = ["--port", "0", "--arret-apres", "0.1", flag, str(tmp_path / target)]
    if flag != "--boite-envoi":
        argv += ["--boite-envoi", str(tmp_path / "outbox")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "assistant replica : erreur : " in captured.err and needle in captured.err
    assert f"avec {flag}" in captured.err and "Traceback" not in captured.err
    assert "démarrée" not in captured.out
