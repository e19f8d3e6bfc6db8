"""Benchmark: the full adhesion journey on the replica, the assistant against a minimal script.

The assistant (runner + page objects, per-step masked screenshots, reports) and a minimal
hand-written Playwright script doing the same clicks run alternately in one process, each on a
fresh replica family, browser start included. The assistant runs twice per round: with the
evidence a monitor keeps (a masked screenshot per step, no trace: ``assistant.monitor``'s
rehearsals) and as an agent's command ships (the same plus a Playwright trace), to show what
each kind of evidence costs. "The same clicks" includes the read-back the assistant does after
« VALIDER » (a second tab: « Mes factures » → the adhesion page → « OUI »), so that the ratio
measures the assistant's overhead (evidence, checks), not extra work.

Prints the medians, ``ratio_with_trace=<x>`` and, last, ``ratio=<x>``: assistant with per-step
screenshots / script. Target (issue 8, cheap evidence for monitoring): at most 1.25.

    .venv/bin/python bench/journey.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from assistant.browser import CONTEXT_OPTIONS, launch_options, resolve_chromium  # noqa: E402
from assistant.config import Settings, Timeouts  # noqa: E402
from assistant.replica import Replica, ReplicaConfig  # noqa: E402
from assistant.report import write_all  # noqa: E402
from assistant.runner import Runner  # noqa: E402
from flows.adhesion import FLOW  # noqa: E402
from minimal import walk_to_recap  # noqa: E402  (bench/, the script's own folder)


def minimal_script(base: str, username: str, password: str) -> str:
    """What a person would write by hand for the six steps, knowing the replica's markup."""
    # why sync_playwright here, not assistant.browser: this is the hand-written baseline, as a
    # person would write it without the assistant (same Chromium and launch flags, though)
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options(resolve_chromium()))
        page = browser.new_context(**CONTEXT_OPTIONS).new_page()
        walk_to_recap(page, base, username, password)
        page.get_by_role("button", name="VALIDER").click()
        number = page.get_by_text("N° de demande").inner_text()
        tab = page.context.new_page()
        tab.goto(base + "MonCompte")
        tab.get_by_role("link", name="Adhésion à la facture/compte en ligne").click()
        tab.get_by_text("Souhaitez-vous adhérer").first.wait_for()
        tab.close()
        browser.close()
        return number


def assistant_run(base: str, username: str, password: str, report_dir: Path, *, trace: bool = True) -> str:
    settings = Settings(base_url=base, timeouts=Timeouts.for_replica(), report_dir=report_dir, trace=trace)
    report = Runner(settings.with_credentials(username, password)).run(FLOW)
    write_all(report, report_dir)
    if report.outcome != "done":
        raise SystemExit(f"assistant run ended with {report.outcome}: {report.message}")
    return str(report.result.request_number)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"assistant": [], "assistant+trace": [], "script": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            order = ("assistant", "assistant+trace", "script")
            order = order if i % 2 == 0 else order[::-1]
            for who in order:
                with Replica(ReplicaConfig(outbox_dir=Path(tmp) / f"outbox-{who}-{i}")) as rep:
                    username, password = rep.demo_credentials(None)
                    t0 = time.perf_counter()
                    if who.startswith("assistant"):
                        assistant_run(rep.base_url, username, password, Path(tmp) / f"report-{who}-{i}",
                                      trace=who == "assistant+trace")
                    else:
                        minimal_script(rep.base_url, username, password)
                    times[who].append(time.perf_counter() - t0)
                    if rep.account(username)["adhesion"] != "OUI":
                        raise SystemExit(f"{who} did not switch the family to OUI")
            print(f"run {i + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in times.items()), flush=True)
    a, t, s = (statistics.median(times[k]) for k in ("assistant", "assistant+trace", "script"))
    print(f"median wall time, browser start included ({args.runs} runs each, alternated): "
          f"assistant (per-step screenshots) {a:.3f} s, assistant with trace too {t:.3f} s, minimal script {s:.3f} s")
    print(f"ratio_with_trace={t / s:.3f}")
    print(f"ratio={a / s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
