"""Which renderings make which journeys fail: ``classique`` with ONE rendering changed, each journey once.

    .venv/bin/python tests/generated/sweep.py [--aspects question,notice] [--journeys adhesion,statut]

Not a test (pytest does not collect it): a tool to say, rendering by rendering, what the assistant does
not handle (none, when it was last run: 0 failures on every aspect) and to check a room's work. One replica, one Chromium; the
replica's state is reset before every run and each answer is judged as test_journeys.py judges it.
Prints one line per failure: aspect=rendering, journey, family, seed (``assistant replica --composition``),
the outcome and the first line of what failed; then the time per run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from assistant.browser import CONTEXT_OPTIONS, open_browser  # noqa: E402
from assistant.replica import Composition, Replica, ReplicaConfig  # noqa: E402
from assistant.replica.renderings import ASPECTS, NORMAL  # noqa: E402
from generated_support import play  # noqa: E402
from journeys import JOURNEYS  # noqa: E402

# one family per journey: the one whose answer the rendering can change (garcia's part payment is its own case)
FAMILY = {"adhesion": "famille.martin", "rehearsal": "famille.martin", "statut": "famille.bernard",
          "factures": "famille.martin", "diagnostic": "famille.martin"}
LOOPBACK = re.compile(r"^(?!(?:data|blob|about):)(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/?#]|$))")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aspects", default=",".join(ASPECTS))
    parser.add_argument("--journeys", default="adhesion,statut,factures,diagnostic")
    parser.add_argument("--base", type=int, default=0, help="the composition the renderings change (default: 0)")
    parser.add_argument("--family", action="append", default=[], metavar="JOURNEY=FAMILY")
    args = parser.parse_args(argv)
    families = {**FAMILY, **dict(f.split("=", 1) for f in args.family)}
    base = Composition.from_seed(args.base)
    # the base itself first (aspect "login" as it is), then every other rendering of the chosen aspects
    cases = [("login", base.login)] + [(a, v) for a in args.aspects.split(",") for v in NORMAL[a] if getattr(base, a) != v]
    times: list[float] = []
    failures = 0
    with tempfile.TemporaryDirectory() as outbox, open_browser() as browser:
        with Replica(ReplicaConfig(outbox_dir=Path(outbox), wait_modal_ms=100)) as rep:
            def new_context():
                ctx = browser.new_context(**CONTEXT_OPTIONS)
                ctx.route(LOOPBACK, lambda route: route.abort())
                return ctx
            for aspect, value in cases:
                comp = replace(base, **{aspect: value})
                for name in args.journeys.split(","):
                    journey, family = JOURNEYS[name], families[name]
                    played = play(rep, new_context, comp, journey.flow(), family, rehearse=journey.rehearse,
                                  tell=lambda _text: None)
                    times.append(played.seconds)
                    try:
                        journey.check(rep, played.report, comp, family)
                    except AssertionError as exc:
                        failures += 1
                        first = (str(exc).splitlines() or [""])[0][:240]
                        print(f"FAIL {aspect}={value} {name} {family} seed={comp.seed} "
                              f"outcome={played.report.outcome}: {first}", flush=True)
    print(f"{len(times)} runs, {failures} failures, {sum(times) / max(len(times), 1):.1f} s per run "
          f"(min {min(times, default=0):.1f}, max {max(times, default=0):.1f})", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"sweep: {time.monotonic() - started:.0f} s", flush=True)
    sys.exit(code)
