"""``assistant factures`` with invoices to pay: the next action names each one's ``payer`` command (for the
same replica, family or commune) and flags those past their due date."""

from __future__ import annotations

import json
import shlex
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from assistant.cli_invoices import to_pay
from assistant.invoices.model import PAID, UNPAID, Invoice
from assistant.invoices.output import table
from assistant.suggest import launcher, with_flags
from support import assistant, child_env, suggested

ON_REPLICA = ("--replica", "--account", "famille.bernard")


def invoices(pay_url: str | None = "MonCompte/PayerFacture") -> list[Invoice]:
    return [Invoice("1", "260102", amount=Decimal("0.50"), due=date(2026, 2, 28), status=UNPAID, pay_url=pay_url),
            Invoice("2", "260103", amount=Decimal("1234.56"), due=date(2026, 3, 15), status=UNPAID, pay_url=pay_url),
            Invoice("3", "260101", amount=Decimal("86.40"), due=date(2026, 2, 28), status=PAID)]


def test_each_unpaid_invoice_gets_its_command_and_the_overdue_are_flagged():
    assert with_flags(to_pay(invoices(), date(2026, 3, 1)), ON_REPLICA) == (
        "Payer en ligne, une commande par facture : "
        "« assistant payer 260102 --replica --account famille.bernard » (0,50\u00a0€, échue depuis le 28/02/2026) ; "
        "« assistant payer 260103 --replica --account famille.bernard » (1\u00a0234,56\u00a0€, à payer avant le "
        "15/03/2026).")


def test_the_text_table_flags_the_invoices_past_their_due_date():
    lines = table(invoices(), date(2026, 3, 1)).splitlines()

    assert lines[2].startswith("260102") and lines[2].endswith("à payer (échue)")
    assert lines[3].startswith("260103") and lines[3].endswith("à payer")
    assert lines[4].endswith("payée") and "échue" not in table(invoices())


def test_the_due_date_itself_is_still_in_time():
    assert "échue" not in to_pay(invoices(), date(2026, 2, 28))


def test_with_no_payer_offered_activating_comes_first():
    action = to_pay(invoices(pay_url=None), date(2026, 3, 1))

    assert action.startswith("Le portail ne propose « Payer » pour aucune de ces factures : la facture en ligne "
                             "n’est sans doute pas activée (le vérifier avec « assistant statut », l’activer avec "
                             "l’accord de la famille avec « assistant adhesion »), puis payer, une commande par "
                             "facture : « assistant payer 260102 » (0,50\u00a0€, échue depuis le 28/02/2026)")


def test_factures_for_a_family_without_online_invoicing_says_to_activate_first(run_assistant, tmp_path):
    done = run_assistant("factures", "--replica", "--account", "famille.martin", "--json", "--report-dir",
                         str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "r" / "report.json").read_text())["next_action"].startswith(
        f"Le portail ne propose « Payer » pour aucune de ces factures : la facture en ligne n’est sans doute pas "
        f"activée (le vérifier avec « {suggested('statut --replica --account famille.martin')} »")


def test_nothing_to_pay_leaves_the_next_action_alone():
    assert to_pay(invoices()[2:], date(2026, 3, 1)) is None


def test_a_commune_or_an_address_is_repeated_in_each_command():
    action = to_pay(invoices()[:1], date(2026, 3, 1))
    on_tenant = with_flags(action, ("--tenant", "maisons-alfort"))
    on_address = with_flags(action, ("--base-url", "http://127.0.0.1:8000/x/espace-citoyens/"))

    assert "« assistant payer 260102 --tenant maisons-alfort »" in on_tenant
    assert "« assistant payer 260102 --base-url http://127.0.0.1:8000/x/espace-citoyens/ » (" in on_address
    assert with_flags(action, ()) == action


def test_a_command_naming_its_own_portal_or_none_is_left_as_it_is():
    text = "lancer « assistant replica » puis « assistant payer 1 --base-url ADRESSE » ou « assistant statut »"
    assert with_flags(text, ("--tenant", "x")) == (
        "lancer « assistant replica » puis « assistant payer 1 --base-url ADRESSE » ou « assistant statut --tenant x »")


def test_factures_on_the_replica_ends_with_the_payer_commands(run_assistant, tmp_path):
    done = run_assistant("factures", "--replica", "--account", "famille.bernard", "--report-dir", str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    when = "échue depuis" if date.today() > date(2026, 2, 28) else "à payer avant"
    expected = (f"Payer en ligne, une commande par facture : « {suggested('payer 260201 --replica --account')} "
                f"famille.bernard » (45,90\u00a0€, {when} le 28/02/2026).")
    assert f"Prochaine action : {expected}" in done.stderr
    assert json.loads((tmp_path / "r" / "report.json").read_text())["next_action"] == expected


def test_the_demo_family_is_repeated_in_the_suggested_commands(run_assistant, tmp_path):
    done = run_assistant("statut", "--replica", "--account", "famille.martin", "--json", "--report-dir",
                         str(tmp_path / "r"))

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["next_action"] == (
        f"Lancer « {suggested('adhesion --replica --account famille.martin')} » pour l’activer.")


def test_a_suggested_command_starts_the_way_the_agent_started_the_assistant(tmp_path):
    venv = tmp_path / ".venv" / "bin"
    assert launcher(str(venv / "assistant"), cwd=str(tmp_path)) == ".venv/bin/assistant"
    assert launcher(str(tmp_path / "src" / "assistant" / "__main__.py"), str(venv / "python"),
                    cwd=str(tmp_path)) == ".venv/bin/python -m assistant"
    assert launcher("/opt/my tools/bin/assistant", cwd=str(tmp_path)) == "'/opt/my tools/bin/assistant'"
    assert launcher("/usr/bin/pytest") == "assistant"


@pytest.mark.process
def test_a_command_printed_on_the_terminal_can_be_typed_as_it_is(tmp_path):
    done = assistant("statut", "--replica", "--report-dir", str(tmp_path / "r"), cwd=tmp_path)

    command = (done.stdout + done.stderr).split("Prochaine action : Lancer « ", 1)[1].split(" »", 1)[0]
    assert command.endswith(" -m assistant adhesion --replica"), command
    typed = subprocess.run([*shlex.split(command), "--help"], cwd=tmp_path, capture_output=True, text=True,
                           env=child_env(None), timeout=60)
    assert typed.returncode == 0 and typed.stdout.startswith("utilisation : assistant adhesion"), typed.stderr
