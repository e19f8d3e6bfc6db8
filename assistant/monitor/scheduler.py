"""One monitoring cycle over the tenants, and ``--every`` cycles until stopped.

A cycle opens (or reuses) one browser, local or on a Playwright browser server, and plays each
tenant's rehearsal once, at most ``workers`` at a time (:func:`.pool.run_pool`), so a tenant is
never rehearsed twice at once. As each rehearsal ends (in its worker): classify it, write it to
the history with its alert decision, update the metrics and their textfile, send the alert, keep
its screenshots as the tenant's last good ones when it went through, and journal a new drift.
After the cycle: ``junit.xml`` and ``rapport.html``.

``--every`` waits between cycle starts with a random jitter (± ``jitter``), never less than
5 minutes when a tenant is not on loopback (a real portal is not to be hammered); SIGTERM (or
:meth:`Monitor.stop`) starts no new rehearsal: those under way finish and are recorded, then the
loop ends.

Folder layout (``--dossier``, default ``surveillance/``)::

    historique.sqlite        runs, steps, drifts, alerts (``--history`` to put it elsewhere)
    references/<tenant>.json the baseline fingerprints (``assistant baseline``)
    derniere-reussite/<t>/   the last good screenshots, step by step
    guides/<tenant>/         with ``--guide``: the families' guide, made again when the portal changes
    runs/<tenant>/<date>/    each run's evidence (the last ``keep_runs`` are kept)
    derives.jsonl            the dated drift journal, one JSON object per line
    metrics.prom             Prometheus textfile;   junit.xml, rapport.html   the last cycle's reports
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from loguru import logger

from ..browser import connect_browser, open_browser
from ..config import Timeouts
from ..errors import AssistantError, ConfigError, os_reason
from ..invoices.french import format_moment, format_seconds
from .alerts import AlertPolicy, Notifier, message
from .drift import CLASS_FR, EXIT_CODES, OK, Verdict, classify, worst
from .fingerprint import load_baseline, save_baseline
from .history import DriftRow, History, RunRow, StepRow, iso, utc_now
from .metrics import Metrics
from .pool import run_pool
from .rehearsal import Rehearsal, check_flow, rehearse
from .reports import TenantResult, write_html, write_junit
from .tenants import Tenant

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from ..steps import Flow

MIN_EVERY_S = 300.0  # against a real portal
MIN_EVERY_LOOPBACK_S = 1.0


@dataclass
class MonitorOptions:
    """How a monitor runs (built by the CLI from its flags): ``flow`` is the read-only journey to
    rehearse (the command gives :data:`flows.monitor.FLOW`, which names the step after which
    nothing but GET/HEAD may leave the browser)."""

    flow: "Flow"
    folder: Path = Path("surveillance")
    history_path: Path | None = None
    workers: int = 4
    browser_ws: str | None = None
    chromium: str | None = None
    headless: bool = True
    metrics_file: Path | None = None
    alert_urls: list[str] = field(default_factory=list)
    policy: AlertPolicy = field(default_factory=AlertPolicy)
    keep_runs: int = 20
    #: ± this fraction of ``--every`` between cycle starts
    jitter: float = 0.1
    timeouts: Timeouts | None = None
    monitor_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    #: ``guide(tenant, browser, out_dir, report_dir)`` makes the tenant's illustrated guide again
    #: (the command hands down :func:`assistant.helpdesk.guide.generate`): after a run that saw the
    #: portal change and still went through, or when the tenant has none yet
    guide: "Callable[[Tenant, Browser, Path, Path], object] | None" = None

    @property
    def history_file(self) -> Path:
        return self.history_path or self.folder / "historique.sqlite"

    @property
    def metrics_path(self) -> Path:
        return self.metrics_file or self.folder / "metrics.prom"


def floor_s(tenants: list[Tenant]) -> float:
    """The shortest time between two cycle starts: 5 minutes unless every portal is on loopback."""
    return MIN_EVERY_LOOPBACK_S if all(t.loopback for t in tenants) else MIN_EVERY_S


def check_every(every_s: float, tenants: list[Tenant]) -> None:
    """Refuse an interval that would hammer a real portal (French ConfigError)."""
    floor = floor_s(tenants)
    if every_s >= floor:
        return
    if floor == MIN_EVERY_LOOPBACK_S:
        raise ConfigError(f"--every trop court : au moins {MIN_EVERY_LOOPBACK_S:g} s.", key="--every")
    raise ConfigError(f"--every trop court : au moins {int(MIN_EVERY_S // 60)} minutes contre un portail réel "
                      "(seule une réplique en boucle locale peut être répétée plus souvent).", key="--every")


def next_interval(every_s: float, jitter: float, floor: float,
                  draw: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds between two cycle starts: ``every_s`` ± ``jitter``, never under ``floor`` (the jitter
    must not bring a real portal's 5 minutes down to 4,5)."""
    return max(floor, every_s * (1 + draw(-jitter, jitter)))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S-%f")[:-3]


class Monitor:
    """Runs cycles; ``say`` gets the French progress lines (the CLI prints them)."""

    def __init__(self, tenants: list[Tenant], options: MonitorOptions, *, say: Callable[[str], None] = print,
                 browser: "Browser | None" = None):
        check_flow(options.flow)
        self.tenants = tenants
        self.options = options
        self.say = say
        self.notifier = Notifier(options.alert_urls)  # a bad alert URL is refused before the history is created
        self.history = History.open(options.history_file)
        self.metrics = Metrics(self.history, [t.name for t in tenants])
        try:  # at once: node_exporter sees the monitor's share before its first run, a bad path is said now
            self.metrics.write(options.metrics_path)
        except OSError as exc:
            self.history.close()
            raise ConfigError(f"Fichier des métriques impossible à écrire ({options.metrics_path}) : "
                              f"{os_reason(exc)}.", key="--metrics-file") from None
        self._stop = threading.Event()
        self._browser = browser
        self._stack = ExitStack()
        self.cycles = 0

    # -- life cycle ------------------------------------------------------------------------------
    def close(self) -> None:
        self._stack.close()
        self.history.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def stop(self) -> None:
        """Start no new rehearsal, finish those under way, then stop (the SIGTERM handler calls this)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def browser(self) -> "Browser":
        """The shared browser, (re)opened when needed: local Chromium or the remote server."""
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        o = self.options
        if o.browser_ws:
            self._browser = self._stack.enter_context(connect_browser(o.browser_ws, o.chromium, headless=o.headless))
        else:
            self._browser = self._stack.enter_context(open_browser(o.chromium, headless=o.headless))
        return self._browser

    # -- cycles ----------------------------------------------------------------------------------
    def run(self, every_s: float | None = None) -> int:
        """One cycle (exit code of the worst class), or cycles every ``every_s`` until :meth:`stop` (0)."""
        if every_s is None:
            results = self.cycle()
            if self._stop.is_set():
                left = len(self.tenants) - len(results)
                self.say(f"Arrêt demandé : répétitions en cours terminées et enregistrées, {left} commune(s) non "
                         "répétée(s).")
            return EXIT_CODES[worst([r.verdict.klass for r in results])]
        check_every(every_s, self.tenants)
        while not self._stop.is_set():
            started = time.monotonic()
            self.cycle()
            if self._stop.is_set():
                break
            interval = next_interval(every_s, self.options.jitter, floor_s(self.tenants))
            wait = max(0.0, interval - (time.monotonic() - started))
            self.say(f"Prochain cycle dans {format_seconds(wait, 0)}.")
            self._stop.wait(wait)
        self.say("Surveillance arrêtée proprement après les répétitions en cours.")
        return 0

    def cycle(self, *, baseline: bool = False) -> list[TenantResult]:
        """Rehearse every tenant once; write the reports; return the results in the tenants' order."""
        browser = self.browser()
        self.cycles += 1
        started = utc_now()

        def work(tenant: Tenant) -> TenantResult:
            return self._one(tenant, browser, baseline=baseline)

        done = run_pool(browser, self.tenants, work, workers=self.options.workers, stop=self._stop.is_set)
        results = []
        for item in done:
            if item.error is not None:
                # a bug of ours, not the portal's: reported as such, never silently dropped
                verdict = Verdict("outage", f"Erreur interne du moniteur : {type(item.error).__name__}.")
                results.append(TenantResult(item.job.name, item.job.base_url, verdict, None, self.options.folder))
            else:
                results.append(item.result)
        folder = self.options.folder
        write_junit(results, folder / "junit.xml")
        write_html(results, folder / "rapport.html", title="Surveillance de l’Espace Citoyens",
                   generated_at=format_moment(started.astimezone()))
        return results

    # -- one tenant --------------------------------------------------------------------------------
    def _paths(self, tenant: Tenant) -> tuple[Path, Path]:
        return self.options.folder / "references" / f"{tenant.name}.json", self.options.folder / "derniere-reussite" / tenant.name

    def _one(self, tenant: Tenant, browser: "Browser", *, baseline: bool) -> TenantResult:
        o = self.options
        reference, last_good = self._paths(tenant)
        saved = load_baseline(reference)
        started = utc_now()
        run_dir = o.folder / "runs" / tenant.name / _stamp(started)
        self.say(f"→ {tenant.name} : répétition en cours…")
        run = rehearse(tenant, browser, o.flow, report_dir=run_dir, chromium=o.chromium,
                       timeouts=o.timeouts)  # screenshots of every step of every run: a drift's evidence
        verdict = classify(run, None if baseline else saved)
        notes = []
        if verdict.klass == OK or (baseline and verdict.klass == "cosmetic"):
            if run.pages and (baseline or saved is None):
                save_baseline(reference, tenant.name, run.pages, iso(started))
                notes.append("référence enregistrée")
        if verdict.klass in (OK, "cosmetic") and any(run_dir.glob("step-*.jpeg")):
            self._keep_last_good(run_dir, last_good)
        result = TenantResult(tenant.name, tenant.base_url, verdict, run.report, run_dir, last_good_dir=last_good)
        self._record(tenant, run, verdict, result, started)
        if o.guide is not None and not baseline and verdict.klass in (OK, "cosmetic"):
            guide_dir = o.folder / "guides" / tenant.name
            if result.journaled or not (guide_dir / "guide.html").exists():
                notes.append(self._guide(tenant, browser, guide_dir, run_dir / "guide"))
        self._prune(run_dir.parent)
        mark = "✗" if verdict.failing else "✓"
        extra = f" ({', '.join(notes)})" if notes else ""
        self.say(f"{mark} {tenant.name} : {CLASS_FR[verdict.klass]}{extra} — {verdict.message}")
        return result

    def _guide(self, tenant: Tenant, browser: "Browser", guide_dir: Path, report_dir: Path) -> str:
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

    def _keep_last_good(self, run_dir: Path, last_good: Path) -> None:
        last_good.mkdir(parents=True, exist_ok=True)
        for shot in sorted(run_dir.glob("step-*.jpeg")):
            if "-failed" not in shot.name:
                tmp = last_good / (shot.name + ".tmp")
                shutil.copyfile(shot, tmp)
                tmp.replace(last_good / shot.name)

    def _prune(self, tenant_runs: Path) -> None:
        runs = sorted(p for p in tenant_runs.iterdir() if p.is_dir())
        for old in runs[:-self.options.keep_runs]:
            shutil.rmtree(old, ignore_errors=True)

    def _record(self, tenant: Tenant, run: Rehearsal, verdict: Verdict, result: TenantResult,
                started: datetime) -> None:
        o = self.options
        finished = utc_now()
        report = run.report
        steps = [StepRow(s.number, s.title, s.status, s.duration_s, s.page, s.error, s.control)
                 for s in (report.steps if report else [])]
        drifts = [DriftRow(verdict.klass, d.step, d.page, d.summary, d.before, d.after) for d in verdict.differences]
        if verdict.failing and not drifts:
            drifts = [DriftRow(verdict.klass, verdict.step, verdict.page, verdict.message, "", "")]
        row = RunRow(tenant=tenant.name, started_at=iso(started), finished_at=iso(finished),
                     duration_s=run.duration_s, outcome=report.outcome if report else "error", klass=verdict.klass,
                     message=verdict.message, step=verdict.step, control=verdict.control, report_dir=str(run.report_dir),
                     incident=None if verdict.klass == OK else verdict.key(), monitor=o.monitor_id)

        def decide(state, oks):
            new_state, kind = o.policy.decide(state, oks)
            if kind is None:
                return new_state, None
            title, body = message(kind, tenant, verdict, report=str(o.folder / "rapport.html"), policy=o.policy)
            return new_state, (kind, title, body)

        _, alert, new_incident = self.history.record(row, steps, drifts, decide=decide)
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


__all__ = ["Monitor", "MonitorOptions", "check_every", "next_interval"]
