"""What follows one rehearsal: the tenant's guide made again, its run written to the history with the
alert decision it implies, the metrics and their textfile updated, the alert sent, a new drift
journaled in ``derives.jsonl``, the screenshots kept as the last good ones, old runs pruned.

A rehearsal interrupted by a signal (SIGINT, SIGTERM) is the operator's, not the portal's: it is
written to the history as ``interrupted``, with no alert decision, no drift, no effect on the
portal's availability or on ``espace_citoyens_up``.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from loguru import logger

from ..errors import AssistantError
from ..report_dir import replaced
from .alerts import Notifier, message
from .drift import INTERRUPTED, OK, Verdict
from .history import DriftRow, History, RunRow, StepRow, iso, utc_now
from .metrics import Metrics
from .options import MonitorOptions
from .rehearsal import Rehearsal
from .reports import TenantResult
from .tenants import Tenant

if TYPE_CHECKING:
    from playwright.sync_api import Browser


class Bookkeeper:
    """Writes down each rehearsal's result (in the rehearsal's worker thread); ``say`` as the monitor's."""

    def __init__(self, options: MonitorOptions, history: History, metrics: Metrics, notifier: Notifier,
                 say: Callable[[str], None]):
        self.options = options
        self.history = history
        self.metrics = metrics
        self.notifier = notifier
        self.say = say

    def guide(self, tenant: Tenant, browser: "Browser", guide_dir: Path, report_dir: Path) -> str:
        """Make the tenant's guide again; a failure leaves the previous guide and is said, not raised."""
        self.say(f"→ {tenant.name} : mise à jour du guide des familles…")
        had = (guide_dir / "guide.html").exists()
        try:
            self.options.guide(tenant, browser, guide_dir, report_dir)  # type: ignore[misc]
        except AssistantError as exc:
            logger.warning("guide of {} not made again: {}", tenant.name, exc.message)
            kept = "Le guide précédent reste en place." if had else "Pas encore de guide pour cette commune."
            self.say(f"  {tenant.name} : guide non mis à jour — {exc.message} {kept} Rapport : {report_dir}")
            return "guide non mis à jour"
        return f"guide mis à jour : {guide_dir / 'guide.html'}"

    def keep_last_good(self, run_dir: Path, last_good: Path) -> None:
        last_good.mkdir(parents=True, exist_ok=True)
        for shot in sorted(run_dir.glob("step-*.jpeg")):
            if "-failed" not in shot.name:
                with replaced(last_good / shot.name) as tmp:
                    shutil.copyfile(shot, tmp)

    def prune(self, tenant_runs: Path) -> None:
        runs = sorted(p for p in tenant_runs.iterdir() if p.is_dir())
        for old in runs[:-self.options.keep_runs]:
            shutil.rmtree(old, ignore_errors=True)


    def record(self, tenant: Tenant, run: Rehearsal, verdict: Verdict, result: TenantResult,
                started: datetime) -> None:
        o = self.options
        finished = utc_now()
        report = run.report
        steps = [StepRow(s.number, s.title, s.status, s.duration_s, s.page, s.error, s.control)
                 for s in (report.steps if report else [])]
        drifts = [DriftRow(verdict.klass, d.step, d.page, d.summary, d.before, d.after) for d in verdict.differences]
        if verdict.failing and not drifts:
            drifts = [DriftRow(verdict.klass, verdict.step, verdict.page, verdict.message, "", "")]
        interrupted = verdict.klass == INTERRUPTED
        outcome = report.outcome if report else "interrupted" if interrupted else "error"
        row = RunRow(tenant=tenant.name, started_at=iso(started), finished_at=iso(finished),
                     duration_s=run.duration_s, outcome=outcome, klass=verdict.klass,
                     message=verdict.message, step=verdict.step, control=verdict.control, report_dir=str(run.report_dir),
                     incident=None if verdict.klass in (OK, INTERRUPTED) else verdict.key(), monitor=o.monitor_id)

        def decide(state, oks):
            new_state, kind = o.policy.decide(state, oks)
            if kind is None:
                return new_state, None
            title, body = message(kind, tenant, verdict, report=str(o.folder / "rapport.html"), policy=o.policy)
            return new_state, (kind, title, body)

        _, alert, new_incident = self.history.record(row, steps, [] if interrupted else drifts,
                                                     decide=None if interrupted else decide)
        journaled = [d.klass for d in drifts] if new_incident else []
        if journaled:
            self._journal(tenant, row, drifts)
        result.journaled = bool(journaled)
        self.metrics.observe_run(tenant.name, verdict.klass, row.ok, row.duration_s,
                                 [(f"{s.number:02d}", s.duration_s) for s in steps if s.status == "ok"],
                                 journaled, finished)
        self.metrics.write(o.metrics_path)
        if alert is not None:
            delivered = self.notifier.send(alert)
            self.history.delivered(alert, delivered)
            result.alerts.append(alert.kind)
            self.say(f"  alerte « {alert.title} » {'envoyée' if delivered else 'NON délivrée (voir le journal)'}")

    def _journal(self, tenant: Tenant, row: RunRow, drifts: list[DriftRow]) -> None:
        path = self.options.folder / "derives.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            for d in drifts:
                fh.write(json.dumps({"at": row.finished_at, "tenant": tenant.name, "class": d.klass, "step": d.step,
                                     "page": d.page, "summary": d.summary, "before": d.before, "after": d.after},
                                    ensure_ascii=False) + "\n")
