"""The journeys on random compositions of the replica, each answer checked against the replica's TRUE
state (its data, not its markup): the adhesion (real and rehearsed), ``statut``, ``factures``, ``diagnostic``
(the checks: journeys.py). A failing example prints ``replay: assistant replica --composition N``;
the number of examples: budget.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from budget import budget
from generated_support import compositions, families, play
from journeys import JOURNEYS

pytestmark = pytest.mark.slow


def _run(rep, new_context, name: str, comp, family: str) -> None:
    journey = JOURNEYS[name]
    report = play(rep, new_context, comp, journey.flow(), family, rehearse=journey.rehearse).report
    journey.check(rep, report, comp, family)


@budget("adhesion")
@given(comp=compositions(), family=families(JOURNEYS["adhesion"].families))
def test_adhesion_activates_once_and_says_so(generated_replica, new_context, comp, family):
    _run(generated_replica, new_context, "adhesion", comp, family)


@budget("rehearsal")
@given(comp=compositions(), family=families(JOURNEYS["rehearsal"].families))
def test_rehearsal_walks_to_validate_and_writes_nothing(generated_replica, new_context, comp, family):
    _run(generated_replica, new_context, "rehearsal", comp, family)


@budget("statut")
@given(comp=compositions(), family=families(JOURNEYS["statut"].families))
def test_statut_tells_the_true_state(generated_replica, new_context, comp, family):
    _run(generated_replica, new_context, "statut", comp, family)


@budget("factures")
@given(comp=compositions(), family=families(JOURNEYS["factures"].families))
def test_factures_counts_and_amounts_are_the_families(generated_replica, new_context, comp, family):
    _run(generated_replica, new_context, "factures", comp, family)


@budget("diagnostic")
@given(comp=compositions(), family=families(JOURNEYS["diagnostic"].families))
def test_diagnostic_tells_the_state_and_what_is_left_to_pay(generated_replica, new_context, comp, family):
    _run(generated_replica, new_context, "diagnostic", comp, family)
