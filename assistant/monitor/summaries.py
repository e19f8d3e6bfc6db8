"""What the monitor's history says in sum: availability, step durations and their percentiles, and
the aggregates the metrics start from (a monitor started from cron keeps them growing).

:class:`Summaries` reads the ``runs`` and ``steps`` tables of :class:`.history.History`, which
inherits it; nothing here writes. A run a signal interrupted says nothing about the portal: neither
its availability nor its durations count it (:data:`PORTAL_RUNS`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone


#: the runs that say something about the portal (an SQL condition on ``runs``): all but those a signal interrupted
PORTAL_RUNS = "class != 'interrupted'"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0-100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


class Summaries:
    """Read-only sums over the history's connection ``db``."""

    db: sqlite3.Connection

    def availability(self, tenant: str, since: timedelta, now: datetime | None = None) -> tuple[float | None, int]:
        """(share of runs that went through, number of runs) over the last ``since``; None without runs (a run a
        signal interrupted is no run of the portal's)."""
        start = iso((now or utc_now()) - since)
        total, good = self.db.execute(
            f"SELECT COUNT(*), COALESCE(SUM(ok), 0) FROM runs WHERE tenant = ? AND started_at >= ? AND {PORTAL_RUNS}",
            (tenant, start)).fetchone()
        return (good / total if total else None), total

    def step_durations(self, tenant: str, since: timedelta, now: datetime | None = None) -> dict[tuple[int, str], list[float]]:
        """Durations of the steps that went through, by (number, title), over the last ``since``."""
        start = iso((now or utc_now()) - since)
        out: dict[tuple[int, str], list[float]] = {}
        for number, title, duration in self.db.execute(
                "SELECT s.number, s.title, s.duration_s FROM steps s JOIN runs r ON r.id = s.run_id "
                f"WHERE r.tenant = ? AND r.started_at >= ? AND s.status = 'ok' AND r.{PORTAL_RUNS} ORDER BY s.number",
                (tenant, start)):
            out.setdefault((number, title), []).append(duration)
        return out

    def _among(self, tenants: list[str], column: str) -> tuple[str, tuple]:
        return f"{column} IN ({', '.join('?' * len(tenants))})", tuple(tenants)

    def counts(self, tenants: list[str]) -> dict[tuple[str, str], int]:
        """Runs by (tenant, class) since the file was created."""
        where, args = self._among(tenants, "tenant")
        return {(t, k): n for t, k, n in self.db.execute(
            f"SELECT tenant, class, COUNT(*) FROM runs WHERE {where} GROUP BY 1, 2", args)}

    def drift_counts(self, tenants: list[str]) -> dict[tuple[str, str], int]:
        where, args = self._among(tenants, "tenant")
        return {(t, k): n for t, k, n in self.db.execute(
            f"SELECT tenant, class, COUNT(*) FROM drifts WHERE {where} GROUP BY 1, 2", args)}

    def last_success(self, tenants: list[str]) -> dict[str, str]:
        where, args = self._among(tenants, "tenant")
        return dict(self.db.execute(f"SELECT tenant, MAX(finished_at) FROM runs WHERE ok = 1 AND {where} "
                                    "GROUP BY tenant", args))

    def last_ok(self, tenants: list[str]) -> dict[str, bool]:
        """Whether each tenant's last run (one a signal interrupted aside) went through."""
        where, args = self._among(tenants, "tenant")
        return {t: bool(ok) for t, ok in self.db.execute(
            f"SELECT tenant, ok FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE {where} AND {PORTAL_RUNS} "
            "GROUP BY tenant)", args)}

    def duration_buckets(self, tenants: list[str], bounds: tuple[float, ...], *, steps: bool
                         ) -> dict[tuple[str, ...], tuple[list[int], float, int]]:
        """Durations in histogram form: per tenant (and step number, with ``steps``), the count at or
        under each bound, the sum and the count; steps that went through only."""
        where, args = self._among(tenants, "r.tenant")
        under = ", ".join("SUM(d <= ?)" for _ in bounds)
        if steps:
            source = (f"SELECT r.tenant AS tenant, s.number AS number, s.duration_s AS d FROM steps s "
                      f"JOIN runs r ON r.id = s.run_id WHERE s.status = 'ok' AND {where} AND r.{PORTAL_RUNS}")
            keys = "tenant, number"
        else:
            source = f"SELECT r.tenant AS tenant, r.duration_s AS d FROM runs r WHERE {where} AND r.{PORTAL_RUNS}"
            keys = "tenant"
        found = {}
        for row in self.db.execute(f"SELECT {keys}, COUNT(*), SUM(d), {under} FROM ({source}) GROUP BY {keys}",
                                   (*bounds, *args)):
            width = 2 if steps else 1
            key, (count, total), cumulative = row[:width], row[width:width + 2], row[width + 2:]
            found[key] = (list(cumulative), total or 0.0, count)
        return found
