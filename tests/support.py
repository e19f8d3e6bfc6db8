"""Plain helpers shared by the test folders (importable as ``support``: see pytest's pythonpath)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from assistant.config import ENV_PASSWORD, ENV_USERNAME, Settings, Timeouts

ROOT = Path(__file__).resolve().parents[1]
ACCOUNTS = {a["username"]: a for a in json.loads((ROOT / "fixtures/accounts.json").read_text())["accounts"]}


def replica_settings(rep, username: str | None = None, password: str | None = None, **kw) -> Settings:
    """Settings against a replica, short timeouts, no trace unless asked (a test about traces asks);
    the demo family's password unless given."""
    kw.setdefault("trace", False)
    settings = Settings(base_url=rep.base_url, timeouts=Timeouts.for_replica(), **kw)
    if username:
        return settings.with_credentials(username, password or ACCOUNTS[username]["password"])
    return settings


#: the default demo family's credentials, as the command reads them from the environment
CREDENTIALS = {ENV_USERNAME: "famille.martin", ENV_PASSWORD: "Martin-2026"}


def assistant(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command in its own process (it starts its own Playwright and browser)."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, timeout=120)


def start_assistant(*args: str, env: dict | None = None) -> subprocess.Popen:
    """Start the real command in a process group of its own, as a terminal or a supervisor does
    (a signal to the group reaches its Chromium and Playwright's driver too)."""
    return subprocess.Popen([sys.executable, "-m", "assistant", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def read_until(proc: subprocess.Popen, text: str) -> str:
    """What ``proc`` printed on stdout up to and including ``text`` (read as it comes)."""
    seen = ""
    while text not in seen:
        char = proc.stdout.read(1)
        assert char, f"the command ended before printing {text!r}: {seen}{proc.stderr.read()}"
        seen += char
    return seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
