"""``assistant diagnostic`` never turns what it did not read into an answer: invoices never read are
« inconnues » in the report as in the terminal (not « 0 à payer »), a status word never seen is counted
apart (and « rien n’est à payer » is not said), a total with an unreadable amount is no total, an adhesion
state that does not read is « illisible » (never « non activée »)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape

from assistant.errors import Unreadable
from assistant.helpdesk.diagnostic import diagnose, from_report
from assistant.invoices.model import PAID, UNPAID, Invoice
from assistant.outcomes import OUTCOMES
from assistant.pages.adhesion import AdhesionPage
from assistant.replica import Faults, Mutation
from assistant.results import RunReport, StepResult
from flows.diagnostic import DiagnosticResult
from support import replica_settings


def run(rep, browser, tmp_path, username, password=None):
    return diagnose(replica_settings(rep, username, password, report_dir=tmp_path / "diag"), browser=browser)


def report_text(tmp_path) -> str:
    html = (tmp_path / "diag" / "report.html").read_text(encoding="utf-8")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ").split())


def test_invoices_never_read_are_unknown_in_the_report_too(session_replica, browser, tmp_path):
    diagnosis, _ = run(session_replica, browser, tmp_path, "famille.durand")  # must change the password first

    assert "Factures : inconnues" in diagnosis.lines_fr()
    text = report_text(tmp_path)
    assert "Factures à payer inconnues (« Mes factures » non lu)" in text
    assert "Factures lues inconnues (« Mes factures » non lu)" in text
    assert not re.search(r"Factures (?:à payer|lues) 0", text)
    saved = json.loads((tmp_path / "diag" / "diagnostic.json").read_text(encoding="utf-8"))
    assert (saved["invoices"], saved["unpaid"], saved["unpaid_total"]) == (None, None, None)
    assert json.loads((tmp_path / "diag" / "report.json").read_text())["result"]["unpaid"] is None


def test_a_refused_login_reads_no_invoice(replica, browser, tmp_path):
    run(replica, browser, tmp_path, "famille.martin", "Pas-le-bon-1")
    assert "Factures à payer 0" not in report_text(tmp_path)


def test_a_status_word_never_seen_is_counted_apart_and_nothing_is_said_to_be_settled(replica, browser, tmp_path):
    replica.set_faults(Faults(mutations=(Mutation("replace_text", "À payer", "En litige"),)))
    diagnosis, report = run(replica, browser, tmp_path, "famille.bernard")  # adhered; 260201 to pay

    assert (diagnosis.outcome, diagnosis.invoices, diagnosis.unpaid, diagnosis.unreadable_status) == (
        "already_done", 2, 0, 1)
    assert "Factures : 0 à payer sur 2, 1 au statut illisible" in diagnosis.lines_fr()
    assert "rien n’est à payer" not in diagnosis.next_action
    assert "1 facture(s) au statut illisible : vérifier leur statut" in diagnosis.next_action
    assert "Factures au statut illisible (ni à payer ni payées) 1" in report_text(tmp_path)
    assert report.steps[2].html == "step-02.html"  # the page that showed the word, kept


def test_a_total_with_an_unreadable_amount_is_no_total():
    invoices = [Invoice("1", "260102", amount=Decimal("0.50"), status=UNPAID),
                Invoice("2", "260103", status=UNPAID, problems={"amount": "montant illisible : « NC »"}),
                Invoice("3", "260101", amount=Decimal("86.40"), status=PAID)]
    result = DiagnosticResult(invoices=invoices, choice_before="OUI", unreadable_amounts=1)
    report = RunReport("diagnostic", "t", "already_done", 0, "m", "n", "u", steps=[StepResult(0, "Connexion", "ok")],
                       result=result)
    diagnosis = from_report(report, "grandperigueux")

    assert diagnosis.unpaid_total is None
    assert diagnosis.dues_fr() == "2 à payer sur 3, total inconnu : 1 montant illisible"
    assert "1 montant(s) à payer illisible(s) : le total n’est pas connu." in diagnosis.warnings


def test_an_adhesion_state_that_does_not_read_is_illegible_never_inactive(session_replica, browser, tmp_path,
                                                                          monkeypatch):
    def unreadable(self):
        raise Unreadable("L’état de la facture en ligne n’a pas pu être lu (« Peut-être »).", page=self.TITLE,
                         seen="Peut-être")

    monkeypatch.setattr(AdhesionPage, "current_choice", unreadable)
    diagnosis, report = run(session_replica, browser, tmp_path, "famille.martin")

    assert (diagnosis.outcome, diagnosis.exit_code) == ("unreadable", OUTCOMES["unreadable"].exit_code) == (
        "unreadable", 8)
    assert diagnosis.online_invoicing == "unreadable"
    lines = diagnosis.lines_fr()
    assert any(line.startswith("Facture en ligne : illisible") for line in lines)
    assert not any("non activée" in line for line in lines)
    assert (diagnosis.invoices, diagnosis.unpaid) == (4, 2)  # read at step 2, before the state
    assert "n’a pas pu être lu" in diagnosis.blocking_point
    assert "Facture en ligne avant le parcours illisible" in report_text(tmp_path)
    assert report.to_dict()["result"]["choice_before"] is None
    saved = json.loads((tmp_path / "diag" / "diagnostic.json").read_text(encoding="utf-8"))
    assert saved["online_invoicing"] == "unreadable" and saved["exit_code"] == 8
