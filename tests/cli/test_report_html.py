"""The HTML reports: Jinja2 templates with autoescaping, French numbers through assistant.invoices.french."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.invoices.french import format_moment, format_number, format_seconds
from assistant.monitor.drift import Verdict
from assistant.monitor.fingerprint import Difference
from assistant.monitor.reports import TenantResult
from assistant.monitor.reports import write_html as write_summary
from flows.adhesion import AdhesionResult
from assistant.report import write_html
from assistant.results import RunReport, StepResult

SCRIPT = "<script>alert('portail')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;portail&#39;)&lt;/script&gt;"


def _report(message: str = "Le portail a dit : " + SCRIPT) -> RunReport:
    steps = [StepResult(0, "Connexion à l’espace famille", "ok", duration_s=1.234),
             StepResult(1, "Allez dans « Mes factures »", "failed", duration_s=0.5, error="Bouton absent " + SCRIPT,
                        page="Mes <b>factures</b>", candidates=["<img src=x onerror=alert(1)>"]),
             StepResult(2, "Cliquez sur « MODIFIER »", "skipped")]
    return RunReport("adhesion", "Adhésion <i>", "portal_changed", 4, message, "Appeler le support.",
                     "http://127.0.0.1:9/gp/espace-citoyens/", steps=steps, duration_s=12.3456,
                     result=AdhesionResult(recap_answer=SCRIPT), blocked_requests=["POST /a<b>", "POST /c"])


def test_report_escapes_what_the_portal_said(tmp_path: Path):
    html = write_html(_report(), tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html and "<b>factures" not in html
    assert f"<p><strong>Le portail a dit : {ESCAPED}</strong></p>" in html
    assert f'<p class="error">Bouton absent {ESCAPED}</p>' in html
    assert "<li>&lt;img src=x onerror=alert(1)&gt;</li>" in html
    assert f"<dt>Réponse sur la page de « VALIDER »</dt><dd>{ESCAPED}</dd>" in html
    assert "<dd>POST /a&lt;b&gt;, POST /c</dd>" in html
    assert "<title>Rapport · Adhésion &lt;i&gt;</title>" in html


def test_report_numbers_in_french(tmp_path: Path):
    html = write_html(_report("Terminé."), tmp_path).read_text(encoding="utf-8")
    assert "durée 12,35 s</p>" in html and "durée 1,23 s" in html and "durée 0,50 s" in html
    assert "Statut : <strong>non jouée</strong>\n" in html  # a step not played has no duration


def test_monitor_summary_escapes_what_the_portal_said(tmp_path: Path):
    report = _report()
    verdict = Verdict("breaking", "Changement : " + SCRIPT,
                      differences=[Difference(1, "Mes factures", "un bouton a disparu", "<button>MODIFIER</button>", "")])
    result = TenantResult("gp<x>", report.base_url, verdict, report, tmp_path, alerts=["json://h/<a>"])
    html = write_summary([result], tmp_path / "rapport.html", title="Surveillance",
                         generated_at="30/09/2026 14:05:09").read_text(encoding="utf-8")
    assert "<script>" not in html and "<button>" not in html and "<img src=x" not in html
    assert f"<td>Changement : {ESCAPED}</td>" in html and f"<td>Bouton absent {ESCAPED}</td>" in html
    assert '<a href="#t-gp&lt;x&gt;">gp&lt;x&gt;</a>' in html
    assert '<pre class="before">&lt;button&gt;MODIFIER&lt;/button&gt;</pre><pre class="after">(rien)</pre>' in html
    assert "Alertes envoyées : json://h/&lt;a&gt;</p>" in html
    assert "durée 12,35 s" in html and "<p class=\"none\">Échec : aucune capture.</p>" in html


def test_one_french_formatter_for_numbers_durations_and_moments():
    assert format_number(1234.567) == "1234,57" and format_number(99.95, 1) == "100,0"
    assert format_seconds(1.234) == "1,23 s" and format_seconds(0.26, 1) == "0,3 s" and format_seconds(42.4, 0) == "42 s"
    assert format_moment(datetime(2026, 9, 30, 14, 5, 9)) == "30/09/2026 14:05:09"
