"""The HTML reports: Jinja2 templates with autoescaping, French numbers through assistant.invoices.french."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from assistant.invoices.french import format_moment, format_number, format_seconds
from assistant.monitor.drift import Verdict
from assistant.monitor.fingerprint import Difference
from assistant.monitor.reports import TenantResult
from assistant.monitor.reports import write_html as write_summary
from assistant.config import Settings
from assistant.invoices.model import Invoice, InvoiceOptions, InvoiceRun
from assistant.outcomes import OUTCOMES
from assistant.redact import Redactor
from assistant.report import write_html
from assistant.report_labels import FACT_LABELS, OUTCOME_LABELS
from assistant.results import RunReport, StepResult
from assistant.run_state import NetworkGuard, RunState
from assistant.steps import EndFlow
from flows import registry
from flows.adhesion import AdhesionResult
from flows.diagnostic import DiagnosticResult
from flows.payment import PaymentRun, announce

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
    assert f"<p><strong>✗ Le portail a dit : {ESCAPED}</strong></p>" in html
    assert f'<p class="error">Bouton absent {ESCAPED}</p>' in html
    assert "<li>&lt;img src=x onerror=alert(1)&gt;</li>" in html
    assert f"<tr><th>Réponse sur la page de «\u00a0VALIDER\u00a0»</th><td>{ESCAPED}</td></tr>" in html
    assert "<td>POST /a&lt;b&gt;, POST /c</td>" in html
    assert "<title>Rapport · Adhésion &lt;i&gt;</title>" in html


def test_report_numbers_in_french(tmp_path: Path):
    html = write_html(_report("Terminé."), tmp_path).read_text(encoding="utf-8")
    assert "<th>Durée</th><td>12,35 s</td>" in html and "durée 1,23 s" in html and "durée 0,50 s" in html
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


# -- issue 12, item 8: a report that serves as a record ---------------------------------------------
class _Text(HTMLParser):
    """The page's visible text (no tags, no attributes, no style)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _invoice(number, label, amount, status, member="Léo MARTIN") -> Invoice:
    return Invoice(id=number, number=number, label=label, issued=date(2026, 2, 15), amount=Decimal(amount),
                   due=date(2026, 3, 15), status=status, member=member)


def _invoices() -> InvoiceRun:
    return InvoiceRun(options=InvoiceOptions(download_dir=Path("pdf")), invoices=[
        _invoice("260103", "Séjour d’hiver - février 2026", "1234.56", "à payer"),
        _invoice("260101", "Accueil de loisirs - janvier 2026", "86.40", "payée", member="Inès MARTIN")],
        fallbacks=["détail lu par clic"], downloaded=["260103.pdf"])


def _run(result, outcome="listed", **kw) -> RunReport:
    defaults = dict(started_at="2026-11-27T13:05:09.123+00:00", commune="grandperigueux", account="ma•••••@…",
                    duration_s=8.2812, steps=[StepResult(0, "Connexion à l’espace famille", "ok", duration_s=1.5)],
                    message="Fait.", next_action="Aucune action.")
    return RunReport(flow="factures", title="Consulter les factures", outcome=outcome,
                     exit_code=OUTCOMES[outcome].exit_code, base_url="http://127.0.0.1:9/grandperigueux/espace-citoyens/",
                     result=result, **{**defaults, **kw})


def test_report_states_when_which_commune_and_whose_account(tmp_path):
    html = write_html(_run(_invoices()), tmp_path).read_text(encoding="utf-8")
    assert "<th>Date et heure</th><td>27 novembre 2026 à 14 h 05 (heure de Paris, UTC+1)</td>" in html
    assert "<th>Commune</th><td>grandperigueux · portail" in html
    assert "<th>Compte (identifiant masqué)</th><td>ma•••••@…</td>" in html
    assert "réplique" not in html


def test_a_training_run_on_the_replica_says_so(tmp_path):
    state = RunState(flow=registry.flow("statut"), rehearse=False, report_dir=tmp_path, guard=NetworkGuard())
    settings = Settings(again=("--replica",)).with_credentials("famille.martin", "x" * 8)
    html = write_html(state.report(settings, Redactor()), tmp_path).read_text(encoding="utf-8")

    assert "exécution réelle · sur la réplique de formation (familles de démonstration, aucune famille réelle)" in html
    assert "<th>Commune</th><td>grandperigueux (réplique de formation) · portail" in html


def test_the_run_report_carries_the_commune_and_the_account_masked_in_part(tmp_path):
    state = RunState(flow=registry.flow("statut"), rehearse=False, report_dir=tmp_path, guard=NetworkGuard())
    settings = Settings(base_url="https://www.espace-citoyens.net/maisons-alfort/espace-citoyens/")
    report = state.report(settings.with_credentials("marie.dupont@example.fr", "Secret-2026"), Redactor())

    assert (report.commune, report.account) == ("maisons-alfort", "ma•••••@…")
    assert report.to_dict()["account"] == "ma•••••@…"
    assert state.report(settings.with_credentials("famille.martin", "x" * 8), Redactor()).account == "fa•••••"


def test_every_outcome_and_fact_has_a_french_label():
    assert set(OUTCOMES) <= set(OUTCOME_LABELS)
    results = [AdhesionResult(*(f"v{i}" for i in range(8))), _invoices(), DiagnosticResult(
        choice_before="EN_ATTENTE", unpaid_total=Decimal("1235.06"), next_due=date(2026, 2, 28), unreadable_amounts=1),
        PaymentRun("260103", payment_url="https://payfip.example/pay", payment_mode="TEST", result="lien donné")]
    notes = dict(consent_refused="tarteaucitron", session_relogin="étape 2", blocked_requests=["POST /x"],
                 first_trace="trace-1.zip", trace_lost="non nettoyable")
    keys = {key for result in results for key in _run(result, **notes).shown()}
    assert keys <= set(FACT_LABELS), keys - set(FACT_LABELS)


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_no_code_is_visible_in_the_report(tmp_path, outcome):
    """Outcome and fact codes stay in report.json: the page says them in French."""
    notes = dict(session_relogin="étape 2", blocked_requests=["POST /x"], trace_lost="non nettoyable")
    text = visible_text(write_html(_run(_invoices(), outcome, **notes), tmp_path).read_text(encoding="utf-8"))
    codes = {*OUTCOMES, *FACT_LABELS, "ok", "failed", "skipped", "True", "False", "None"}
    assert not [code for code in codes if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text)]


def test_numbers_amounts_and_dates_in_one_french_style(tmp_path):
    result = DiagnosticResult(choice_before="EN_ATTENTE", unpaid_total=Decimal("1235.06"), next_due=date(2026, 2, 28))
    text = visible_text(write_html(_run(result, "pending"), tmp_path).read_text(encoding="utf-8"))
    assert "Total à payer 1\u00a0235,06\u00a0€" in text and "Date limite de paiement échue depuis le 28/02/2026" in text
    assert "Durée 8,28 s" in text and "Facture en ligne avant le parcours demande en attente" in text
    assert "1235.06" not in text and "2026-02-28" not in text and "EN_ATTENTE" not in text


def test_the_familys_invoices_are_listed_as_text_without_names(tmp_path):
    html = write_html(_run(_invoices()), tmp_path).read_text(encoding="utf-8")
    assert ('<tr><td>260103</td><td>Séjour d’hiver - février 2026</td><td>15/02/2026</td>'
            '<td class="amount">1 234,56 €</td><td>15/03/2026</td><td>à payer (échue)</td></tr>') in html  # run: 27/11/2026
    assert "<td>payée</td>" in html and "MARTIN" not in html


def test_legend_links_and_how_to_open_the_trace(tmp_path):
    for name in ("run.log", "trace.zip", "step-01-failed.jpeg"):
        (tmp_path / name).write_bytes(b"x")
    steps = [StepResult(1, "Allez dans « Mes factures »", "failed", html="step-01-failed.html",
                        screenshot="step-01-failed.jpeg")]
    html = write_html(_run(_invoices(), "portal_changed", steps=steps, trace="trace.zip"), tmp_path).read_text()
    assert "les blocs de couleur unie (magenta) cachent des données personnelles" in html
    assert '<a href="run.log">run.log</a>' in html and '<a href="trace.zip">trace.zip</a>' in html
    assert 'Page enregistrée : <a href="step-01-failed.html">step-01-failed.html</a>' in html
    assert '<a href="step-01-failed.jpeg"><img alt="Capture de l’étape 1"' in html
    assert f"<code>assistant trace {tmp_path}</code>" in html and "npx" not in html


def test_nothing_points_at_the_terminal(tmp_path):
    """A link given to nobody at the browser: its report does not say « ci-dessus »."""
    run = PaymentRun("260103", invoice=_invoice("260103", "Séjour", "12.00", "à payer"))
    with pytest.raises(EndFlow) as ended:
        announce(SimpleNamespace(mode="TEST"), run)
    report = _run(run, ended.value.outcome, message=ended.value.message)
    assert "ci-dessus" not in write_html(report, tmp_path).read_text(encoding="utf-8")


def test_a_printed_report_keeps_its_summary_on_page_one(tmp_path, page):
    long_link = "https://payfip.example/paiement?" + "numcli=123456&" * 30
    run = PaymentRun("260103", payment_url=long_link, payment_mode="TEST")
    report = _run(run, "handed_off", steps=[StepResult(n, f"Étape {n}", "ok", duration_s=1.0) for n in range(4)])
    page.set_viewport_size({"width": 800, "height": 900})
    page.set_content(write_html(report, tmp_path).read_text(encoding="utf-8"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 800  # the long link is wrapped
    page.emulate_media(media="print")
    summary = page.locator(".summary")
    assert summary.evaluate("e => getComputedStyle(e).breakAfter") == "page"
    expect(summary).to_contain_text("27 novembre 2026 à 14 h 05")
    expect(summary).to_contain_text("ma•••••@…")
    expect(page.locator(".files")).to_be_hidden()


def test_the_printed_summary_fits_one_page_with_many_invoices(tmp_path, page):
    many = InvoiceRun(invoices=[_invoice(f"26{n:04d}", "Accueil de loisirs", "12.00", "à payer") for n in range(150)])
    page.set_viewport_size({"width": 688, "height": 1000})  # A4 less the 1,4 cm margins, at 96 dpi
    page.set_content(write_html(_run(many), tmp_path).read_text(encoding="utf-8"))
    page.emulate_media(media="print")

    assert page.locator(".summary").bounding_box()["height"] < 1000
    expect(page.locator(".invoice-list tbody tr")).to_have_count(150)
