"""Every command, as the agent runs it (here in this process: ``run_assistant``), against a portal whose
server dies mid-run (the relay in front of the replica resets every connection and closes its port as
step 1 opens « Mes factures »): exit 3, « injoignable », never « le portail a changé » nor a control of
Chromium's own error page."""

from __future__ import annotations

import pytest

from support import CREDENTIALS
from support.relay import BEHIND, Relay

CHROMIUM = ("Reload", "Details", "Checking the proxy", "This site can", "chrome-error", "Contrôles proches")


@pytest.mark.parametrize("command", [("adhesion", "--yes"), ("statut",), ("factures",), ("diagnostic",)])
def test_a_portal_killed_mid_run_is_unreachable_exit_3_for_every_command(run_assistant, make_replica, tmp_path,
                                                                         command):
    relay = Relay(cut_at=("GET", "MonCompte"))
    replica = make_replica(host=BEHIND, port=relay.port)

    done = run_assistant(*command, "--base-url", relay.behind(replica), "--report-dir", str(tmp_path / "r"),
                         env=CREDENTIALS, cwd=tmp_path)

    said = done.stdout + done.stderr
    assert relay.down.is_set() and done.returncode == 3, said
    assert "injoignable" in said and "Traceback" not in said
    assert not [word for word in CHROMIUM if word in said], said
    assert "portail a changé" not in said
    assert replica.account("famille.martin")["adhesion"] == "NON"


def test_surveiller_classes_a_portal_killed_mid_run_as_an_outage(run_assistant, make_replica, tmp_path):
    relay = Relay(cut_at=("GET", "MonCompte"))
    replica = make_replica(host=BEHIND, port=relay.port)
    tenants = tmp_path / "communes.toml"
    tenants.write_text(f'[[tenant]]\nname = "alpha"\nbase_url = "{relay.behind(replica)}"\nlogin = "classic"\n'
                       'username_env = "MON_USER"\npassword_env = "MON_PASS"\n', encoding="utf-8")

    done = run_assistant("surveiller", "--tenants", str(tenants), "--dossier", str(tmp_path / "s"),
                         env={"MON_USER": "famille.martin", "MON_PASS": "Martin-2026"}, cwd=tmp_path)

    assert done.returncode == 3, done.stdout + done.stderr
    assert "✗ alpha : indisponibilité — Le portail est injoignable" in done.stdout
    assert not [word for word in CHROMIUM if word in done.stdout + done.stderr]
