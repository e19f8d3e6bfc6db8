"""SIGINT and SIGTERM stop a run the way Ctrl-C does, and the run knows which signal came.

A terminal's Ctrl-C, ``kill -INT -PGID`` and most supervisors signal the whole process group:
Chromium and Playwright's driver die with the assistant, so the browser calls under way fail
(« Target closed », « Browser has been closed »…). The handler records the signal before it raises
:class:`KeyboardInterrupt`, so the runner reads whatever fails after it as the interruption, not
as a portal or browser fault. Inside :func:`deferred` (closing the browser, writing the report) a
signal is recorded only: the report of an interrupted run is always written. While Playwright's
event loop runs (dispatching the driver's messages) or one of its callbacks (an event listener, a
route handler, a monitor's rehearsal), the exception is raised by the loop a moment later, not
there: raised there, Playwright would print it as a listener's error or end the loop's greenlet.
Several runs at once on one loop (a monitor's pool, each run in a greenlet of its own declared with
:func:`worker`): the loop raises it in each of them where it waits for the browser (not in the
pool's caller), so that each run ends as interrupted and is recorded as such; a run inside
:func:`deferred` (writing its record) is left to end, and notices the signal at its next step.
Exit code: 128 + the signal's number (130 SIGINT, 143 SIGTERM).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

import greenlet

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = {"received": None, "deferred": 0}
#: the greenlets running at once under one loop (:func:`worker`), each with its own depth of :func:`deferred`
_workers: "dict[greenlet.greenlet, int]" = {}


def _in_playwright_loop() -> bool:
    """Playwright's sync API runs the event loop in a greenlet under the main one, and each callback
    in a greenlet under that: below the main greenlet, an exception raised here would go through
    Playwright's dispatcher, which prints it as a listener's error (a traceback) instead of stopping."""
    return greenlet.getcurrent().parent is not None


def _raise_unless_deferred() -> None:
    if not _state["deferred"]:
        raise KeyboardInterrupt


def _interrupt_workers() -> None:
    """In the loop: raise the interruption in every worker that waits for the browser (none is deferred)."""
    for runner, depth in list(_workers.items()):
        if not depth and not runner.dead and runner is not greenlet.getcurrent():
            runner.throw(KeyboardInterrupt)


def _handler(signum: int, frame) -> None:
    if _state["received"] is None:
        _state["received"] = signum
    if _workers:
        try:
            asyncio.get_running_loop().call_soon_threadsafe(_interrupt_workers)
        except RuntimeError:  # no loop runs (the driver is gone): the workers' calls fail, and see the signal
            pass
        return
    if _state["deferred"]:
        return
    if _in_playwright_loop():
        try:
            # the loop lets a KeyboardInterrupt through; Playwright hands it to the call that waits
            asyncio.get_running_loop().call_soon_threadsafe(_raise_unless_deferred)
            return
        except RuntimeError:  # no loop runs: nothing would swallow it
            pass
    raise KeyboardInterrupt


@contextmanager
def handling() -> Iterator[None]:
    """Handle SIGINT and SIGTERM for the block (main thread only); the previous handlers come back after."""
    previous = {sig: signal.signal(sig, _handler) for sig in SIGNALS}
    _state.update(received=None, deferred=0)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _state.update(received=None, deferred=0)


@contextmanager
def deferred() -> Iterator[None]:
    """A block no signal cuts short (the handler runs in the main thread: other threads change nothing)."""
    me = greenlet.getcurrent()
    if me in _workers:
        _workers[me] += 1
        try:
            yield
        finally:
            _workers[me] -= 1
        return
    main = threading.current_thread() is threading.main_thread()
    _state["deferred"] += main
    try:
        yield
    finally:
        _state["deferred"] -= main


@contextmanager
def worker() -> Iterator[None]:
    """The block runs in a greenlet of its own among several on one loop (a monitor's pool, main thread):
    a signal is raised in it where it waits for the browser (:func:`_interrupt_workers`)."""
    me = greenlet.getcurrent()
    _workers[me] = 0
    try:
        yield
    finally:
        _workers.pop(me, None)


def received() -> int | None:
    """The first signal received under :func:`handling`, or None."""
    return _state["received"]


def exit_code() -> int:
    """130 after SIGINT (or a plain KeyboardInterrupt), 143 after SIGTERM."""
    return 128 + (received() or signal.SIGINT)


def reason() -> str:
    """Who stopped the run, in French, to follow « interrompu par »."""
    if received() == signal.SIGTERM:
        return "le signal SIGTERM (service, superviseur ou arrêt de la machine)"
    return "l’opérateur (Ctrl-C ou SIGINT)"
