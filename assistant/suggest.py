"""The commands suggested to the agent, written so they can be typed as they are printed.

A next action names commands in French quotes (« assistant statut »). :func:`with_flags` starts each
with the way the agent started the assistant (:func:`launcher`: ``.venv/bin/assistant``,
``.venv/bin/python -m assistant``…) and adds the options that name the run's portal and family
(``Settings.again``: ``--replica --account famille.bernard``, ``--tenant NAME``, ``--base-url URL``) to
every portal command that names no portal of its own.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

#: « assistant statut », « assistant factures --unpaid »: a command suggested to the agent
_SUGGESTED = re.compile(r"« assistant ([a-z][^»]*?)\s*»")
#: commands that do not play on a portal (no portal options)
_NO_PORTAL = re.compile(r"(?:replica|trace)\b")
#: a suggested command holding one of these already names its portal
_WHERE = re.compile(r"(?:^|\s)--(?:replica|base-url|tenant)\b")


def launcher(argv0: str | None = None, executable: str | None = None, cwd: str | None = None) -> str:
    """How the agent started the assistant (``sys.argv[0]``), to start the suggested commands the same way:
    the ``assistant`` script or ``python -m assistant`` as typed from ``cwd``; « assistant » otherwise."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    if os.path.basename(argv0) == "assistant":
        return _typed(argv0, cwd)
    if os.path.basename(argv0) == "__main__.py" and os.path.basename(os.path.dirname(argv0)) == "assistant":
        return f"{_typed(executable or sys.executable, cwd)} -m assistant"
    return "assistant"


def _typed(path: str, cwd: str | None) -> str:
    """``path`` as typed from ``cwd``: relative below it (``.venv/bin/assistant``), absolute otherwise."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, cwd or os.getcwd())
    if relative.startswith(os.pardir):
        return shlex.quote(absolute)
    return shlex.quote(relative if os.sep in relative else os.path.join(os.curdir, relative))


def with_flags(text: str, again: tuple[str, ...] = ()) -> str:
    """``text`` with each command it suggests started as the agent starts the assistant, and ``again``
    added to every portal command that names no portal of its own, so it can be typed as it is."""
    start = launcher()

    def typed(match: re.Match[str]) -> str:
        command = match.group(1)
        if again and not _NO_PORTAL.match(command) and not _WHERE.search(command):
            command = f"{command} {' '.join(shlex.quote(option) for option in again)}"
        return f"« {start} {command} »"
    return _SUGGESTED.sub(typed, text)
