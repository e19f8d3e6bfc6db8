"""Plain helpers shared by the test folders (importable as ``support``: see pytest's pythonpath).

- ``replica_settings``: Settings against a replica, with a demo family's credentials;
- ``run_on_replica``: a flow run through the runner (the ``run_flow`` fixture) with its report files;
- ``drive``: a flow's actions in order in a test's own page, as the runner calls them;
- ``python`` / ``assistant`` / ``spawn``: this interpreter, or the ``assistant`` command, in a child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.config import Settings, Timeouts
from assistant.report import write_all
from assistant.steps import EndFlow, Flow, Journey

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = {a["username"]: a for a in json.loads((ROOT / "fixtures/accounts.json").read_text())["accounts"]}
TIMEOUT = 120  # seconds a child process may take on a loaded 2-core machine


def replica_settings(rep, username: str | None = None, password: str | None = None, **kw) -> Settings:
    """Settings against a replica, short timeouts, no trace unless asked (a test about traces asks);
    the demo family's password unless given."""
    kw.setdefault("trace", False)
    settings = Settings(base_url=rep.base_url, timeouts=Timeouts.for_replica(), **kw)
    if username:
        return settings.with_credentials(username, password or ACCOUNTS[username]["password"])
    return settings


def run_on_replica(run_flow, rep, tmp_path, flow, username="famille.martin", password=None, *, rehearse=False,
                   trace=False, **runner_kw):
    """Run ``flow`` for a demo family through ``run_flow`` (the fixture), report files in ``tmp_path/report``."""
    settings = replica_settings(rep, username, password, report_dir=tmp_path / "report", trace=trace)
    report = run_flow(settings, flow, rehearse=rehearse, **runner_kw)
    write_all(report, tmp_path / "report")
    return report


def drive(flow: Flow, page, context, rep, username: str) -> tuple[Journey, str | None]:
    """Play ``flow``'s login and steps in ``page``; each must end on its page. Returns the journey and
    the outcome a step ended the flow with (None when every step ran)."""
    journey = Journey(page=page, context=context, settings=replica_settings(rep, username))
    try:
        journey.current = flow.login.action(journey)
        for step in flow.steps:
            journey.current = step.action(journey)
            assert isinstance(journey.current, step.ends_on)
    except EndFlow as end:
        return journey, end.outcome
    return journey, None


def child_env(env: dict | None) -> dict:
    """The environment of a child process: this one's, minus the developer's ESPACE_CITOYENS_* settings,
    plus ``env``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("ESPACE_CITOYENS_")}, **(env or {})}


def python(*args: str, env: dict | None = None, cwd=None, input: str | None = None,
           timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """Run this interpreter with ``args`` in a child process and wait: text output captured, stdin
    closed unless ``input`` is given (the tests' own Playwright runs in this process)."""
    return subprocess.run([sys.executable, *args], env=child_env(env), cwd=cwd, capture_output=True, text=True,
                          input=input, stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout)


def assistant(*args: str, **kw) -> subprocess.CompletedProcess:
    """The real ``assistant`` command (``python -m assistant``), as :func:`python` runs it."""
    return python("-m", "assistant", *args, **kw)


def spawn(*args: str, env: dict | None = None, cwd=None, **popen_kw) -> subprocess.Popen:
    """Start this interpreter with ``args`` and do not wait (a long-running command, signals): text
    stdout/stderr piped, stdin closed; ``popen_kw`` e.g. ``start_new_session=True``."""
    return subprocess.Popen([sys.executable, *args], env=child_env(env), cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, **popen_kw)
