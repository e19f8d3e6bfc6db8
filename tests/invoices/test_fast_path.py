"""The fast path (the page's own background GETs, bounded concurrency) and its fallback to the browser's clicks."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.downloads import is_intact_pdf
from assistant.fetch import Fetched, Get, PortalSession, fetch_all
from assistant.replica import Faults
from support.invoices import list_invoices
from test_listing import expected, fields


@pytest.fixture
def slow_server():
    """A loopback server answering ``/<n>``, recording how many were in flight at once; each answer
    is held until ``hold`` are in flight (or all ``total`` have arrived), so the overlap a test looks
    for happens on every machine, without a sleep (``/bytes`` answers every byte value once; other
    paths, e.g. the favicon, are not counted)."""
    state = {"now": 0, "max": 0, "seen": 0, "hold": 1, "total": 0, "cookies": []}
    gate = threading.Condition()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self):  # noqa: N802
            if not self.path[1:].isdigit():
                body = bytes(range(256)) if self.path == "/bytes" else b"<p>start</p>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "application/octet-stream" if self.path == "/bytes" else "text/html")
                self.end_headers()
                self.wfile.write(body)
                return
            with gate:
                state["now"] += 1
                state["seen"] += 1
                state["max"] = max(state["max"], state["now"])
                state["cookies"].append(self.headers.get("Cookie"))
                gate.notify_all()
                # the timeout only keeps a broken client from hanging the server; it is not waited out
                gate.wait_for(lambda: state["now"] >= state["hold"] or state["seen"] >= state["total"], timeout=30)
            body = self.path.encode()
            with gate:
                state["now"] -= 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


def test_concurrency_is_bounded_and_answers_keep_their_order(context, page, slow_server):
    origin, state = slow_server
    context.add_cookies([{"name": "ASP.NET_SessionIdEC", "value": "abc", "url": origin}])
    page.goto(f"{origin}/start")

    state.update(hold=3, total=12)
    answers = fetch_all(page, [Get(f"{origin}/{i}") for i in range(12)], concurrency=3)

    assert [a.body.decode() for a in answers] == [f"/{i}" for i in range(12)]
    assert state["max"] == 3  # three at once, never more (timings belong to bench/invoices.py)
    assert set(state["cookies"]) == {"ASP.NET_SessionIdEC=abc"}  # the browser context's cookies travel


def test_one_at_a_time_when_asked(page, slow_server):
    origin, state = slow_server
    page.goto(f"{origin}/start")
    answers = fetch_all(page, [Get(f"{origin}/{i}") for i in range(4)], concurrency=1)
    assert [a.status for a in answers] == [200] * 4 and state["max"] == 1


def test_binary_bodies_arrive_byte_for_byte_with_their_headers(page, slow_server):
    origin, _ = slow_server
    page.goto(f"{origin}/start")
    [answer] = fetch_all(page, [Get(f"{origin}/bytes")], concurrency=4)
    assert answer.ok and answer.body == bytes(range(256))
    assert (answer.content_type, answer.final_url) == ("application/octet-stream", f"{origin}/bytes")


def test_a_refused_connection_is_an_answer_not_a_crash(page, slow_server):
    page.goto(f"{slow_server[0]}/start")
    answers = fetch_all(page, [Get("http://127.0.0.1:9/x")], concurrency=2, timeout_ms=3000)
    assert answers[0].status == 0 and answers[0].error


def test_a_closed_page_makes_every_answer_an_error(context, slow_server):
    page = context.new_page()
    page.close()
    answers = fetch_all(page, [Get(f"{slow_server[0]}/{i}") for i in range(2)], concurrency=2)
    assert [a.status for a in answers] == [0, 0] and all(a.error for a in answers)


def test_unexpected_fast_answers_fall_back_to_the_browser_clicks(replica, run_flow, tmp_path, monkeypatch,
                                                                  caplog_loguru):
    def portal_says_something_else(session, gets):
        return [Fetched(g.url, status=503, headers={"content-type": "text/html"}, body=b"<h1>?</h1>") for g in gets]

    monkeypatch.setattr(PortalSession, "fetch_all", portal_says_something_else)

    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=tmp_path / "pdf")

    assert report.outcome == "listed", report.message
    assert fields(run.invoices) == expected("famille.martin")
    assert len(run.fallbacks) == 8 and run.fallbacks[0].endswith("HTTP 503")
    assert sorted(run.downloaded) == sorted(p.name for p in (tmp_path / "pdf").iterdir())
    assert all(is_intact_pdf(p) for p in (tmp_path / "pdf").iterdir()) and len(run.downloaded) == 4
    said = [r.getMessage() for r in caplog_loguru.records]
    assert any("detail answer(s) unexpected" in m and "falling back to the browser's clicks" in m for m in said)
    assert any("PDF answer(s) unexpected" in m for m in said)


def test_session_lost_under_the_fast_path_falls_back_after_one_login(replica, run_flow, tmp_path, monkeypatch):
    # dashboard 1, « Mes factures » 2: the details' background calls then get HTTP 500 [seen behaviour]
    replica.set_faults(Faults(expire_after_requests=2))
    relogin = PortalSession.relogin

    def relogin_and_heal(session, why):
        relogin(session, why)
        replica.set_faults(Faults())

    monkeypatch.setattr(PortalSession, "relogin", relogin_and_heal)

    report, run = list_invoices(run_flow, replica, tmp_path)

    assert report.outcome == "listed", report.message
    assert fields(run.invoices) == expected("famille.martin")
    assert run.relogins == 1
    assert len(run.fallbacks) == 4 and all("HTTP 500" in f for f in run.fallbacks)


def test_browser_only_mode_reads_the_same(replica, run_flow, tmp_path):
    _, fast = list_invoices(run_flow, replica, tmp_path)
    _, slow = list_invoices(run_flow, replica, tmp_path, fast=False)
    assert fields(slow.invoices) == fields(fast.invoices) == expected("famille.martin")
