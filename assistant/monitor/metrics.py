"""Prometheus exposition of the monitor (``prometheus-client``), one registry per monitor.

- ``espace_citoyens_step_duration_seconds{tenant,step}``: histogram of each step that went through
- ``espace_citoyens_rehearsal_duration_seconds{tenant}``: histogram of whole rehearsals
- ``espace_citoyens_rehearsals_total{tenant,class}``: counter of rehearsals by class
- ``espace_citoyens_drifts_total{tenant,class}``: counter of drift journal entries
- ``espace_citoyens_last_success_timestamp_seconds{tenant}``: when a rehearsal last went through
- ``espace_citoyens_up{tenant}``: 1 when the last rehearsal went through, else 0

Counters start from the history's totals, so a textfile written by a monitor started from cron
keeps growing across runs like a long-running one's. The textfile is written atomically after
each run (node_exporter's textfile collector); ``serve`` exposes ``/metrics`` while ``--every`` runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server, write_to_textfile

from .history import History

STEP_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
RUN_BUCKETS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)


class Metrics:
    """The monitor's metrics; ``observe_run`` after each run, ``write`` for the textfile."""

    def __init__(self, history: History | None = None):
        self.registry = CollectorRegistry()
        self.step_seconds = Histogram("espace_citoyens_step_duration_seconds", "Durée de chaque étape réussie",
                                      ["tenant", "step"], buckets=STEP_BUCKETS, registry=self.registry)
        self.run_seconds = Histogram("espace_citoyens_rehearsal_duration_seconds", "Durée des répétitions",
                                     ["tenant"], buckets=RUN_BUCKETS, registry=self.registry)
        self.runs = Counter("espace_citoyens_rehearsals", "Répétitions par classe de résultat",
                            ["tenant", "class"], registry=self.registry)
        self.drifts = Counter("espace_citoyens_drifts", "Entrées du journal des dérives", ["tenant", "class"],
                              registry=self.registry)
        self.last_success = Gauge("espace_citoyens_last_success_timestamp_seconds",
                                  "Heure (Unix) de la dernière répétition réussie", ["tenant"], registry=self.registry)
        self.up = Gauge("espace_citoyens_up", "1 si la dernière répétition a réussi", ["tenant"],
                        registry=self.registry)
        if history is not None:
            for (tenant, klass), n in history.counts().items():
                self.runs.labels(tenant, klass).inc(n)
            for (tenant, klass), n in history.drift_counts().items():
                self.drifts.labels(tenant, klass).inc(n)
            for tenant, at in history.last_success().items():
                self.last_success.labels(tenant).set(datetime.fromisoformat(at).timestamp())

    def observe_run(self, tenant: str, klass: str, ok: bool, duration_s: float, steps: list[tuple[str, float]],
                    drifts: list[str], finished_at: datetime) -> None:
        self.runs.labels(tenant, klass).inc()
        self.run_seconds.labels(tenant).observe(duration_s)
        for step, seconds in steps:
            self.step_seconds.labels(tenant, step).observe(seconds)
        for drift_class in drifts:
            self.drifts.labels(tenant, drift_class).inc()
        self.up.labels(tenant).set(1 if ok else 0)
        if ok:
            self.last_success.labels(tenant).set(finished_at.timestamp())

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), self.registry)

    def serve(self, port: int, host: str = "127.0.0.1"):
        """Serve ``/metrics`` on ``host:port`` (a daemon thread); returns the server (its port when 0 was asked)."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return server
