"""One monitoring cycle over the tenants, and ``--every`` cycles until stopped.

A cycle opens (or reuses) one browser, local or on a Playwright browser server, and plays each
tenant's rehearsal once, at most ``workers`` at a time (:func:`.pool.run_pool`), so a tenant is
never rehearsed twice at once. As each rehearsal ends (in its worker): classify it, write it to
the history with its alert decision, update the metrics and their textfile, send the alert, keep
its screenshots as the tenant's last good ones when it went through, and journal a new drift.
After the cycle: ``junit.xml`` and ``rapport.html``.

``--every`` waits between cycle starts with a random jitter (± ``jitter``), never less than
5 minutes when a tenant is not on loopback (a real portal is not to be hammered);
:meth:`Monitor.stop` starts no new rehearsal: those under way finish and are recorded, then the
loop ends. SIGINT or SIGTERM (:mod:`assistant.interrupts`, to the monitor alone or to its whole
process group, as systemd stops a service) are the operator's, not the portal's: the rehearsals
under way end at once and are recorded as ``interrupted`` (no alert, no drift, not counted in the
portal's availability), no new one starts, and the monitor exits 130 / 143.

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

import threading
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import interrupts
from ..browser import connect_browser, open_browser
from ..errors import ConfigError, os_reason
from ..invoices.french import format_moment, format_seconds
from .alerts import Notifier
from .bookkeeping import Bookkeeper
from .drift import CLASS_FR, EXIT_CODES, INTERRUPTED, OK, Verdict, classify, worst
from .fingerprint import load_baseline, save_baseline
from .history import History, iso, utc_now
from .metrics import Metrics
from .options import MIN_EVERY_LOOPBACK_S, MIN_EVERY_S, MonitorOptions, check_every, floor_s, next_interval
from .pool import run_pool
from .rehearsal import Rehearsal, check_flow, rehearse
from .reports import TenantResult, write_html, write_junit
from .tenants import Tenant

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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
        self.books = Bookkeeper(options, self.history, self.metrics, self.notifier, say)
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
        """Start no new rehearsal, finish those under way, then stop (a signal, instead, ends them: :meth:`run`)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """:meth:`stop` was called, or a signal came (SIGINT, SIGTERM)."""
        return self._stop.is_set() or interrupts.received() is not None

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
        """One cycle (exit code of the worst class), or cycles every ``every_s`` until :meth:`stop` (0);
        130 / 143 once SIGINT / SIGTERM came (:mod:`assistant.interrupts`)."""
        try:
            if every_s is None:
                results = self.cycle()
                if self._stop.is_set() and not interrupts.received():
                    left = len(self.tenants) - len(results)
                    self.say(f"Arrêt demandé : répétitions en cours terminées et enregistrées, {left} commune(s) non "
                             "répétée(s).")
                code = EXIT_CODES[worst([r.verdict.klass for r in results])]
            else:
                code = self._every(every_s)
        except KeyboardInterrupt:
            if not interrupts.received():
                raise
        if interrupts.received():
            with interrupts.deferred():
                self.say(f"Surveillance interrompue par {interrupts.reason()} : les répétitions en cours sont "
                         "enregistrées comme interrompues, sans alerte ni effet sur la disponibilité du portail.")
            return interrupts.exit_code()
        return code

    def _every(self, every_s: float) -> int:
        check_every(every_s, self.tenants)
        while not self.stopping:
            started = time.monotonic()
            self.cycle()
            if self.stopping:
                break
            interval = next_interval(every_s, self.options.jitter, floor_s(self.tenants))
            wait = max(0.0, interval - (time.monotonic() - started))
            self.say(f"Prochain cycle dans {format_seconds(wait, 0)}.")
            self._stop.wait(wait)
        if not interrupts.received():
            self.say("Surveillance arrêtée proprement après les répétitions en cours.")
        return 0

    def cycle(self, *, baseline: bool = False) -> list[TenantResult]:
        """Rehearse every tenant once; write the reports; return the results in the tenants' order."""
        browser = self.browser()
        self.cycles += 1
        started = utc_now()

        def work(tenant: Tenant) -> TenantResult:
            return self._one(tenant, browser, baseline=baseline)

        done = run_pool(browser, self.tenants, work, workers=self.options.workers, stop=lambda: self.stopping)
        results = []
        for item in done:
            if item.cut:
                # the signal ended the run before it could be recorded (its browser died with it): recorded now
                with interrupts.deferred():
                    results.append(self._cut_short(item.job, started))
            elif item.error is not None:
                # a bug of ours, not the portal's: reported as such, never silently dropped
                verdict = Verdict("outage", f"Erreur interne du moniteur : {type(item.error).__name__}.")
                results.append(TenantResult(item.job.name, item.job.base_url, verdict, None, self.options.folder))
            else:
                results.append(item.result)
        folder = self.options.folder
        with interrupts.deferred():  # the reports are written whole whatever signal comes now
            write_junit(results, folder / "junit.xml")
            write_html(results, folder / "rapport.html", title="Surveillance de l’Espace Citoyens",
                       generated_at=format_moment(started.astimezone()))
        return results

    # -- one tenant --------------------------------------------------------------------------------
    def _paths(self, tenant: Tenant) -> tuple[Path, Path]:
        return self.options.folder / "references" / f"{tenant.name}.json", self.options.folder / "derniere-reussite" / tenant.name

    def _one(self, tenant: Tenant, browser: "Browser", *, baseline: bool) -> TenantResult:
        o = self.options
        saved = load_baseline(self._paths(tenant)[0])
        started = utc_now()
        run_dir = o.folder / "runs" / tenant.name / _stamp(started)
        self.say(f"→ {tenant.name} : répétition en cours…")
        run = rehearse(tenant, browser, o.flow, report_dir=run_dir, chromium=o.chromium,
                       timeouts=o.timeouts)  # screenshots of every step of every run: a drift's evidence
        with interrupts.deferred():  # what the rehearsal said is written down whole, whatever signal comes now
            result, notes = self._recorded(tenant, run, saved, started, baseline=baseline)
        verdict = result.verdict
        if o.guide is not None and not baseline and verdict.klass in (OK, "cosmetic") and not self.stopping:
            guide_dir = o.folder / "guides" / tenant.name
            if result.journaled or not (guide_dir / "guide.html").exists():
                try:
                    notes.append(self.books.guide(tenant, browser, guide_dir, run_dir / "guide"))
                except KeyboardInterrupt:
                    if not interrupts.received():
                        raise
                    notes.append("guide non mis à jour (interrompu)")
        with interrupts.deferred():
            self.books.prune(run_dir.parent)
            mark = "–" if verdict.klass == INTERRUPTED else "✗" if verdict.failing else "✓"
            extra = f" ({', '.join(notes)})" if notes else ""
            self.say(f"{mark} {tenant.name} : {CLASS_FR[verdict.klass]}{extra} — {verdict.message}")
        return result

    def _recorded(self, tenant: Tenant, run: Rehearsal, saved, started, *,
                  baseline: bool) -> tuple[TenantResult, list[str]]:
        """Classify the rehearsal, keep its baseline and screenshots when it went through, write it down."""
        reference, last_good = self._paths(tenant)
        run_dir = run.report_dir
        verdict = classify(run, None if baseline else saved)
        notes = []
        if verdict.klass == OK or (baseline and verdict.klass == "cosmetic"):
            if run.pages and (baseline or saved is None):
                save_baseline(reference, tenant.name, run.pages, iso(started))
                notes.append("référence enregistrée")
        if verdict.klass in (OK, "cosmetic") and any(run_dir.glob("step-*.jpeg")):
            self.books.keep_last_good(run_dir, last_good)
        result = TenantResult(tenant.name, tenant.base_url, verdict, run.report, run_dir, last_good_dir=last_good)
        self.books.record(tenant, run, verdict, result, started)
        return result, notes

    def _cut_short(self, tenant: Tenant, started) -> TenantResult:
        """A rehearsal the signal ended before it could say anything: recorded as interrupted."""
        run_dir = self.options.folder / "runs" / tenant.name / _stamp(started)
        verdict = Verdict(INTERRUPTED, f"Répétition interrompue par {interrupts.reason()}.")
        result = TenantResult(tenant.name, tenant.base_url, verdict, None, run_dir)
        self.books.record(tenant, Rehearsal(tenant, iso(started), run_dir), verdict, result, started)
        self.say(f"– {tenant.name} : {CLASS_FR[INTERRUPTED]} — {verdict.message}")
        return result


__all__ = ["MIN_EVERY_LOOPBACK_S", "MIN_EVERY_S", "Monitor", "MonitorOptions", "check_every", "floor_s",
           "next_interval"]
