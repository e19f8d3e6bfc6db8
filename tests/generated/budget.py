"""The Hypothesis budget of the generated tests, in the suite or in the long mode.

``EXAMPLES`` per journey in ``make test`` (derandomised: the same compositions every run);
``GENERATED_EXAMPLES=N`` (``make test-generated``) runs N per journey, drawn anew each time
(``--hypothesis-seed=S`` repeats a draw). A failing example prints the line that serves its portal
again: ``replay: assistant replica --composition N`` (plus the must-stop renderings and drifts added).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

#: examples per journey in `make test`: 27 journeys and 9 must-stop runs, ~1 min with -n 2 (README, « Tests »)
EXAMPLES = {"adhesion": 5, "rehearsal": 5, "statut": 6, "factures": 6, "diagnostic": 5, "stop": 3}

_LONG = os.environ.get("GENERATED_EXAMPLES", "").strip()


def budget(journey: str):
    """The Hypothesis settings of one journey's property test."""
    long = _LONG.isdigit()
    return settings(
        max_examples=int(_LONG) if long else EXAMPLES[journey],
        derandomize=not long,
        deadline=None,
        database=None,  # nothing written next to the sources; a failure prints its replay line instead
        # one replica and one browser serve every example: their fixtures are the worker's, not the example's
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        # shrinking replays whole journeys: only when asked (GENERATED_SHRINK=1)
        phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if os.environ.get("GENERATED_SHRINK") else []),
        print_blob=False,
    )
