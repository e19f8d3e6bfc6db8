"""The journeys on every skin of the replica and both login generations.

Each skin is one plausible generation of the real portal's guessed markup (routes, headings,
tiles, control elements, radio styles, typography, consent overlay, wait duration...): the
assistant was not written against any of them, and must pass on all. One replica per skin and
login generation serves the read-only journeys; the real run gets a replica of its own.

The issue's matrix is whole: the adhesion journey (real run, rehearsal, already adhered, pending),
``statut`` and ``factures`` on every skin and both login generations. ``statut`` on a pending
family, an extra, runs on every skin with one generation, alternated (``PAIRS``).
"""

from __future__ import annotations

import itertools

import pytest

from assistant.replica import SKINS, Replica, ReplicaConfig
from flows import adhesion, status
from flows.invoices import listing_flow
from flows.payment import payment_flow
from support import ACCOUNTS, replica_settings

GENERATIONS = ("classic", "modal")
MATRIX = list(itertools.product(SKINS, GENERATIONS))
IDS = [f"{skin}-{style}" for skin, style in MATRIX]
PAIRS = [(skin, GENERATIONS[i % 2]) for i, skin in enumerate(SKINS)]


def start(tmp_path_factory, skin: str, style: str) -> Replica:
    # the skins' own waits go up to 10 s: the matrix shortens them (a test of its own keeps the long one)
    cfg = ReplicaConfig(skin=skin, login_style=style, wait_modal_ms=150,
                        outbox_dir=tmp_path_factory.mktemp("outbox"))
    return Replica(cfg).start()


@pytest.fixture(scope="module", params=MATRIX, ids=IDS)
def portal(request, tmp_path_factory):
    """A replica in one skin and one login generation, for the journeys that write nothing."""
    rep = start(tmp_path_factory, *request.param)
    yield rep
    rep.stop()


@pytest.fixture(scope="module", params=PAIRS, ids=[f"{skin}-{style}" for skin, style in PAIRS])
def skin_portal(request, tmp_path_factory):
    """A replica in each skin, the login generation alternated, for the extra read-only journeys."""
    rep = start(tmp_path_factory, *request.param)
    yield rep
    rep.stop()


def play(run_flow, rep, tmp_path, flow, username="famille.martin", *, rehearse=False):
    settings = replica_settings(rep, username, report_dir=tmp_path, screenshots=False, trace=False)
    return run_flow(settings, flow, rehearse=rehearse)


def writes(rep) -> list:
    return [e for e in rep.audit if e.changed and "logoff" not in e.detail]


def refused_tracking_only(rep) -> bool:
    return all("accepted" not in e.detail for e in rep.audit if e.detail.startswith("consent"))


def test_statut_reads_not_adhered(portal, run_flow, tmp_path):
    report = play(run_flow, portal, tmp_path, status.FLOW)
    assert (report.outcome, report.exit_code) == ("not_adhered", 0), report.message
    assert refused_tracking_only(portal)


def test_statut_reads_pending(skin_portal, run_flow, tmp_path):
    report = play(run_flow, skin_portal, tmp_path, status.FLOW, "famille.petit")
    assert report.outcome == "pending", report.message


def test_rehearsal_walks_to_validate_and_writes_nothing(portal, run_flow, tmp_path):
    report = play(run_flow, portal, tmp_path, adhesion.FLOW, rehearse=True)
    assert (report.outcome, report.exit_code) == ("rehearsed", 0), report.message
    assert [s.status for s in report.steps] == ["ok"] * 6 + ["skipped"]
    assert writes(portal) == []


def test_already_adhered_family_sends_nothing(portal, run_flow, tmp_path):
    report = play(run_flow, portal, tmp_path, adhesion.FLOW, "famille.bernard")
    assert (report.outcome, report.exit_code) == ("already_done", 0), report.message
    assert writes(portal) == []


def test_pending_family_sends_nothing(portal, run_flow, tmp_path):
    report = play(run_flow, portal, tmp_path, adhesion.FLOW, "famille.petit")
    assert (report.outcome, report.exit_code) == ("pending", 0), report.message
    assert writes(portal) == []


def test_factures_lists_every_invoice(portal, run_flow, tmp_path):
    report = play(run_flow, portal, tmp_path, listing_flow())
    assert (report.outcome, report.exit_code) == ("listed", 0), report.message
    run = report.result
    expected = {inv["number"] for inv in ACCOUNTS["famille.martin"]["invoices"]}
    assert {inv.number for inv in run.invoices} == expected
    assert all(not inv.problems for inv in run.invoices), [inv.problems for inv in run.invoices]


@pytest.mark.parametrize(("skin", "style"), MATRIX, ids=IDS)
def test_real_run_activates_once_and_reads_it_back(skin, style, run_flow, tmp_path, tmp_path_factory):
    rep = start(tmp_path_factory, skin, style)
    try:
        report = play(run_flow, rep, tmp_path, adhesion.FLOW)
        assert (report.outcome, report.exit_code) == ("done", 0), report.message
        assert report.result.verified_choice == "OUI"
        assert report.result.request_number == rep.account("famille.martin")["requests"][-1]["number"]
        assert rep.account("famille.martin")["adhesion"] == "OUI"
        assert len(writes(rep)) == 1 and rep.duplicate_validations == 0
        assert refused_tracking_only(rep)
    finally:
        rep.stop()


@pytest.mark.parametrize("skin", SKINS)
def test_payment_hands_an_unpaid_invoice_to_payfip(skin, run_flow, tmp_path, tmp_path_factory):
    rep = start(tmp_path_factory, skin, "classic")
    try:
        unpaid = next(i for i in ACCOUNTS["famille.bernard"]["invoices"] if not i["paid"])
        report = play(run_flow, rep, tmp_path, payment_flow(unpaid["number"]), "famille.bernard")
        assert (report.outcome, report.exit_code) == ("handed_off", 0), report.message
        assert f"refdet={unpaid['number']}" in report.result.payment_url
        assert writes(rep) == []
    finally:
        rep.stop()


def test_a_ten_second_wait_between_steps_is_waited_out(run_flow, tmp_path, tmp_path_factory):
    # « historique » keeps its own « Merci de patienter... » of 10 s
    rep = Replica(ReplicaConfig(skin="historique", outbox_dir=tmp_path_factory.mktemp("outbox"))).start()
    try:
        assert rep.skin.wait_ms == 10_000
        report = play(run_flow, rep, tmp_path, adhesion.FLOW, rehearse=True)
        assert (report.outcome, report.exit_code) == ("rehearsed", 0), report.message
        assert (report.steps[5].status, report.steps[5].page) == ("ok", "Le récapitulatif")
    finally:
        rep.stop()


def test_a_portal_answering_each_request_in_two_seconds(run_flow, tmp_path, tmp_path_factory):
    from assistant.replica import Faults

    rep = start(tmp_path_factory, "moderne", "modal")
    rep.set_faults(Faults(latency_ms={"*": 2_000}, wait_modal_ms=150))
    try:
        report = play(run_flow, rep, tmp_path, status.FLOW)
        assert (report.outcome, report.exit_code) == ("not_adhered", 0), report.message
        assert [s.status for s in report.steps] == ["ok"] * len(report.steps)
    finally:
        rep.stop()
