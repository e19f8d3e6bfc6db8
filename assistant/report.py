"""Writes a :class:`RunReport` as ``report.json``, ``junit.xml`` and a self-contained French HTML page.

The HTML page is the Jinja2 template ``assistant/templates/report.html`` (autoescaped, numbers
through :mod:`assistant.invoices.french`); it embeds the (already masked) screenshots, so it can be
mailed or attached to a ticket as a single file. Nothing here sees a secret: the runner scrubbed
the report before.
"""

from __future__ import annotations

import base64
import json
import shlex
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from jinja2 import Environment, PackageLoader, select_autoescape

from . import report_labels as labels
from .invoices.french import format_seconds
from .invoices.model import Invoice
from .report_labels import STATUS_FR, STATUS_MARK
from .results import RunReport
from .suggest import launcher


def as_json(report: RunReport) -> str:
    """``report.json``'s text (also what ``--json`` prints)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def write_json(report: RunReport, directory: Path) -> Path:
    path = directory / "report.json"
    path.write_text(as_json(report), encoding="utf-8")
    return path


def write_junit(report: RunReport, directory: Path) -> Path:
    """One testcase per step; a skipped step is <skipped/>, a failed one <failure/>."""
    failures = sum(s.status == "failed" for s in report.steps)
    skipped = sum(s.status == "skipped" for s in report.steps)
    suite = ET.Element("testsuite", name=report.flow, tests=str(len(report.steps)), failures=str(failures),
                       skipped=str(skipped), errors="0", time=f"{report.duration_s:.3f}",
                       timestamp=report.started_at or "")
    for step in report.steps:
        case = ET.SubElement(suite, "testcase", classname=f"{report.flow}", name=f"{step.number:02d} {step.title}",
                             time=f"{step.duration_s:.3f}")
        if step.status == "failed":
            failure = ET.SubElement(case, "failure", message=step.error or report.outcome, type=report.outcome)
            failure.text = f"page: {step.page or '?'}\nurl: {step.url or '?'}\ncontrôle: {step.control or '-'}"
        elif step.status == "skipped":
            ET.SubElement(case, "skipped", message="non jouée")
    root = ET.Element("testsuites")
    root.append(suite)
    path = directory / "junit.xml"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


#: the report templates (``assistant/templates``), shared with the monitor's summary
TEMPLATES = Environment(loader=PackageLoader("assistant", "templates"), autoescape=select_autoescape(default=True))
TEMPLATES.filters["seconds"] = format_seconds
TEMPLATES.filters["unbroken"] = labels.unbroken


def data_uri(directory: Path, name: str | None) -> str | None:
    """An embedded JPEG (``data:`` URI) of ``directory/name``, or None when there is no such file."""
    if not name or not (directory / name).is_file():
        return None
    return "data:image/jpeg;base64," + base64.b64encode((directory / name).read_bytes()).decode("ascii")


def invoice_rows(result: object, today: date | None) -> list[dict[str, str]]:
    """The family's invoices as the report lists them (number, label, dates, amount, status, those past
    their due date on the run's ``today`` flagged; no names)."""
    invoices = getattr(result, "invoices", None)
    if not isinstance(invoices, list) or not all(isinstance(inv, Invoice) for inv in invoices):
        return []
    return [{k: v for k, v in inv.cells_fr(today).items() if k != "Concerne"} for inv in invoices]


def write_html(report: RunReport, directory: Path) -> Path:
    """A self-contained French page: a printable summary (when, which commune and account, the verdict,
    what was learnt, the invoices), the report's files as relative links, each step with its capture."""
    present = [(name, what) for name, what in labels.FILES if (directory / name).is_file()]
    run_day = date.fromisoformat(report.started_at[:10]) if report.started_at else None
    page = TEMPLATES.get_template("report.html").render(
        report=report, facts=labels.facts(report.shown(), report.unread()), marks=STATUS_MARK, statuses=STATUS_FR,
        outcome=labels.outcome_label(report.outcome), when=labels.moment(report.started_at),
        invoices=invoice_rows(report.result, run_day), files=present, folder=shlex.quote(str(directory)),
        launcher=launcher(),
        images={s.number: data_uri(directory, s.screenshot) for s in report.steps})
    path = directory / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_all(report: RunReport, directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {"json": write_json(report, directory), "junit": write_junit(report, directory),
            "html": write_html(report, directory)}
