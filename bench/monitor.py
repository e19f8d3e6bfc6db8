"""Benchmark: monitoring rehearsals per minute and peak memory for 1, 4, 8 and 16 concurrent runs.

The replica runs in a process of its own (as a real portal would be elsewhere), so that its
threads do not share the monitor's interpreter. The monitor is the real one (:class:`Monitor`:
rehearsal, fingerprints, classification, SQLite history, metrics textfile, reports) on one local
Chromium, one context per run. Every tenant is the replica's portal under another name. A first
unmeasured cycle records the baselines, so the measured cycles are in the steady state of a
monitor (every rehearsal takes its per-step screenshots, as shipped).

Memory is the peak, sampled every 100 ms, of the proportional set size (PSS, from
``/proc/PID/smaps_rollup``) summed over the whole process tree: this Python, Playwright's Node
driver and every Chromium process (shared pages counted once). Targets: at least 60 rehearsals
per minute and under 2 GiB at 8 workers. The machine's load average is printed too: the figures
mean little on a machine others are using.

Beside each figure, the same number of minimal hand-written rehearsals (the same page loads and
clicks, knowing the replica's markup: no evidence, no checks, no history) run in the same pool on
the same browser: the machine's own ceiling, measured side by side, so that ``ratio`` (minimal
script throughput / monitor throughput) tells the monitor's overhead apart from what Chromium
costs on two cores.

    .venv/bin/python bench/monitor.py [--workers 1 4 8 16] [--runs-per-worker 2] [--min-runs 8]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.browser import CONTEXT_OPTIONS, open_browser  # noqa: E402
from assistant.config import Secret  # noqa: E402
from assistant.monitor.pool import run_pool  # noqa: E402
from assistant.monitor.scheduler import Monitor, MonitorOptions  # noqa: E402
from assistant.monitor.tenants import Tenant  # noqa: E402
from flows.monitor import FLOW  # noqa: E402
from minimal import walk_to_recap  # noqa: E402  (bench/, the script's own folder)

PASSWORD = "Martin-2026"  # the replica's fictional demo family (fixtures/accounts.json)


def start_replica() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "replica", "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    for line in proc.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+/\S+/)", line)
        if found:
            return proc, found.group(1)
    raise SystemExit("the replica did not start")


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def pss_bytes(root: int) -> int:
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


class PeakMemory:
    """Samples the PSS of this process tree every 100 ms while running."""

    def __init__(self, exclude: int):
        self.exclude = exclude
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, pss_bytes(os.getpid()) - pss_bytes(self.exclude))

    def __enter__(self) -> "PeakMemory":
        self.peak = 0
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def minimal_rehearsal(browser, base: str) -> None:
    """What a person would write by hand for the rehearsal's page loads (knowing the replica)."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    try:
        page = context.new_page()
        walk_to_recap(page, base, "famille.martin", PASSWORD)
        page.get_by_role("button", name="VALIDER").wait_for()
        page.goto(base + "MonCompte")
        page.locator("tr.compte").first.wait_for()
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--runs-per-worker", type=int, default=2, help="rehearsals per measured cycle = this × workers")
    parser.add_argument("--min-runs", type=int, default=8, help="at least this many rehearsals per measured cycle")
    args = parser.parse_args()
    replica, base = start_replica()
    print(f"load average before: {os.getloadavg()}", flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            count = max(max(args.min_runs, w * args.runs_per_worker) for w in args.workers)
            tenants = [Tenant(f"commune-{i:02d}", base, "classic", "-", "-", "famille.martin", Secret(PASSWORD))
                       for i in range(count)]
            options = MonitorOptions(FLOW, folder=Path(tmp), workers=max(args.workers))
            with open_browser() as browser, Monitor(tenants, options, say=lambda text: None, browser=browser) as monitor:
                warm = monitor.cycle()
                print(f"warm-up (baselines, screenshots): {count} rehearsals, classes "
                      f"{sorted({r.verdict.klass for r in warm})}", flush=True)
                for workers in args.workers:
                    runs = max(args.min_runs, workers * args.runs_per_worker)
                    monitor.tenants = tenants[:runs]
                    monitor.options.workers = workers
                    with PeakMemory(exclude=replica.pid) as memory:
                        t0 = time.perf_counter()
                        results = monitor.cycle()
                        elapsed = time.perf_counter() - t0
                    classes = sorted({r.verdict.klass for r in results})
                    print(f"workers={workers:2d}: {runs} rehearsals in {elapsed:6.1f} s -> "
                          f"{runs / elapsed * 60:5.1f} rehearsals/min, peak memory {memory.peak / 2**20:6.0f} MiB "
                          f"(PSS, monitor + driver + Chromium), classes {classes}", flush=True)
                    t0 = time.perf_counter()
                    done = run_pool(browser, range(runs), lambda _: minimal_rehearsal(browser, base), workers=workers)
                    floor = time.perf_counter() - t0
                    failed = [d.error for d in done if d.error is not None]
                    print(f"           minimal script, same pool: {runs / floor * 60:5.1f} rehearsals/min "
                          f"({len(failed)} failed) -> ratio={elapsed / floor:.2f}", flush=True)
                    for r in results:
                        if r.verdict.klass not in ("ok", "cosmetic"):
                            print(f"    {r.tenant}: {r.verdict.klass} at step {r.verdict.step}: "
                                  f"{r.verdict.message[:220]}", flush=True)
    finally:
        replica.terminate()
        replica.wait(timeout=30)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
