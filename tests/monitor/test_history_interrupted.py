"""A run a signal interrupted is kept in the history but says nothing about the portal: availability,
step durations (p50/p95), incidents, alert decisions and the metrics' ``up`` leave it out."""

from __future__ import annotations

from datetime import timedelta

from assistant.monitor.alerts import AlertPolicy
from assistant.monitor.history import History, StepRow
from assistant.monitor.metrics import Metrics
from test_history import T0, run_row


def interrupted(at):
    row = run_row("gp", at, "interrupted")
    row.outcome = "interrupted"
    return row


def test_interrupted_runs_count_neither_in_the_availability_nor_in_the_durations(tmp_path):
    history = History.open(tmp_path / "h.sqlite")
    history.record(run_row("gp", T0, "ok"), [StepRow(1, "Mes factures", "ok", 1.0)])
    history.record(interrupted(T0 + timedelta(hours=1)), [StepRow(1, "Mes factures", "ok", 60.0)])
    history.record(interrupted(T0 + timedelta(hours=2)), [])
    now = T0 + timedelta(hours=3)

    assert history.availability("gp", timedelta(hours=24), now) == (1.0, 1)
    assert history.step_durations("gp", timedelta(hours=24), now) == {(1, "Mes factures"): [1.0]}
    assert history.last_ok(["gp"]) == {"gp": True}
    assert [r.klass for r in history.last_runs("gp")] == ["interrupted", "interrupted", "ok"]
    history.close()


def test_an_interrupted_run_between_two_failures_neither_hides_nor_makes_an_alert(tmp_path):
    history = History.open(tmp_path / "h.sqlite")
    policy = AlertPolicy(after=2)

    def decide(state, oks):
        new_state, kind = policy.decide(state, oks)
        return new_state, (kind, "t", "b") if kind else None

    sent = [history.record(run_row("gp", T0, "outage", incident="o"), [], decide=decide)[1],
            history.record(interrupted(T0 + timedelta(minutes=1)), [])[1],
            history.record(run_row("gp", T0 + timedelta(minutes=2), "outage", incident="o"), [], decide=decide)]
    new_incident = sent[2][2]

    assert [a.kind if a else None for a in (sent[0], sent[1], sent[2][1])] == [None, None, "down"]
    assert new_incident is False  # the same outage goes on: the interruption did not start a new incident
    history.close()


def test_an_interrupted_run_leaves_up_and_the_durations_as_they_were(tmp_path):
    metrics = Metrics()
    metrics.observe_run("gp", "ok", True, 10.0, [("01", 1.0)], [], T0)
    metrics.observe_run("gp", "interrupted", False, 2.0, [("01", 2.0)], [], T0 + timedelta(minutes=1))

    assert metrics.up == {"gp": 1} and metrics.runs["gp"].count == 1 and metrics.steps[("gp", "01")].count == 1
    assert metrics.classes == {("gp", "ok"): 1, ("gp", "interrupted"): 1}
