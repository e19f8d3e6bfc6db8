"""The monitor's reports after each cycle: ``junit.xml`` for CI systems and ``rapport.html`` in French.

JUnit: one ``<testsuite>`` per tenant, one ``<testcase>`` per step (a failed step is a
``<failure>`` whose type is the drift class, a step not played is ``<skipped/>``). The HTML
summary shows every tenant's class and message, the drifts of this cycle with their before/after
snippets, and for a failing step the last good screenshot beside the failing one (both already
masked by the runner, embedded so the file can be mailed as it is).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ..results import RunReport
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


def _img(path: Path | None, alt: str) -> str:
    if path is None or not path.is_file():
        return f'<p class="none">{html.escape(alt)} : aucune capture.</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/jpeg;base64,{data}"><figcaption>{html.escape(alt)}</figcaption></figure>'


def _tenant_section(r: TenantResult) -> str:
    e = html.escape
    v = r.verdict
    parts = [f'<section class="tenant {v.klass}"><h2>{e(r.tenant)} — {e(CLASS_FR[v.klass])}</h2>',
             f"<p>{e(v.message)}</p><p class=small>{e(r.base_url)}"
             f"{f' · durée {r.report.duration_s:.2f} s'.replace('.', ',') if r.report else ''}"
             f" · dossier : <code>{e(str(r.run_dir))}</code></p>"]
    if r.alerts:
        parts.append("<p>Alertes envoyées : " + ", ".join(e(a) for a in r.alerts) + "</p>")
    if r.report:
        rows = "".join(
            f"<tr class={s.status}><td>{s.number}</td><td>{e(s.title)}</td><td>{e({'ok': 'réussie', 'failed': 'échouée', 'skipped': 'non jouée'}[s.status])}</td>"
            f"<td>{f'{s.duration_s:.2f} s'.replace('.', ',') if s.status != 'skipped' else ''}</td>"
            f"<td>{e(s.error or '')}</td></tr>" for s in r.report.steps)
        parts.append(f"<table><tr><th>Étape</th><th>Consigne</th><th>Statut</th><th>Durée</th><th>Erreur</th></tr>{rows}</table>")
        failed = next((s for s in r.report.steps if s.status == "failed"), None)
        if failed is not None:
            good = r.last_good_dir / f"step-{failed.number:02d}.jpeg" if r.last_good_dir else None
            now = r.run_dir / failed.screenshot if failed.screenshot else None
            parts.append(f'<h3>Étape {failed.number} : dernière capture réussie et capture de l’échec</h3>'
                         f'<div class="pair">{_img(good, "Dernière réussite")}{_img(now, "Échec")}</div>')
    for d in v.differences:
        parts.append(f"<h3>Étape {d.step} · {e(d.page or '')} : {e(d.summary)}</h3>"
                     f'<div class="pair"><pre class="before">{e(d.before) or "(rien)"}</pre>'
                     f'<pre class="after">{e(d.after) or "(rien)"}</pre></div>')
    parts.append("</section>")
    return "".join(parts)


def write_html(results: list[TenantResult], path: Path, *, title: str, generated_at: str) -> Path:
    e = html.escape
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict.klass] = counts.get(r.verdict.klass, 0) + 1
    summary = ", ".join(f"{n} {CLASS_FR[k]}" for k, n in sorted(counts.items()))
    rows = "".join(f'<tr class="{r.verdict.klass}"><td><a href="#t-{e(r.tenant)}">{e(r.tenant)}</a></td>'
                   f"<td>{e(CLASS_FR[r.verdict.klass])}</td><td>{e(r.verdict.message)}</td></tr>" for r in results)
    sections = "".join(f'<div id="t-{e(r.tenant)}">{_tenant_section(r)}</div>' for r in results)
    doc = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;color:#222}}
table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
tr.ok td:nth-child(2),tr.cosmetic td:nth-child(2){{color:#275}} tr.breaking td:nth-child(2),tr.outage td:nth-child(2),tr.access td:nth-child(2){{color:#a22;font-weight:bold}}
tr.failed{{background:#fbeaea}} .tenant{{border-left:.4rem solid #8a8;padding:.2rem 1rem;margin:1.5rem 0}}
.tenant.breaking,.tenant.outage,.tenant.access{{border-color:#c44}} .tenant.cosmetic{{border-color:#db3}}
.pair{{display:flex;gap:1rem}} .pair>*{{flex:1;min-width:0}} img{{max-width:100%;border:1px solid #ccc}}
pre{{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8rem}} pre.before{{border-left:.3rem solid #c44}} pre.after{{border-left:.3rem solid #4a4}}
.small{{color:#666;font-size:.9rem}}
</style></head><body>
<h1>{e(title)}</h1>
<p>Cycle du {e(generated_at)} : {len(results)} commune(s) — {e(summary or "aucune")}.</p>
<table><tr><th>Commune</th><th>Classe</th><th>Message</th></tr>{rows}</table>
{sections}
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8")
    return path
