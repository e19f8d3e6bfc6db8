"""Typed results of a run: one :class:`StepResult` per step, one :class:`RunReport` per run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StepStatus = Literal["ok", "failed", "skipped"]


@dataclass
class StepResult:
    number: int
    title: str
    status: StepStatus
    writes: bool = False
    started_at: str | None = None
    duration_s: float = 0.0
    page: str | None = None
    url: str | None = None
    error: str | None = None
    control: str | None = None
    candidates: list[str] = field(default_factory=list)
    screenshot: str | None = None
    html: str | None = None


@dataclass
class RunReport:
    flow: str
    title: str
    outcome: str
    exit_code: int
    message: str
    next_action: str
    base_url: str
    rehearse: bool = False
    started_at: str | None = None
    duration_s: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    trace: str | None = None
    stopped_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
