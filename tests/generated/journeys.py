"""The journeys the generated tests play, and what each answer must be, judged by the replica's TRUE state
(its data after the run, never its markup). Shared by test_journeys.py and sweep.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from assistant.invoices.statuses import TO_PAY
from assistant.replica import Composition, Replica
from assistant.results import RunReport
from assistant.steps import Flow
from flows import adhesion, diagnostic, status
from flows.invoices import listing_flow
from generated_support import (ADHERING, READ_FAMILIES, STATE_OUTCOME, never_accepted_tracking, true_invoices,
                               true_statuses, true_unpaid_total, validations, writes)


def adhesion_done(rep: Replica, report: RunReport, comp: Composition, family: str) -> None:
    assert (report.outcome, report.exit_code) == ("done", 0), report.message
    assert rep.account(family)["adhesion"] == "OUI"
    assert len(validations(rep)) == 1 and len(writes(rep)) == 1 and rep.duplicate_validations == 0
    # a number the confirmation shows is the portal's; none is ever made up when it shows none (the state
    # read back is the proof then)
    if comp.confirmation in ("number_and_status", "number_in_sentence"):
        assert report.result.request_number == rep.account(family)["requests"][-1]["number"]
    else:
        assert not re.search(r"\d", report.result.request_number or ""), report.result.request_number
    assert report.result.verified_choice == "OUI"
    assert never_accepted_tracking(rep)


def rehearsed(rep: Replica, report: RunReport, comp: Composition, family: str) -> None:
    assert (report.outcome, report.exit_code) == ("rehearsed", 0), report.message
    assert writes(rep) == [] and rep.account(family)["adhesion"] == "NON"
    assert never_accepted_tracking(rep)


def state_told(rep: Replica, report: RunReport, comp: Composition, family: str) -> None:
    assert report.outcome == STATE_OUTCOME[rep.account(family)["adhesion"]], report.message
    assert writes(rep) == [] and never_accepted_tracking(rep)


def _invoices_match(run, rep: Replica, comp: Composition, family: str) -> None:
    data, statuses = true_invoices(rep, family), true_statuses(rep, family, comp)
    read = {inv.number: inv for inv in run.invoices}
    assert sorted(read) == sorted(d["number"] for d in data)
    assert [n for n, inv in read.items() if inv.problems] == [], {n: inv.problems for n, inv in read.items()}
    assert {n: inv.status for n, inv in read.items()} == statuses
    assert {n: inv.amount for n, inv in read.items()} == {d["number"]: Decimal(d["amount"]) for d in data}
    assert len(run.unpaid) == sum(status in TO_PAY for status in statuses.values())


def invoices_listed(rep: Replica, report: RunReport, comp: Composition, family: str) -> None:
    assert (report.outcome, report.exit_code) == ("listed", 0), report.message
    _invoices_match(report.result, rep, comp, family)
    assert writes(rep) == []


def diagnosed(rep: Replica, report: RunReport, comp: Composition, family: str) -> None:
    state_told(rep, report, comp, family)
    _invoices_match(report.result, rep, comp, family)
    truth = true_unpaid_total(rep, family, comp)
    assert report.result.unpaid_total == truth, f"left to pay: {report.result.unpaid_total} read, {truth} true"
    assert report.result.choice_before == rep.account(family)["adhesion"], report.result.choice_before


@dataclass(frozen=True)
class Journey:
    """A flow, whether it is rehearsed, the families it is drawn for, and the check of its answer."""

    flow: Callable[[], Flow]
    families: tuple[str, ...]
    check: Callable[[Replica, RunReport, Composition, str], None]
    rehearse: bool = False


JOURNEYS = {
    "adhesion": Journey(lambda: adhesion.FLOW, ADHERING, adhesion_done),
    "rehearsal": Journey(lambda: adhesion.FLOW, ADHERING, rehearsed, rehearse=True),
    "statut": Journey(lambda: status.FLOW, READ_FAMILIES, state_told),
    "factures": Journey(listing_flow, READ_FAMILIES, invoices_listed),
    "diagnostic": Journey(lambda: diagnostic.FLOW, READ_FAMILIES, diagnosed),
}
