"""Plain helpers shared by the test folders (importable as ``support``: see pytest's pythonpath).

- ``replica_settings``: Settings against a replica, with a demo family's credentials;
- ``run_on_replica``: a flow run through the runner (the ``run_flow`` fixture) with its report files;
- ``python`` / ``assistant`` / ``spawn`` / ``start_assistant``: this interpreter, or the ``assistant``
  command, in a child process; ``read_until`` reads a running one's output; ``free_port``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from assistant.config import ENV_PASSWORD, ENV_USERNAME, Settings, Timeouts
from assistant.report import write_all
from assistant.suggest import launcher

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = {a["username"]: a for a in json.loads((ROOT / "fixtures/accounts.json").read_text())["accounts"]}
TIMEOUT = 120  # seconds a child process may take on a loaded 2-core machine

_may_start = {"processes": True}


def may_start_processes(allowed: bool) -> None:
    """Said by the suite's conftest for each test: whether it is marked ``process`` (the fast tier's
    promise that it starts none)."""
    _may_start["processes"] = allowed


def _check_may_start(args) -> None:
    if not _may_start["processes"]:
        raise AssertionError(f"this test starts a process ({' '.join(args)}): mark it "
                             "@pytest.mark.process (or its module: pytestmark)")


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


def run_on_replica(run_flow, rep, tmp_path, flow, username="famille.martin", password=None, *, rehearse=False,
                   trace=False, **runner_kw):
    """Run ``flow`` for a demo family through ``run_flow`` (the fixture), report files in ``tmp_path/report``."""
    settings = replica_settings(rep, username, password, report_dir=tmp_path / "report", trace=trace)
    report = run_flow(settings, flow, rehearse=rehearse, **runner_kw)
    write_all(report, tmp_path / "report")
    return report


def child_env(env: dict | None) -> dict:
    """The environment of a child process: this one's, minus the developer's ESPACE_CITOYENS_* settings,
    plus ``env``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("ESPACE_CITOYENS_")}, **(env or {})}


def python(*args: str, env: dict | None = None, cwd=None, input: str | None = None,
           timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """Run this interpreter with ``args`` in a child process and wait: text output captured, stdin
    closed unless ``input`` is given (the tests' own Playwright runs in this process)."""
    _check_may_start(args)
    return subprocess.run([sys.executable, *args], env=child_env(env), cwd=cwd, capture_output=True, text=True,
                          input=input, stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout)


def assistant(*args: str, **kw) -> subprocess.CompletedProcess:
    """The real ``assistant`` command (``python -m assistant``), as :func:`python` runs it."""
    return python("-m", "assistant", *args, **kw)


def spawn(*args: str, env: dict | None = None, cwd=None, **popen_kw) -> subprocess.Popen:
    """Start this interpreter with ``args`` and do not wait (a long-running command, signals): text
    stdout/stderr piped, stdin closed; ``popen_kw`` e.g. ``start_new_session=True``."""
    _check_may_start(args)
    return subprocess.Popen([sys.executable, *args], env=child_env(env), cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, **popen_kw)


def start_assistant(*args: str, env: dict | None = None) -> subprocess.Popen:
    """The ``assistant`` command, started in a process group of its own, as a terminal or a supervisor
    starts it (a signal to the group reaches its Chromium and Playwright's driver too)."""
    return spawn("-m", "assistant", *args, env=env, start_new_session=True)


def read_until(proc: subprocess.Popen, text: str, *, stderr: bool = False) -> str:
    """What ``proc`` printed on stdout (or ``stderr``) up to and including ``text`` (read as it comes)."""
    stream, other = (proc.stderr, proc.stdout) if stderr else (proc.stdout, proc.stderr)
    seen = ""
    while text not in seen:
        char = stream.read(1)
        assert char, f"the command ended before printing {text!r}: {seen}{other.read()}"
        seen += char
    return seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def suggested(command: str, cwd=None) -> str:
    """``command`` as a next action printed by ``python -m assistant`` (run by :func:`assistant` in ``cwd``)
    starts it."""
    main = Path(__file__).parents[2] / "assistant" / "__main__.py"
    return f"{launcher(str(main), cwd=None if cwd is None else str(cwd))} {command}"
