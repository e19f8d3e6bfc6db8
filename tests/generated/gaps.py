"""Renderings the assistant does not handle yet, kept out of the random draw until their room lands.

Each entry names the room that must handle it (controls, interruptions, invoices, unknown), the
journeys it breaks and what happens; ``GENERATED_ALL=1`` draws them anyway (to see whether a room's
work fixed them). The coordinator empties this table as the rooms' branches are merged. A rendering
listed here is still served by the replica and shown by tests/replica (the replica draws it right:
tests/replica/test_renderings_in_browser.py walks it in Chromium); it is the assistant that stops on it.
Found with ``tests/generated/sweep.py`` (classique with one rendering changed); the seed replays it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ALL = ("adhesion", "rehearsal", "statut", "factures", "diagnostic")
WIZARD = ("adhesion", "rehearsal")
INVOICES = ("factures", "diagnostic")


@dataclass(frozen=True)
class Gap:
    room: str
    journeys: tuple[str, ...]
    what: str


#: (aspect, rendering) -> what fails on the assistant of today; ("family", username) for a family's data
KNOWN_GAPS: dict[tuple[str, str], Gap] = {}


def excluded(journey: str) -> set[tuple[str, str]]:
    """The renderings (and families) the draw of ``journey`` leaves out (none when GENERATED_ALL=1)."""
    if os.environ.get("GENERATED_ALL") == "1":
        return set()
    return {key for key, gap in KNOWN_GAPS.items() if journey in gap.journeys}
