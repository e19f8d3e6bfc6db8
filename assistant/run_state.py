"""The mutable state of one run, and the rehearsal's network guard (kept beside the runner)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from loguru import logger

from .errors import AssistantError
from .results import StepResult
from .steps import Flow


def now() -> str:
    """Now, in UTC, as ISO 8601 to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class NetworkGuard:
    """Once armed, aborts every request that could write (any method but GET/HEAD), whatever its host."""

    armed: bool = False
    blocked: list[str] = field(default_factory=list)

    def __call__(self, route) -> None:
        request = route.request
        if self.armed and request.method not in ("GET", "HEAD"):
            self.blocked.append(f"{request.method} {urlsplit(request.url).path}")
            logger.warning("network guard aborted {} {}", request.method, urlsplit(request.url).path)
            route.abort("blockedbyclient")
        else:
            route.fallback()


@dataclass
class RunState:
    """The mutable state of one run, shared by the runner's small methods."""

    flow: Flow
    rehearse: bool
    report_dir: Path
    guard: NetworkGuard
    results: list[StepResult] = field(default_factory=list)
    outcome: str | None = None
    failure: AssistantError | None = None
    end_message: str | None = None
    facts: dict = field(default_factory=dict)
    stopped_at: str | None = None
    tracing: bool = False
    trace: str | None = None
    first_trace: str | None = None
    started_at: str = field(default_factory=now)
    t0: float = field(default_factory=time.perf_counter)
