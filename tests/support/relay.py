"""A TCP relay in front of a replica that goes down at a chosen request, as a portal that dies mid-run.

The relay listens on 127.0.0.1:<port>; the replica is started on :data:`BEHIND` with the same port
(``ReplicaConfig(host=BEHIND, port=relay.port)``), so that it takes the browser's Host header and
addresses as its own; :meth:`Relay.behind` gives the portal's address through the relay. Once a
request line matches ``cut_at`` (method and the path's end, e.g. ``("GET", "MonCompte")``), that
request never reaches the portal, every open connection is reset and the port is closed: the
browser meets a connection reset, then refused, exactly as when the portal's server is killed.
Works for commands run in a child process too (they are given the relay's address). The relay
never reads nor changes what it carries but the request lines.
"""

from __future__ import annotations

import re
import select
import socket
import struct
import threading
from urllib.parse import urlsplit, urlunsplit

#: where the replica listens, on the relay's port: another loopback address of this machine
BEHIND = "127.0.0.2"
REQUEST_LINE = re.compile(rb"(?:^|\r\n)(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) (\S+) HTTP/1\.[01]\r\n")


class Relay:
    """Relays 127.0.0.1:<port> to the replica until a request matches ``cut_at``; then down for good."""

    def __init__(self, cut_at: tuple[str, str] | None = None):
        self.target = None
        self.cut_at = cut_at
        self.seen: list[tuple[str, str]] = []
        self.down = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def behind(self, replica) -> str:
        """Relay to ``replica`` (started on :data:`BEHIND`, this relay's port); the portal's address through it."""
        self.target = urlsplit(replica.base_url)
        assert (self.target.hostname, self.target.port) == (BEHIND, self.port), self.target
        return urlunsplit(self.target._replace(netloc=f"127.0.0.1:{self.port}"))

    def cut(self) -> None:
        """Go down now: reset every open connection, close the port."""
        with self._lock:
            if self.down.is_set():
                return
            self.down.set()
            for sock in [self.listener, *self._sockets]:
                try:
                    # a reset, as the kernel sends for a killed process's connections
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    sock.close()
                except OSError:
                    continue

    def _accept(self) -> None:
        while not self.down.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection((self.target.hostname, self.target.port))
            except OSError:
                client.close()
                continue
            with self._lock:
                if self.down.is_set():
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _matches(self, data: bytes) -> bool:
        for method, target in REQUEST_LINE.findall(data):
            line = (method.decode(), urlsplit(target.decode("latin-1")).path)
            self.seen.append(line)
            if self.cut_at and line[0] == self.cut_at[0] and line[1].lower().endswith(self.cut_at[1].lower()):
                return True
        return False

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        pairs = {client: upstream, upstream: client}
        try:
            while not self.down.is_set():
                ready, _, _ = select.select(list(pairs), [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client and self._matches(data):
                        self.cut()
                        return
                    pairs[sock].sendall(data)
        except (OSError, ValueError):  # closed by cut(): the relay is down
            return
