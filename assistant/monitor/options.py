"""How a monitor runs (built by the CLI from its flags), how long it waits between two cycles (never
less than 5 minutes when a tenant is not on loopback: a real portal is not to be hammered), and the
folder and files it writes (checked before any run, :func:`usable_folders`).
"""

from __future__ import annotations

import os
import random
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..config import Timeouts
from ..errors import ConfigError
from ..report_dir import Writer, file_ready, ready
from .alerts import AlertPolicy
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


#: the monitor's folder: its own files (reports, metrics, log) are replaced only once it has taken the folder
#: (the proof, written then; an older monitor's history proves it too); other files (a cron log) stay beside
MONITOR = Writer("Dossier du moniteur", "--dossier",
                 re.compile(r"rapport\.html|junit\.xml|metrics\.prom|run\.log|derives\.jsonl|historique\.sqlite"),
                 (".surveillance-assistant", "historique.sqlite"), adopt=True)


def usable_folders(options: MonitorOptions) -> None:
    """The monitor's folder and files (French ConfigError naming the option otherwise, exit 2)."""
    ready(options.folder, MONITOR)
    if options.metrics_file is not None:
        file_ready(options.metrics_file, what="Fichier des métriques", key="--metrics-file",
                   ours=lambda head: head.startswith(b"# HELP "))
    if options.history_path is not None:
        file_ready(options.history_path, what="Fichier de l’historique", key="--history",
                   ours=lambda head: head.startswith(b"SQLite format 3\0"))
