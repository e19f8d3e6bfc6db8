"""Benchmark of the embedded replica: median latency and requests/s, 1 and 8 concurrent clients.

Loopback only, bounded loops (REQUESTS per scenario), stops by itself:
    .venv/bin/python bench/replica.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.replica import Replica, ReplicaConfig  # noqa: E402


def login(host: str, port: int, base: str) -> str:
    """Log famille.martin in through the classic form; return the Cookie header to reuse."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", base + "Home/AccueilPublic")
    resp = conn.getresponse()
    html = resp.read().decode()
    cookie = resp.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": "famille.martin", "password": "Martin-2026",
                                   "__RequestVerificationToken": token})
    conn.request("POST", base + "Home/Logon", body, {"Cookie": cookie,
                                                      "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    resp.read()
    session = resp.getheader("Set-Cookie").split(";")[0]
    conn.close()
    return f"{cookie}; {session}"


def run(host: str, port: int, path: str, cookie: str | None, clients: int, total: int) -> tuple[float, float]:
    """(median ms, requests/s) of ``total`` GETs of ``path`` spread over ``clients`` keep-alive connections."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // clients

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        mine = []
        for _ in range(per_client):
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append((time.perf_counter() - t0) * 1000)
            if resp.status != 200:
                raise SystemExit(f"unexpected HTTP {resp.status} on {path}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return statistics.median(latencies), len(latencies) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description="Replica benchmark (loopback).")
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (default 2000)")
    args = parser.parse_args()
    with Replica(ReplicaConfig()) as rep:
        host, port = "127.0.0.1", rep.port
        base = f"/{rep.cfg.tenant}/espace-citoyens/"
        cookie = login(host, port, base)
        print(f"replica {rep.base_url}  ({args.requests} requests per scenario)")
        print(f"{'page':<24}{'clients':>8}{'median ms':>12}{'req/s':>10}")
        for label, path, ck in (("Home/AccueilPublic", base + "Home/AccueilPublic", None),
                                ("MonCompte (logged in)", base + "MonCompte", cookie)):
            for clients in (1, 8):
                median, rps = run(host, port, path, ck, clients, args.requests)
                print(f"{label:<24}{clients:>8}{median:>12.2f}{rps:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
