"""The replica over real HTTP: cheroot kept alive, IIS-like headers, bodies it refuses, faults, a stop."""

from __future__ import annotations

import http.client
import socket

import pytest

from assistant.replica import Faults
from replica_helpers import HttpClient


def _until_closed(s: socket.socket) -> bytes:
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    return data


def test_keep_alive_serves_many_requests_on_one_connection(shared):
    conn = http.client.HTTPConnection("127.0.0.1", shared.port, timeout=5)
    base = f"/{shared.cfg.tenant}/espace-citoyens/"
    statuses = []
    for path in ("Home/AccueilPublic", "Content/portal.css", "Page/Inconnue", ""):
        conn.request("GET", base + path)
        resp = conn.getresponse()
        resp.read()
        statuses.append(resp.status)
        assert resp.getheader("Connection") is None
    sock = conn.sock
    conn.request("GET", base)
    conn.getresponse().read()
    assert conn.sock is sock  # still the same TCP connection
    assert statuses == [200, 200, 404, 200]
    conn.close()


def test_iis_like_headers(shared):
    resp = HttpClient(shared).get("Home/AccueilPublic")
    assert resp.headers["server"] == "Microsoft-IIS/10.0"
    assert resp.headers["x-powered-by"] == "ASP.NET"
    assert resp.headers["cache-control"] == "private, no-store"
    assert "werkzeug" not in str(resp.headers).lower() and "python" not in str(resp.headers).lower()


def test_post_after_post_on_one_connection(shared):
    conn = http.client.HTTPConnection("127.0.0.1", shared.port, timeout=5)
    path = f"/{shared.cfg.tenant}/espace-citoyens/Home/LogonAjax"
    for _ in range(2):
        conn.request("POST", path, "username=famille.martin&password=faux&returnUrl=",
                     {"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        assert resp.status == 200 and b'"Status": "KO"' in resp.read()
    conn.close()


def test_oversized_body_is_400_and_closes(shared):
    with socket.create_connection(("127.0.0.1", shared.port), timeout=5) as s:
        s.sendall(f"POST /{shared.cfg.tenant}/espace-citoyens/Home/Logon HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 999999\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 400") and "Connection: close" in head


def test_a_chunked_body_is_400_and_closes(shared):
    with socket.create_connection(("127.0.0.1", shared.port), timeout=5) as s:
        s.sendall(f"POST /{shared.cfg.tenant}/espace-citoyens/Home/Logon HTTP/1.1\r\nHost: 127.0.0.1:{shared.port}\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "8\r\nusername\r\n".encode())
        head = _until_closed(s).split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 400") and "Connection: close" in head


def test_faults_answer_through_the_server_and_keep_the_connection(make_replica):
    rep = make_replica(faults=Faults(error_500={"MonCompte"}, latency_ms={"Home/AccueilPublic": 50}))
    conn = http.client.HTTPConnection("127.0.0.1", rep.port, timeout=10)
    base = f"/{rep.cfg.tenant}/espace-citoyens/"
    statuses, sockets = [], []
    for path in ("Home/AccueilPublic", "MonCompte", "Home/AccueilPublic"):
        conn.request("GET", base + path)
        resp = conn.getresponse()
        statuses.append((resp.status, resp.getheader("Connection"), b"<html" in resp.read().lower()))
        sockets.append(conn.sock)
    assert statuses == [(200, None, True), (500, None, True), (200, None, True)]
    assert sockets[0] is sockets[1] is sockets[2]  # an injected 500 is an answer: the connection stays
    rep.set_faults(Faults(maintenance=True))
    conn.request("GET", base + "MonCompte")
    assert conn.getresponse().status == 503
    conn.close()


def test_a_foreign_host_is_answered_then_its_connection_closed(shared):
    with socket.create_connection(("127.0.0.1", shared.port), timeout=5) as s:
        s.sendall(f"GET /{shared.cfg.tenant}/espace-citoyens/ HTTP/1.1\r\nHost: evil.example\r\n\r\n".encode())
        head = _until_closed(s).split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 400") and "Connection: close" in head


def test_a_stopped_replica_answers_no_connection_kept_alive(make_replica):
    rep = make_replica()
    conn = http.client.HTTPConnection("127.0.0.1", rep.port, timeout=5)
    conn.request("GET", f"/{rep.cfg.tenant}/espace-citoyens/Home/AccueilPublic")
    assert conn.getresponse().read() and conn.sock is not None
    rep.stop()
    with pytest.raises(OSError):  # reset or closed: the portal is down for every connection, old ones too
        conn.request("GET", f"/{rep.cfg.tenant}/espace-citoyens/Home/AccueilPublic")
        conn.getresponse()
    conn.close()
