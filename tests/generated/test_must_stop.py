"""What must still stop, on random compositions: one of the seed's words gone (removed or renamed) or
answered by two controls equally (a duplicate leading elsewhere), two billing accounts that each offer
the adhesion, a dialog a person must answer. The real adhesion runs, and nothing is ever written; a
word gone or doubled ends ``portal_changed`` naming it, and the duplicate's target is never asked for.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.replica import Mutation
from assistant.replica.mutations import normalise
from assistant.replica.renderings import STOPS
from budget import budget
from flows import adhesion
from generated_support import SEED_CONTROLS, compositions, play, with_stop, writes

pytestmark = pytest.mark.slow
FAMILY = "famille.martin"
#: the outcomes that stop and leave the choice to a person
STOPPED = ("portal_changed", "needs_human")
#: the dialogs a person must answer (fields, a survey, an attestation, a second factor)
DIALOGS = STOPS["notice"]


@budget("stop")
@given(comp=compositions(), word=st.sampled_from(SEED_CONTROLS),
       kind=st.sampled_from(["remove", "rename"]))
def test_a_seed_word_gone_stops_before_any_write(generated_replica, new_context, comp, word, kind):
    drift = Mutation(kind, word, "Poursuivre" if kind == "rename" else "")
    report = play(generated_replica, new_context, comp, adhesion.FLOW, FAMILY, mutations=(drift,)).report
    assert report.outcome == "portal_changed", report.message
    assert normalise(word) in normalise(report.message)
    assert writes(generated_replica) == []


@budget("stop")
@given(comp=compositions(), word=st.sampled_from(SEED_CONTROLS))
def test_two_controls_for_one_word_stop_and_neither_is_clicked(generated_replica, new_context, comp, word):
    played = play(generated_replica, new_context, comp, adhesion.FLOW, FAMILY, mutations=(Mutation("duplicate", word),))
    assert played.report.outcome == "portal_changed", played.report.message
    assert normalise(word) in normalise(played.report.message)
    assert [u for u in played.requests if "doublon=1" in u] == []
    assert writes(generated_replica) == []


@budget("stop")
@given(comp=compositions())
def test_two_billing_accounts_are_never_chosen_between(generated_replica, new_context, comp):
    two = with_stop(comp, "adhesion_place", "two_accounts")
    report = play(generated_replica, new_context, two, adhesion.FLOW, FAMILY, base=comp).report
    assert report.outcome in STOPPED, report.message
    assert writes(generated_replica) == []


@budget("stop")
@given(comp=compositions(), dialog=st.sampled_from(DIALOGS))
def test_a_dialog_a_person_must_answer_stops_the_run(generated_replica, new_context, comp, dialog):
    covered = with_stop(comp, "notice", dialog)
    report = play(generated_replica, new_context, covered, adhesion.FLOW, FAMILY, base=comp).report
    assert report.outcome == "needs_human", report.message
    assert writes(generated_replica) == []
