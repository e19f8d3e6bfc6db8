"""Metrics: counters and histograms start from the history (a monitor run from cron keeps them growing),
each monitor exposes its own tenants only, and the textfile says what /metrics says."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from prometheus_client.parser import text_string_to_metric_families

from assistant.monitor.history import DriftRow, History, RunRow, StepRow, iso
from assistant.monitor.metrics import Metrics

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def record(history: History, tenant: str, minute: int, klass: str, step_s: float) -> None:
    at = T0 + timedelta(minutes=minute)
    ok = klass in ("ok", "cosmetic")
    history.record(RunRow(tenant, iso(at), iso(at + timedelta(seconds=3)), 3.0, "rehearsed" if ok else "portal_changed",
                          klass, "m", incident=None if klass == "ok" else klass),
                   [StepRow(1, "Mes factures", "ok" if ok else "failed", step_s)],
                   [DriftRow(klass, 1, "Mes factures", "s", "", "")] if klass != "ok" else [])


def samples(path) -> dict[tuple[str, tuple], float]:
    text = path.read_text(encoding="utf-8")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_a_monitor_started_again_goes_on_from_the_history_with_its_own_tenants_only(tmp_path):
    history = History.open(tmp_path / "h.sqlite")
    record(history, "gp", 0, "ok", 0.3)
    record(history, "gp", 15, "breaking", 9.0)
    record(history, "gp", 30, "ok", 0.7)
    record(history, "autre", 0, "ok", 0.2)  # another shard's tenant in the same file

    metrics = Metrics(history, ["gp"])
    metrics.write(tmp_path / "metrics.prom")
    seen = samples(tmp_path / "metrics.prom")
    assert seen[("espace_citoyens_rehearsals_total", (("class", "ok"), ("tenant", "gp")))] == 2
    assert seen[("espace_citoyens_rehearsals_total", (("class", "breaking"), ("tenant", "gp")))] == 1
    assert seen[("espace_citoyens_drifts_total", (("class", "breaking"), ("tenant", "gp")))] == 1
    step = (("step", "01"), ("tenant", "gp"))
    assert seen[("espace_citoyens_step_duration_seconds_count", step)] == 2  # the failed step is not a duration
    assert seen[("espace_citoyens_step_duration_seconds_bucket", (("le", "0.5"), *step))] == 1
    assert seen[("espace_citoyens_step_duration_seconds_bucket", (("le", "1.0"), *step))] == 2
    assert seen[("espace_citoyens_step_duration_seconds_sum", step)] == 1.0
    assert seen[("espace_citoyens_rehearsal_duration_seconds_count", (("tenant", "gp"),))] == 3
    assert seen[("espace_citoyens_up", (("tenant", "gp"),))] == 1
    assert seen[("espace_citoyens_last_success_timestamp_seconds", (("tenant", "gp"),))] == (
        T0 + timedelta(minutes=30, seconds=3)).timestamp()
    assert not [key for key in seen if ("tenant", "autre") in key[1]]

    # the next run (cron's next one-shot monitor) adds to what the history had
    record(history, "gp", 45, "ok", 0.4)
    again = Metrics(history, ["gp"])
    again.observe_run("gp", "ok", True, 3.0, [("01", 0.05)], [], T0 + timedelta(minutes=60))
    again.write(tmp_path / "metrics.prom")
    seen = samples(tmp_path / "metrics.prom")
    assert seen[("espace_citoyens_step_duration_seconds_count", step)] == 4
    assert seen[("espace_citoyens_step_duration_seconds_bucket", (("le", "0.1"), *step))] == 1
    assert seen[("espace_citoyens_rehearsals_total", (("class", "ok"), ("tenant", "gp")))] == 4
    history.close()


def test_a_new_tenant_starts_at_zero_and_a_failure_sets_up_to_zero(tmp_path):
    history = History.open(tmp_path / "h.sqlite")
    metrics = Metrics(history, ["gp"])
    metrics.observe_run("gp", "outage", False, 12.0, [], ["outage"], T0)
    metrics.write(tmp_path / "metrics.prom")
    seen = samples(tmp_path / "metrics.prom")
    assert seen[("espace_citoyens_up", (("tenant", "gp"),))] == 0
    assert seen[("espace_citoyens_rehearsal_duration_seconds_bucket", (("le", "10.0"), ("tenant", "gp")))] == 0
    assert seen[("espace_citoyens_rehearsal_duration_seconds_bucket", (("le", "20.0"), ("tenant", "gp")))] == 1
    assert ("espace_citoyens_last_success_timestamp_seconds", (("tenant", "gp"),)) not in seen
    history.close()
