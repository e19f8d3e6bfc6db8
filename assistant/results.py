"""Typed results of a run: one :class:`StepResult` per step, one :class:`RunReport` per run.

A flow's own result (what its steps read: the family's state, a request number, the invoices) is
a dataclass of the flow's (:attr:`assistant.steps.Flow.result`) carried as ``RunReport.result``;
:func:`report_view` is what of it the reports show: plain values, never personal data (a field
with ``metadata={"report": False}`` stays out; a result may define ``report_view()`` itself).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

StepStatus = Literal["ok", "failed", "skipped"]
Plain = str | int | float | bool


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


def report_view(result: Any) -> dict[str, Plain | list[str]]:
    """The reportable part of a flow's result: plain values and lists of strings, empty ones left out."""
    if result is None:
        return {}
    if hasattr(result, "report_view"):
        return result.report_view()
    if not is_dataclass(result):
        return {}
    view: dict[str, Plain | list[str]] = {}
    for f in fields(result):
        value = getattr(result, f.name)
        if not f.metadata.get("report", True) or value in (None, "", [], {}):
            continue
        if isinstance(value, (str, int, float, bool)):
            view[f.name] = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            view[f.name] = list(value)
    return view


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
    #: the commune (the portal's tenant) and the family's identifiant, masked in part
    commune: str | None = None
    account: str | None = None
    #: played on the embedded replica (training data, no real family)
    replica: bool = False
    duration_s: float = 0.0
    steps: list[StepResult] = field(default_factory=list)
    #: the flow's typed result (see :func:`report_view` for what the reports show of it)
    result: Any = None
    trace: str | None = None
    stopped_at: str | None = None
    # what the runner itself noticed on the way
    consent_refused: str | None = None
    dialogs_closed: str | None = None
    session_relogin: str | None = None
    blocked_requests: list[str] = field(default_factory=list)
    first_trace: str | None = None
    trace_lost: str | None = None

    def shown(self) -> dict[str, Plain | list[str]]:
        """What the reports list about the run: the flow's result, then the runner's notes."""
        notes = {"consent_refused": self.consent_refused, "dialogs_closed": self.dialogs_closed,
                 "session_relogin": self.session_relogin,
                 "blocked_requests": self.blocked_requests, "first_trace": self.first_trace,
                 "trace_lost": self.trace_lost}
        return {**report_view(self.result), **{k: v for k, v in notes.items() if v}}

    def unread(self) -> dict[str, str]:
        """The values of the family's state this run had to read and did not, each with why (« illisible »:
        the page showed it and it did not read; « non affiché »: the page did not show it; « inconnu »: not
        read back). None in a flow's result means not read: this says which of them the reports name."""
        result, missing = self.result, {}
        if (getattr(result, "choice_before", "") is None and self.outcome == "unreadable"
                and getattr(result, "choice_before_validate", None) is None):
            missing["choice_before"] = "illisible"  # the first state read is the one that did not read
        writing = next((s for s in self.steps if s.writes), None)
        sent = (writing is not None and writing.status == "ok" and self.outcome in ("done", "pending")
                and getattr(result, "choice_before_validate", None) is None)
        for key in ("request_number", "request_status"):  # read on the confirmation, else in « Mes démarches »
            if sent and getattr(result, key, "") is None:
                missing[key] = "non affiché" if getattr(result, "after_validate", None) is None else "inconnu"
        if sent and getattr(result, "verified_choice", "") is None:
            missing["verified_choice"] = "inconnue"
        return missing

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("steps", "result")}
        data["steps"] = [asdict(step) for step in self.steps]
        # what was not read is null, never left out as if there were nothing to read
        data["result"] = {**report_view(self.result), **dict.fromkeys(self.unread())}
        return data
