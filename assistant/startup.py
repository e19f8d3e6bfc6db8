"""The command's first moments: SIGINT and SIGTERM while it loads (imports, nothing started yet).

Until :mod:`assistant.interrupts` takes over for the run, a signal ends the process at once with
128 + its number (130 Ctrl-C, 143 SIGTERM) and one French line, **raising nothing**: an exception
raised by a signal handler lands in whatever Python code runs at that instant, and during imports
that may be a class being created, whose ``__set_name__`` wraps it (``RuntimeError: Error calling
__set_name__``, a traceback and exit 1), or a library's ``except BaseException``. ``os._exit`` skips
the interpreter's clean-up, which is right here: no browser, file or report exists yet.

This module imports only the standard library: it runs before anything else of the package.
"""

from __future__ import annotations

import os
import signal
import threading

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_MESSAGE = "\nInterrompu pendant le démarrage : rien n’a été fait.\n".encode("utf-8")


def _exit_at_once(signum: int, frame) -> None:
    try:
        os.write(2, _MESSAGE)
    finally:
        os._exit(128 + signum)


def exit_at_once_on_signals() -> None:
    """Install :func:`_exit_at_once` for SIGINT and SIGTERM (the main thread only can)."""
    if threading.current_thread() is threading.main_thread():
        for sig in SIGNALS:
            signal.signal(sig, _exit_at_once)
