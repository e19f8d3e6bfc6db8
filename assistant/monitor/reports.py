"""The monitor's reports after each cycle: ``junit.xml`` for CI systems and ``rapport.html`` in French.

JUnit: one ``<testsuite>`` per tenant, one ``<testcase>`` per step (a failed step is a
``<failure>`` whose type is the drift class, a step not played is ``<skipped/>``). The HTML
summary shows every tenant's class and message, the drifts of this cycle with their before/after
snippets, and for a failing step the last good screenshot beside the failing one (both already
masked by the runner, embedded so the file can be mailed as it is). The page is the autoescaped
template ``assistant/templates/monitor.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ..report import STATUS_FR, TEMPLATES, data_uri
from ..results import RunReport, StepResult
from .drift import CLASS_FR, Verdict


@dataclass
class TenantResult:
    """One tenant's rehearsal as the reports need it."""

    tenant: str
    base_url: str
    verdict: Verdict
    report: RunReport | None
    run_dir: Path
    last_good_dir: Path | None = None
    journaled: bool = False
    alerts: list[str] = field(default_factory=list)


def write_junit(results: list[TenantResult], path: Path) -> Path:
    root = ET.Element("testsuites", name="surveillance")
    for r in results:
        steps = r.report.steps if r.report else []
        suite = ET.SubElement(root, "testsuite", name=r.tenant, tests=str(len(steps) or 1),
                              failures=str(sum(s.status == "failed" for s in steps) or int(r.report is None)),
                              skipped=str(sum(s.status == "skipped" for s in steps)), errors="0",
                              time=f"{r.report.duration_s if r.report else 0:.3f}",
                              timestamp=(r.report.started_at if r.report else "") or "")
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="class", value=r.verdict.klass)
        if not steps:
            case = ET.SubElement(suite, "testcase", classname=r.tenant, name="répétition", time="0")
            ET.SubElement(case, "failure", message=r.verdict.message, type=r.verdict.klass)
        for s in steps:
            case = ET.SubElement(suite, "testcase", classname=r.tenant, name=f"{s.number:02d} {s.title}",
                                 time=f"{s.duration_s:.3f}")
            if s.status == "failed":
                failure = ET.SubElement(case, "failure", message=s.error or r.verdict.message, type=r.verdict.klass)
                failure.text = (f"classe : {CLASS_FR[r.verdict.klass]}\npage : {s.page or '?'}\nurl : {s.url or '?'}\n"
                                f"contrôle : {s.control or '-'}\n{r.verdict.message}")
            elif s.status == "skipped":
                ET.SubElement(case, "skipped", message="non jouée")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _failure(r: TenantResult) -> tuple[StepResult, list[tuple[str, str | None]]] | None:
    """The first failed step with the last good capture and the failing one (data URIs, or None)."""
    failed = next((s for s in r.report.steps if s.status == "failed"), None) if r.report else None
    if failed is None:
        return None
    good = data_uri(r.last_good_dir, f"step-{failed.number:02d}.jpeg") if r.last_good_dir else None
    return failed, [("Dernière réussite", good), ("Échec", data_uri(r.run_dir, failed.screenshot))]


def write_html(results: list[TenantResult], path: Path, *, title: str, generated_at: str) -> Path:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict.klass] = counts.get(r.verdict.klass, 0) + 1
    summary = ", ".join(f"{n} {CLASS_FR[k]}" for k, n in sorted(counts.items()))
    doc = TEMPLATES.get_template("monitor.html").render(
        title=title, generated_at=generated_at, summary=summary, classes=CLASS_FR, statuses=STATUS_FR,
        tenants=[(r, _failure(r)) for r in results])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8")
    return path
