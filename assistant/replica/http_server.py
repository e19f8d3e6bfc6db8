"""A WSGI app on loopback, served by cheroot (CherryPy's HTTP/1.1 server) from a daemon thread.

Used by the replica and by the agents' console. cheroot keeps connections alive (browsers and
Playwright's request context send ~30 requests a journey on a few connections), answers from a pool of
threads while idle keep-alive connections wait in a selector, binds port 0 and tells the port it got,
and stops from another thread. It hands the app the request body unread, so an app that refuses a body
(too large, chunked) answers at once and ends the connection: it marks the request's environ with
:data:`CLOSE` and the answer goes out with ``Connection: close``, the unread body never drained.
(waitress, the other candidate, reads every body whole before the app runs and refuses a
``Connection`` header from the app, so that answer could not be given.)
"""

from __future__ import annotations

import socket
import threading
from typing import Any, Callable

from cheroot import wsgi

__all__ = ["CLOSE", "LISTEN_BACKLOG", "LoopbackServer"]

#: environ key an app sets (to True) to end the connection after its answer
CLOSE = "replica.close"
# connections the kernel queues before the server accepts them: socketserver's default of 5 reset
# ~2 % of 50 parallel logins; the monitoring bench and parallel test workers open bursts like that
LISTEN_BACKLOG = 128
#: requests answered at once (a latency fault holds one thread for its wait); more ones queue
THREADS = 32
#: seconds a connection may stay idle, or take to send a request, before it is closed
IDLE_TIMEOUT_S = 30
#: how often the serving loop looks up (expired connections, a stop): the stop's latency
POLL_S = 0.02


class ClosingGateway(wsgi.Gateway_10):
    """cheroot's WSGI 1.0 gateway; an answer whose request the app marked :data:`CLOSE` ends its connection."""

    def start_response(self, status, headers, exc_info=None):
        if self.env.get(CLOSE):
            # cheroot's documented flag: answered with « Connection: close », the unread body never drained
            self.req.close_connection = True
        return super().start_response(status, headers, exc_info)


class LoopbackServer:
    """``LoopbackServer(app, host, port).start()`` serves ``app`` in a daemon thread until :meth:`stop`.

    :meth:`start` raises OSError (with its errno) if the port cannot be had. Every thread of the server
    is a daemon (made from the serving thread), so a server never stopped never holds the process.
    """

    def __init__(self, app: Callable[..., Any], host: str, port: int, *, name: str, threads: int = THREADS) -> None:
        self.host, self.requested_port, self.name = host, port, name
        self.server = wsgi.Server((host, port), app, numthreads=threads, request_queue_size=LISTEN_BACKLOG,
                                  timeout=IDLE_TIMEOUT_S, shutdown_timeout=1)
        self.server.gateway = ClosingGateway
        self.server.expiration_interval = POLL_S
        self._thread: threading.Thread | None = None
        self._bound = threading.Event()
        self._error: OSError | None = None

    @property
    def port(self) -> int:
        return int(self.server.bind_addr[1])

    @property
    def socket(self) -> socket.socket:
        """The listening socket (while serving)."""
        return self.server.socket

    def _serve(self) -> None:
        try:
            self.server.prepare()
        except OSError as exc:
            self._error = exc
            return
        finally:
            self._bound.set()
        self.server.serve()

    def start(self) -> "LoopbackServer":
        if self.requested_port:  # cheroot's own error names no errno: binding once here tells it (taken, reserved)
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            socket.create_server((self.host, self.requested_port), family=family).close()
        self._thread = threading.Thread(target=self._serve, name=self.name, daemon=True)
        self._thread.start()
        self._bound.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self

    def stop(self) -> None:
        """Close the port and every connection; waits for the answers under way (1 s, then until they end)."""
        self.server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
