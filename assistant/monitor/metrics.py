"""Prometheus exposition of the monitor (``prometheus-client``), one registry per monitor.

- ``espace_citoyens_step_duration_seconds{tenant,step}``: histogram of each step that went through
- ``espace_citoyens_rehearsal_duration_seconds{tenant}``: histogram of whole rehearsals
- ``espace_citoyens_rehearsals_total{tenant,class}``: counter of rehearsals by class (``interrupted``: a
  signal stopped the monitor during it; such a run changes no other metric)
- ``espace_citoyens_drifts_total{tenant,class}``: counter of drift journal entries
- ``espace_citoyens_last_success_timestamp_seconds{tenant}``: when a rehearsal last went through
- ``espace_citoyens_up{tenant}``: 1 when the last rehearsal went through, else 0

Everything starts from the history (the monitor's own tenants only: several monitors may share one
file, each exposes its share), counters and histograms alike, so the textfile of a monitor started
from cron keeps growing across runs like a long-running one's and ``rate()`` / ``histogram_quantile``
work on it. The values are kept here, under a lock (``/metrics`` is served from another thread),
and exposed through a collector of prometheus-client's metric families. The textfile is written
atomically after each run (node_exporter's textfile collector); ``serve`` exposes ``/metrics``
while ``--every`` runs.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prometheus_client import CollectorRegistry, start_http_server, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.utils import floatToGoString

from .history import History

STEP_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
RUN_BUCKETS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)


@dataclass
class _Histogram:
    """Cumulative counts at or under each bound, the sum and the count of the observations."""

    bounds: tuple[float, ...]
    under: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.under = self.under or [0] * len(self.bounds)

    def observe(self, value: float) -> None:
        for index in range(bisect_left(self.bounds, value), len(self.bounds)):
            self.under[index] += 1
        self.total += value
        self.count += 1

    def buckets(self) -> list[tuple[str, int]]:
        return [*((floatToGoString(b), n) for b, n in zip(self.bounds, self.under)), ("+Inf", self.count)]


class Metrics:
    """The monitor's metrics for ``tenants``; ``observe_run`` after each run, ``write`` for the textfile."""

    def __init__(self, history: History | None = None, tenants: list[str] = ()):
        self._lock = threading.Lock()
        self.steps: dict[tuple[str, str], _Histogram] = {}
        self.runs: dict[str, _Histogram] = {}
        self.classes: dict[tuple[str, str], int] = {}
        self.drifts: dict[tuple[str, str], int] = {}
        self.last_success: dict[str, float] = {}
        self.up: dict[str, int] = {}
        if history is not None and tenants:
            tenants = list(tenants)
            for (tenant, number), (under, total, count) in history.duration_buckets(
                    tenants, STEP_BUCKETS, steps=True).items():
                self.steps[(tenant, f"{number:02d}")] = _Histogram(STEP_BUCKETS, under, total, count)
            for (tenant,), (under, total, count) in history.duration_buckets(tenants, RUN_BUCKETS, steps=False).items():
                self.runs[tenant] = _Histogram(RUN_BUCKETS, under, total, count)
            self.classes = history.counts(tenants)
            self.drifts = history.drift_counts(tenants)
            self.last_success = {t: datetime.fromisoformat(at).timestamp()
                                 for t, at in history.last_success(tenants).items()}
            self.up = {t: int(ok) for t, ok in history.last_ok(tenants).items()}
        self.registry = CollectorRegistry()
        self.registry.register(self)

    def observe_run(self, tenant: str, klass: str, ok: bool, duration_s: float, steps: list[tuple[str, float]],
                    drifts: list[str], finished_at: datetime) -> None:
        """One run; a run a signal interrupted is counted under its class only: no duration, ``up`` unchanged."""
        with self._lock:
            self.classes[(tenant, klass)] = self.classes.get((tenant, klass), 0) + 1
            if klass == "interrupted":
                return
            self.runs.setdefault(tenant, _Histogram(RUN_BUCKETS)).observe(duration_s)
            for step, seconds in steps:
                self.steps.setdefault((tenant, step), _Histogram(STEP_BUCKETS)).observe(seconds)
            for drift_class in drifts:
                self.drifts[(tenant, drift_class)] = self.drifts.get((tenant, drift_class), 0) + 1
            self.up[tenant] = 1 if ok else 0
            if ok:
                self.last_success[tenant] = finished_at.timestamp()

    def collect(self):
        """prometheus-client's collector protocol: the metric families, from the values kept here."""
        with self._lock:
            step = HistogramMetricFamily("espace_citoyens_step_duration_seconds", "Durée de chaque étape réussie",
                                         labels=["tenant", "step"])
            for (tenant, number), h in sorted(self.steps.items()):
                step.add_metric([tenant, number], h.buckets(), h.total)
            run = HistogramMetricFamily("espace_citoyens_rehearsal_duration_seconds", "Durée des répétitions",
                                        labels=["tenant"])
            for tenant, h in sorted(self.runs.items()):
                run.add_metric([tenant], h.buckets(), h.total)
            runs = CounterMetricFamily("espace_citoyens_rehearsals", "Répétitions par classe de résultat",
                                       labels=["tenant", "class"])
            for (tenant, klass), n in sorted(self.classes.items()):
                runs.add_metric([tenant, klass], n)
            drifts = CounterMetricFamily("espace_citoyens_drifts", "Entrées du journal des dérives",
                                         labels=["tenant", "class"])
            for (tenant, klass), n in sorted(self.drifts.items()):
                drifts.add_metric([tenant, klass], n)
            success = GaugeMetricFamily("espace_citoyens_last_success_timestamp_seconds",
                                        "Heure (Unix) de la dernière répétition réussie", labels=["tenant"])
            for tenant, at in sorted(self.last_success.items()):
                success.add_metric([tenant], at)
            up = GaugeMetricFamily("espace_citoyens_up", "1 si la dernière répétition a réussi", labels=["tenant"])
            for tenant, value in sorted(self.up.items()):
                up.add_metric([tenant], value)
        return [step, run, runs, drifts, success, up]

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), self.registry)

    def serve(self, port: int, host: str = "127.0.0.1"):
        """Serve ``/metrics`` on ``host:port`` (a daemon thread); returns the server (its port when 0 was asked)."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return server
