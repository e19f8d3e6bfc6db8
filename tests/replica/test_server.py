"""The replica over real HTTP: werkzeug's server kept alive, IIS-like headers, bodies it refuses."""

from __future__ import annotations

import http.client
import socket

from replica_helpers import HttpClient


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
