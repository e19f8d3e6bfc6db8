"""The adhesion state's values as every output shows them when they were not read: None means « not read »,
said « illisible », « non affiché » or « inconnu » in the terminal, report.json and report.html; never a
default, never left out as if there were nothing to read."""

from __future__ import annotations

import io
import json
import re
from html import unescape

from assistant.cli_common import print_verdict
from assistant.outcomes import OUTCOMES
from assistant.report import write_all
from assistant.report_dir import Saved
from assistant.results import RunReport, StepResult
from flows.adhesion import AdhesionResult
from flows.payment import PaymentRun
from flows.status import StatusResult

STEPS = [StepResult(n, f"Étape {n}", "ok") for n in range(6)]


def report_of(result, outcome: str, steps=None, flow: str = "adhesion") -> RunReport:
    return RunReport(flow, "Activer la facture en ligne", outcome, OUTCOMES[outcome].exit_code, "m", "n",
                     "http://127.0.0.1:9/gp/espace-citoyens/", steps=steps if steps is not None else list(STEPS),
                     result=result)


def outputs(report: RunReport, tmp_path) -> tuple[str, dict, str]:
    """The terminal's verdict, report.json and report.html's text."""
    paths = write_all(report, tmp_path)
    terminal = io.StringIO()
    print_verdict(report, Saved(paths=paths), terminal)
    html = " ".join(unescape(re.sub(r"<[^>]+>", " ", paths["html"].read_text(encoding="utf-8"))).split())
    return terminal.getvalue(), json.loads(paths["json"].read_text(encoding="utf-8")), html.replace("\u00a0", " ")


def test_a_state_that_did_not_read_is_illegible_everywhere(tmp_path):
    steps = [*STEPS[:2], StepResult(2, "Cliquez sur « Adhésion à la facture/compte en ligne »", "failed")]
    for result, flow in ((AdhesionResult(), "adhesion"), (StatusResult(), "statut")):
        _, data, html = outputs(report_of(result, "unreadable", steps, flow), tmp_path)
        assert data["result"] == {"choice_before": None} and data["exit_code"] == 8
        assert "Facture en ligne avant le parcours illisible" in html
        assert "non (n’adhère pas)" not in html


def test_a_request_number_not_shown_after_validate_is_said_not_shown(tmp_path):
    steps = [*STEPS, StepResult(6, "VALIDER", "ok", writes=True)]
    terminal, data, html = outputs(report_of(AdhesionResult(choice_before="NON", verified_choice="OUI"), "done", steps),
                                   tmp_path)
    assert "  N° de demande : non affiché" in terminal.splitlines()
    assert data["result"]["request_number"] is None
    assert "N° de demande non affiché" in html


def test_nothing_is_said_of_a_request_that_was_never_sent(tmp_path):
    terminal, data, html = outputs(report_of(AdhesionResult(choice_before="OUI"), "already_done"), tmp_path)
    assert "N° de demande" not in terminal and "request_number" not in data["result"] and "N° de demande" not in html


def test_a_state_not_read_back_after_validate_is_unknown(tmp_path):
    steps = [*STEPS, StepResult(6, "VALIDER", "ok", writes=True)]
    result = AdhesionResult(choice_before="NON", request_number="2026-000123", verification="impossible : m")
    _, data, html = outputs(report_of(result, "done", steps), tmp_path)
    assert data["result"]["verified_choice"] is None
    assert "Facture en ligne relue après « VALIDER » inconnue" in html


def test_an_amount_the_payment_page_does_not_carry_is_said_unchecked(tmp_path):
    run = PaymentRun("260201", payment_url="http://127.0.0.1:9/tpa/paiementws.web?idop=1", payment_mode="inconnu",
                     result="lien donné")
    _, data, html = outputs(report_of(run, "handed_off", flow="payer"), tmp_path)
    assert data["result"]["payment_amount"] is None
    assert "Montant demandé par la page de paiement non indiqué dans l’adresse de la page de paiement" in html
