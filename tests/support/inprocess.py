"""The ``assistant`` command run in this process, as :func:`support.assistant` runs it in a child: what a test
gets back is the same (exit code, stdout, stderr), without the child's start-up (a Python, Playwright's
driver, a Chromium: seconds each on a loaded machine). The ``run_assistant`` fixture (tests/conftest.py)
makes one.

What stays the child's to prove (tests marked ``process``): signals, closed pipes, a terminal or none,
the interpreter's own start-up, several runs at once (locks), a Chromium that cannot start.

Differences kept small: the worker's Chromium (pytest-playwright's ``browser``) stands for the one the
command would launch, its contexts guarded like the tests' own (nothing leaves loopback); the
environment is this one's minus the developer's ``ESPACE_CITOYENS_*`` settings plus ``env``; the working
folder is ``cwd`` (default: the tests' own, as a child's); stdin is ``input`` or empty and not a terminal; ``sys.argv[0]`` is ``assistant/__main__.py``, so suggested commands read
``python -m assistant`` as from a child.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from loguru import logger

from assistant import cli, runner
from assistant.helpdesk import guide
from assistant.monitor import scheduler

MAIN = Path(__file__).resolve().parents[2] / "assistant" / "__main__.py"
#: the modules that launch a Chromium for a command (their ``open_browser``)
LAUNCHERS = (runner, guide, scheduler)


class GuardedBrowser:
    """The worker's browser as a command sees it: every new context keeps its requests on loopback."""

    def __init__(self, browser, escapes, escaped: list[str]):
        self._browser, self._escapes, self._escaped = browser, escapes, escaped

    def new_context(self, **options):
        ctx = self._browser.new_context(**options)
        ctx.route(self._escapes, lambda route: (self._escaped.append(route.request.url), route.abort()))
        return ctx

    def __getattr__(self, name):
        return getattr(self._browser, name)


class InProcess:
    """``run_assistant(*argv, env=None, cwd=None, input=None)`` -> ``subprocess.CompletedProcess``."""

    def __init__(self, browser, escapes, monkeypatch, capsys):
        self.escaped: list[str] = []
        self.browser = GuardedBrowser(browser, escapes, self.escaped)
        self.monkeypatch, self.capsys = monkeypatch, capsys

    @contextmanager
    def _open_browser(self, chromium: str | None = None, *, headless: bool = True):
        yield self.browser  # the worker's: neither launched nor closed here

    def __call__(self, *argv: str, env: dict | None = None, cwd=None, input: str | None = None,
                 timeout: float | None = None) -> subprocess.CompletedProcess:
        with self.monkeypatch.context() as mp:
            for key in [k for k in os.environ if k.startswith("ESPACE_CITOYENS_")]:
                mp.delenv(key)
            for key, value in (env or {}).items():
                mp.setenv(key, value)
            if cwd is not None:
                mp.chdir(cwd)
            mp.setattr(sys, "argv", [str(MAIN), *argv])
            mp.setattr(sys, "stdin", io.StringIO(input or ""))
            for module in LAUNCHERS:
                mp.setattr(module, "open_browser", self._open_browser)
            self.capsys.readouterr()  # what the test printed before is not the command's
            try:
                code = cli.main(list(argv))
            except SystemExit as exc:  # argparse's usage errors, as the interpreter turns them into a code
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                printed = self.capsys.readouterr()
                logger.remove()  # the command's sinks (run.log) end with it, as the child's do
                logger.disable("assistant")
        assert self.escaped == [], f"requests left loopback: {self.escaped}"
        return subprocess.CompletedProcess(["assistant", *argv], code, printed.out, printed.err)
