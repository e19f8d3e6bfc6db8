"""``assistant factures`` on the replica: families with none, one and many invoices, every field."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from assistant.replica import Replica, ReplicaConfig
from support.invoices import ACCOUNTS, ROOT, list_invoices


def expected(username):
    """The invoices of ``username`` as accounts.json states them, newest first like the portal."""
    rows = sorted(ACCOUNTS[username]["invoices"], key=lambda i: (i["issued"], i["IdFactureUnique"]), reverse=True)
    return [(i["IdFactureUnique"], i["number"], i["label"], date.fromisoformat(i["issued"]), Decimal(i["amount"]),
             date.fromisoformat(i["due"]), "payée" if i["paid"] else "à payer", i["member"]) for i in rows]


def fields(invoices):
    return [(i.id, i.number, i.label, i.issued, i.amount, i.due, i.status, i.member) for i in invoices]


def test_many_invoices_every_field_as_the_portal_shows_it(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, "famille.martin")

    assert (report.outcome, report.exit_code) == ("listed", 0)
    assert fields(run.invoices) == expected("famille.martin")
    assert [i.problems for i in run.invoices] == [{}] * 4
    assert run.fallbacks == []
    assert len(report.result.invoices) == 4 and len(report.result.unpaid) == 2
    assert report.message == "4 facture(s) lue(s), dont 2 à payer (1\u00a0235,06\u00a0€)."


def test_odd_amount_fifty_cents_is_exact(replica, run_flow, tmp_path):
    _, run = list_invoices(run_flow, replica, tmp_path, "famille.martin")

    by_number = {i.number: i for i in run.invoices}
    assert by_number["260102"].amount == Decimal("0.50")
    assert by_number["260103"].amount == Decimal("1234.56")


def test_family_with_one_invoice(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, "famille.petit")

    assert report.outcome == "listed"
    assert fields(run.invoices) == expected("famille.petit")


def test_family_with_no_invoice(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, "famille.leroy")

    assert (report.outcome, report.exit_code) == ("listed", 0)
    assert run.invoices == []
    assert report.message == "Aucune facture dans « Mes factures »."


def test_unpaid_only(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, "famille.martin", unpaid_only=True)

    assert [i.number for i in run.invoices] == ["260103", "260102"]
    assert {i.status for i in run.invoices} == {"à payer"}


def test_a_hundred_and_fifty_invoices_all_read(replica, run_flow, tmp_path):
    report, run = list_invoices(run_flow, replica, tmp_path, "famille.moreau")

    assert report.outcome == "listed"
    assert len(run.invoices) == 150 and len({i.id for i in run.invoices}) == 150
    assert all(i.problems == {} for i in run.invoices)
    assert sum(i.status == "à payer" for i in run.invoices) == 3
    assert run.fallbacks == []


def test_odd_amounts_and_credit_note_from_the_replica(run_flow, tmp_path):
    """A family whose invoices carry a credit note, whole euros and a seven-digit amount."""
    data = {"accounts": [{**ACCOUNTS["famille.bernard"], "username": "famille.odd", "password": "Odd-2026",
                          "invoices": [
        {"IdFactureUnique": "1", "number": "A-1", "label": "Avoir", "issued": "2026-09-30", "amount": "-12.00",
         "due": "2026-10-01", "paid": True, "member": "Chloé BERNARD"},
        {"IdFactureUnique": "2", "number": "A-2", "label": "Forfait", "issued": "2026-02-28", "amount": "12",
         "due": "2026-03-31", "paid": False, "member": "Chloé BERNARD"},
        {"IdFactureUnique": "3", "number": "A-3", "label": "Séjour", "issued": "2024-02-29", "amount": "1234567.89",
         "due": "2024-12-31", "paid": False, "member": "Thomas BERNARD"}]}]}
    with Replica(ReplicaConfig(data=data, outbox_dir=tmp_path / "outbox", wait_modal_ms=0)) as rep:
        report, run = list_invoices(run_flow, rep, tmp_path, "famille.odd", password="Odd-2026")
    got = {i.number: (i.amount, i.issued, i.due, i.status) for i in run.invoices}
    assert got == {"A-1": (Decimal("-12.00"), date(2026, 9, 30), date(2026, 10, 1), "payée"),
                   "A-2": (Decimal("12.00"), date(2026, 2, 28), date(2026, 3, 31), "à payer"),
                   "A-3": (Decimal("1234567.89"), date(2024, 2, 29), date(2024, 12, 31), "à payer")}
    assert report.outcome == "listed"


def test_cli_prints_table_json_and_csv(run_assistant, tmp_path):
    base = ["factures", "--replica", "--account", "famille.martin", "--report-dir", str(tmp_path / "r")]
    shown = run_assistant(*base, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].split() == ["N°", "de", "facture", "Libellé", "Émise", "le", "Montant", "À",
                                                    "payer", "avant", "le", "Statut", "Concerne"]
    assert "260103" in shown.stdout and "1 234,56 €" in shown.stdout
    assert "4 facture(s) lue(s)" in shown.stderr

    as_json = run_assistant(*base, "--json", cwd=tmp_path)
    data = json.loads(as_json.stdout)
    assert [d["numero"] for d in data] == ["260103", "260102", "260101", "251201"]
    assert data[1]["montant"] == "0.50" and data[1]["statut"] == "à payer"

    as_csv = run_assistant(*base, "--csv", "--unpaid", cwd=tmp_path)
    assert as_csv.stdout.splitlines() == [
        "\ufeffN° de facture;Libellé;Émise le;Montant;À payer avant le;Statut;Concerne;PDF;Champs illisibles",
        "260103;Séjour d’hiver - février 2026;15/02/2026;1234,56;15/03/2026;à payer;Léo MARTIN;;",
        "260102;Restauration scolaire - janvier 2026;31/01/2026;0,50;28/02/2026;à payer;Inès MARTIN;;"]


def test_cli_json_and_csv_exclude_each_other(capsys):
    from assistant.cli import main

    assert main(["factures", "--replica", "--json", "--csv"]) == 2
    assert "--json et --csv s’excluent" in capsys.readouterr().err


def test_fixtures_family_data_is_what_the_tests_expect():
    assert (ROOT / "fixtures/accounts.json").is_file()
    assert len(ACCOUNTS["famille.leroy"]["invoices"]) == 0
    assert len(ACCOUNTS["famille.petit"]["invoices"]) == 1


def test_the_password_never_reaches_the_log_or_the_report(replica, run_flow, tmp_path, caplog_loguru):
    from assistant.report import write_all

    report, run = list_invoices(run_flow, replica, tmp_path, download_dir=tmp_path / "pdf")
    write_all(report, tmp_path / "report")

    password = ACCOUNTS["famille.martin"]["password"]
    assert report.outcome == "listed" and len(run.downloaded) == 4
    assert caplog_loguru.records and all(password not in r.getMessage() for r in caplog_loguru.records)
    written = [p for p in (tmp_path / "report").iterdir() if p.is_file()]
    assert written and all(password.encode() not in p.read_bytes() for p in written)
