"""N rehearsals at once on one browser, with Playwright's sync API: greenlets on its own event loop.

Why greenlets, not threads. A sync Playwright object belongs to the thread that made it, so a
thread per worker needs a Playwright (a Node driver process, ~60 MB) and a browser connection of
its own per thread. The sync API is already built on greenlets: each call creates a task on the
driver connection's event loop and switches to the "dispatcher fiber" that runs that loop until
the task is done, then switches back. So several plain sync programs (one :class:`Runner` each)
can share one driver, one browser and one loop if each runs in a greenlet started *from the loop*:
while one waits for Chromium, the loop runs and resumes whichever greenlet's call finished.
Playwright does exactly this for route and event handlers (``_greenlets.run_in_greenlet``).

Measured on the shared 2-core machine (load average 9 to 15 from other work), ``bench/monitor.py``:
9.3 rehearsals/min with 1 worker, 12.8 with 4, 15.4 with 8, 17.3 with 16; peak memory (PSS of the
whole tree) 679, 821, 1159 and 1529 MiB. One rehearsal costs ~5.7 s of CPU (Chromium ~75 %), so
the CPU, not the waiting, bounds the throughput: more workers only help while some runs wait for
the portal. A thread per worker would add a driver per thread for the same CPU-bound work.

What it costs: blocking Python work in one worker (writing a report, scrubbing a file) holds
every other worker for that time, so the runner's per-step work must stay short (traces are off in
monitoring). An exception in a worker is returned as that job's result, never lost.

SIGINT/SIGTERM: each worker is an :func:`assistant.interrupts.worker`, so the signal is raised in
every run where it waits for the browser (each ends as interrupted, and is recorded so by the
caller's ``work``), and ``stop()`` starts no new job. When the browser's driver died with the signal
(a whole process group signalled) before a run could end, that job comes back ``cut``: never lost.

The only internals used are the sync objects' ``_loop``, ``_dispatcher_fiber`` and ``_sync``, the
same hooks :mod:`assistant.fetch` uses; without them the jobs run one after the other (logged).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, TypeVar

import greenlet
from loguru import logger

from .. import interrupts

J = TypeVar("J")
R = TypeVar("R")


@dataclass
class Done(Generic[J, R]):
    """One job's end: its ``result``, or the ``error`` it raised (never both)."""

    job: J
    result: R | None = None
    error: BaseException | None = None
    #: the job had started when a signal ended the pool before it could end (its result is unknown)
    cut: bool = False


def _hooks(anchor: Any):
    loop = getattr(anchor, "_loop", None)
    run_sync = getattr(anchor, "_sync", None)
    fiber = getattr(anchor, "_dispatcher_fiber", None)
    if loop is None or run_sync is None or fiber is None:
        return None
    return run_sync


def run_pool(anchor: Any, jobs: Iterable[J], work: Callable[[J], R], *, workers: int,
             on_done: Callable[[Done[J, R]], None] | None = None,
             stop: Callable[[], bool] = lambda: False) -> list[Done[J, R]]:
    """Run ``work(job)`` for every job, at most ``workers`` at once, on ``anchor``'s event loop.

    ``anchor`` is any sync Playwright object of the connection (the shared ``Browser``). Results
    come back in the jobs' order; ``on_done`` is called as each job ends (in its worker). Once
    ``stop()`` is true no new job starts; the jobs under way finish (and only they are returned;
    after a signal, those the pool could not see end come back ``cut``).
    """
    todo = list(jobs)
    done: list[Done[J, R] | None] = [None] * len(todo)
    on_done = on_done or (lambda d: None)
    queue = list(enumerate(todo))[::-1]

    def one(index: int, job: J) -> None:
        try:
            item = Done(job, result=work(job))
        except Exception as exc:  # noqa: BLE001 - kept as the job's result and reported by the caller
            logger.opt(exception=exc).warning("job {} ended with an unexpected error: {}", index, exc)
            item = Done(job, error=exc)
        done[index] = item
        on_done(item)

    started: list[int] = []

    def worker() -> None:
        while queue and not stop():
            index, job = queue.pop()
            started.append(index)
            one(index, job)

    def concurrent_worker() -> None:
        with interrupts.worker():
            worker()

    workers = max(1, min(int(workers), len(todo) or 1))
    run_sync = _hooks(anchor)
    try:
        if workers == 1 or run_sync is None:
            if run_sync is None and workers > 1:
                logger.warning("concurrent rehearsals unavailable in this Playwright version: one at a time")
            worker()
        else:
            run_sync(_batch(workers, concurrent_worker))
    except BaseException:
        if not interrupts.received():
            raise
        # the signal ended a job outside its own handling, or took the browser's driver with it while
        # jobs were under way: those jobs are cut short, never lost
        logger.warning("the pool ended with the signal; {} job(s) cut short", sum(done[i] is None for i in started))
        for index in started:
            done[index] = done[index] or Done(todo[index], cut=True)
    return [d for d in done if d is not None]


async def _start(body: Callable[[], None]) -> None:
    # like playwright's run_in_greenlet: the body runs in its own greenlet, started from the loop;
    # each of its sync calls switches back to the loop until its own call is done
    future = asyncio.get_running_loop().create_future()

    def run() -> None:
        try:
            body()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting batch, re-raised there
            if not future.done():
                future.set_exception(exc)
            return
        if not future.done():
            future.set_result(None)

    greenlet.greenlet(run).switch()
    await future


async def _batch(workers: int, body: Callable[[], None]) -> None:
    await asyncio.gather(*(_start(body) for _ in range(workers)))
