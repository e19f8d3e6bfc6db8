"""Every normal rendering works in Chromium by itself: a person's walk of the adhesion journey
(browser_walk.py, which knows the composition) on a few compositions that together use each
control kind, question kind, read mode, place of the adhesion, overlay and dialog; and a duplicate
control leads elsewhere without writing anything."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from assistant.replica import Composition, Faults, Mutation
from assistant.replica.renderings import NORMAL
from browser_walk import log_in, walk, words

WIDEST = max(len(v) for v in NORMAL.values())


def covering(i: int) -> Composition:
    """The i-th of WIDEST compositions: together they use every normal rendering of every aspect."""
    return Composition(**{a: values[i % len(values)] for a, values in NORMAL.items()})


def writes(rep) -> list:
    return [e for e in rep.audit if e.changed and "logoff" not in e.detail]


def test_the_walks_cover_every_normal_rendering():
    used = {(a, getattr(covering(i), a)) for i in range(WIDEST) for a in NORMAL}
    assert used == {(a, v) for a, values in NORMAL.items() for v in values}


@pytest.mark.parametrize("i", range(WIDEST))
def test_a_person_can_walk_the_journey(page, make_replica, i):
    comp = covering(i)
    rep = make_replica(skin=comp, wait_modal_ms=100)
    walk(page, rep, comp)
    assert rep.account("famille.martin")["adhesion"] == "OUI", comp.describe()
    assert len(writes(rep)) == 1 and rep.consents in ([], ["refused"])


def test_a_duplicate_leads_elsewhere_and_writes_nothing(page, make_replica):
    comp = replace(covering(3), confirmation="number_and_status")
    rep = make_replica(skin=comp, wait_modal_ms=100,
                       faults=Faults(mutations=(Mutation("duplicate", "VALIDER"),)))
    log_in(page, rep, comp, "famille.martin")
    page.goto(rep.base_url + rep.app.wizard.start)
    w = comp.words()
    words(page, w["modifier"]).click()
    page.locator("form.formDemarche").evaluate("f => f.submit()")  # the current answer, NON, as is
    expect(page.get_by_text("Vérifiez avant de valider votre demande")).to_be_visible()
    expect(words(page, w["validate"])).to_have_count(2)
    with page.expect_request(lambda r: r.url.endswith("?doublon=1")):
        words(page, w["validate"]).nth(1).click()
    expect(page.get_by_text("Vérifiez avant de valider votre demande")).to_have_count(0)
    assert writes(rep) == []
