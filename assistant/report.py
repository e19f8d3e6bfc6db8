"""Writes a :class:`RunReport` as ``report.json``, ``junit.xml`` and a self-contained French HTML page.

The HTML embeds the (already masked) screenshots, so it can be mailed or attached to a ticket as a
single file. Nothing here sees a secret: the runner scrubbed the report before.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from .results import RunReport

STATUS_FR = {"ok": "réussie", "failed": "échouée", "skipped": "non jouée"}
STATUS_MARK = {"ok": "✓", "failed": "✗", "skipped": "–"}
FACT_LABELS = {
    "request_number": "N° de demande",
    "request_status": "Statut de la demande",
    "choice_before": "Choix avant le parcours",
    "verified_choice": "Choix relu après « VALIDER »",
    "blocked_requests": "Requêtes bloquées par la garde réseau",
    "declined": "« VALIDER » refusé par l’opérateur",
}


def write_json(report: RunReport, directory: Path) -> Path:
    path = directory / "report.json"
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
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


def _img(directory: Path, name: str | None) -> str:
    if not name or not (directory / name).is_file():
        return ""
    data = base64.b64encode((directory / name).read_bytes()).decode("ascii")
    return f'<img alt="Capture de l’étape" src="data:image/jpeg;base64,{data}">'


def write_html(report: RunReport, directory: Path) -> Path:
    e = html.escape
    rows = []
    for s in report.steps:
        rows.append(
            f'<section class="step {s.status}"><h2>{STATUS_MARK[s.status]} Étape {s.number} · {e(s.title)}</h2>'
            f'<p>Statut : <strong>{STATUS_FR[s.status]}</strong>'
            f'{f" · durée {s.duration_s:.2f} s".replace(".", ",") if s.status != "skipped" else ""}'
            f'{f" · page atteinte : « {e(s.page)} »" if s.page else ""}</p>'
            f'{f"<p class=error>{e(s.error)}</p>" if s.error else ""}'
            f'{f"<p>Page enregistrée : <code>{e(s.html)}</code></p>" if s.html else ""}'
            f"{_img(directory, s.screenshot)}</section>"
        )
    facts = "".join(f"<li>{e(FACT_LABELS.get(k, k))} : {e(str(v))}</li>" for k, v in report.facts.items())
    doc = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport · {e(report.title)}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}}
.verdict{{padding:1rem;border-radius:.5rem;background:#eef6ee}} .verdict.ko{{background:#fbeaea}}
.step{{border-left:.4rem solid #8a8;padding:.2rem 1rem;margin:1rem 0}} .step.failed{{border-color:#c44}}
.step.skipped{{border-color:#bbb;color:#666}} .error{{color:#a22;font-weight:bold}}
img{{max-width:100%;border:1px solid #ccc}}
</style></head><body>
<h1>{e(report.title)}</h1>
<div class="verdict {'ko' if report.exit_code else 'ok'}"><p><strong>{e(report.message)}</strong></p>
<p>Prochaine action : {e(report.next_action)}</p>
<p>Résultat : <code>{e(report.outcome)}</code> (code de sortie {report.exit_code}) ·
{'répétition' if report.rehearse else 'exécution réelle'} · {e(report.base_url)} · durée {report.duration_s:.2f} s</p>
{f"<p>Arrêt : {e(report.stopped_at)}</p>" if report.stopped_at else ""}
{f"<ul>{facts}</ul>" if facts else ""}
{f"<p>Trace Playwright : <code>{e(report.trace)}</code> (npx playwright show-trace)</p>" if report.trace else ""}
</div>
{''.join(rows)}
</body></html>
"""
    path = directory / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path


def write_all(report: RunReport, directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {"json": write_json(report, directory), "junit": write_junit(report, directory),
            "html": write_html(report, directory)}
