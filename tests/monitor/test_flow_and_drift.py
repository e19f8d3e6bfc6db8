"""The rehearsal flow is data (never the writing step), and classification follows the typed outcomes."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest

import flows.adhesion
import flows.monitor
from assistant.config import Secret
from assistant.errors import ConfigError
from assistant.monitor.drift import classify
from assistant.monitor.fingerprint import PageFingerprint, compare, normalise_aria
from assistant.monitor.rehearsal import Rehearsal, check_flow
from assistant.monitor.tenants import Tenant
from assistant.outcomes import outcome
from assistant.results import RunReport, StepResult
from support import ROOT

TENANT = Tenant("gp", "http://127.0.0.1:1/gp/espace-citoyens/", "classic", "U", "P", "u", Secret("p"))


def test_the_docstring_is_the_steps_and_none_writes():
    flow = flows.monitor.FLOW
    documented = {int(n): t.strip() for n, t in re.findall(r"^(\d+)\. (.+)$", flows.monitor.__doc__, re.MULTILINE)}
    assert documented == {6: flow.steps[-1].title}  # steps 0 to 5 are the adhesion journey's, said once there
    assert "0–5. the login and steps 1 to 5 of the adhesion journey" in flows.monitor.__doc__
    assert not any(s.writes for s in (flow.login, *flow.steps))
    adhesion = flows.adhesion.FLOW
    assert flow.login is adhesion.login
    assert [(s.number, s.title, s.act) for s in flow.steps[:5]] == [(s.number, s.title, s.act) for s in adhesion.steps[:5]]


def test_the_engine_imports_no_journey_the_command_hands_it_down():
    """assistant/monitor knows no journey: its command (cli.py) picks one from the registry and hands it down."""
    engine = [p for p in sorted((ROOT / "assistant/monitor").glob("*.py")) if p.name != "cli.py"]
    assert len(engine) >= 8
    for path in engine:
        top = [n for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in top if isinstance(n, ast.ImportFrom) and n.level == 0]
        assert not [n for n in names if n.split(".")[0] == "flows"], path.name


def test_a_writing_flow_or_a_guard_outside_the_flow_is_refused():
    flow = flows.monitor.FLOW
    check_flow(flow)
    with pytest.raises(ConfigError) as caught:
        check_flow(replace(flow, steps=flows.adhesion.FLOW.steps))
    assert caught.value.key == "flow"
    with pytest.raises(ConfigError) as caught:
        check_flow(replace(flow, guard_after=9))
    assert caught.value.key == "guard_after"


def rehearsal(key: str, *, failed_step: int | None = None, pending: list[str] | None = None) -> Rehearsal:
    steps = [StepResult(n, f"étape {n}", "ok") for n in range(0, (failed_step or 7))]
    if failed_step is not None:
        steps.append(StepResult(failed_step, f"étape {failed_step}", "failed", error="e", control="MODIFIER"))
    o = outcome(key)
    report = RunReport(flow="surveillance", title="t", outcome=key, exit_code=o.exit_code, message=o.sentence,
                       next_action=o.next_action, base_url=TENANT.base_url, steps=steps)
    return Rehearsal(TENANT, "2026-03-02T08:00:00+00:00", Path("."), report=report, pending_documents=pending or [])


@pytest.mark.parametrize("key, klass", [
    ("rehearsed", "ok"), ("portal_changed", "breaking"), ("portal_unavailable", "outage"),
    ("session_expired", "outage"), ("login_rejected", "access"), ("password_change_required", "access"),
    ("needs_human", "access"), ("pending", "access"), ("unreadable", "breaking"),
])
def test_outcomes_give_the_class(key, klass):
    failed = None if key in ("rehearsed", "pending") else 3
    assert classify(rehearsal(key, failed_step=failed), None).klass == klass


def test_a_missing_control_while_a_page_is_still_loading_is_an_outage():
    verdict = classify(rehearsal("portal_changed", failed_step=1, pending=["GET /gp/espace-citoyens/MonCompte"]), None)
    assert verdict.klass == "outage"
    assert verdict.message.startswith("Délai dépassé : le portail n’a pas répondu à temps (GET /gp/espace-citoyens/MonCompte)")


def page(aria: str, controls=("button « MODIFIER »",)) -> PageFingerprint:
    return PageFingerprint(3, "t", "p", "/gp/espace-citoyens/Demande", aria, [], list(controls), ["MODIFIER"])


def test_a_green_run_whose_page_differs_is_cosmetic_with_before_and_after():
    run = rehearsal("rehearsed")
    run.pages = {3: page("- main:\n  - heading \"Ma demande\"\n  - paragraph: Nouveau texte")}
    baseline = {3: page("- main:\n  - heading \"Ma demande\"\n  - paragraph: Ancien texte")}
    verdict = classify(run, baseline)
    assert verdict.klass == "cosmetic"
    assert verdict.differences[0].before.splitlines()[-1] == "-   - paragraph: Ancien texte"
    assert verdict.differences[0].after.splitlines()[-1] == "+   - paragraph: Nouveau texte"
    assert classify(run, {3: run.pages[3]}).klass == "ok"


def test_a_login_generation_other_than_declared_is_cosmetic():
    run = rehearsal("rehearsed")
    run.login_seen = "modal"
    assert classify(run, None).differences[0].summary == ("connexion : « Mon espace perso » (modale) au lieu de "
                                                         "formulaire classique")


def test_table_rows_and_digits_are_data_not_structure():
    one = normalise_aria('- table:\n  - row "Libellé Montant":\n    - columnheader "Libellé"\n'
                         '  - row "Cantine 12,50 €":\n    - cell "Cantine"\n    - cell "12,50 €"\n'
                         '- heading "Mes factures" [level=1]\n- text: Demande 2026-000123')
    two = normalise_aria('- table:\n  - row "Libellé Montant":\n    - columnheader "Libellé"\n'
                         '  - row "Séjour 1 234,56 €":\n    - cell "Séjour"\n    - cell "1 234,56 €"\n'
                         '  - row "Garderie 3,00 €":\n    - cell "Garderie"\n    - cell "3,00 €"\n'
                         '- heading "Mes factures" [level=1]\n- text: Demande 2026-000456')
    assert one == two
    assert '[level=1]' in one and 'columnheader "Libellé"' in one
    assert compare(page(one), page(two), step=3) is None


def test_a_missing_control_listed_under_its_own_words_among_the_candidates_is_a_time_out():
    run = rehearsal("portal_changed", failed_step=3)
    run.report.steps[-1].candidates = ["bouton « MODIFIER »", "lien « Mes démarches »"]
    assert classify(run, None).klass == "outage"
    run.report.steps[-1].candidates = ["bouton « CHANGER »", "lien « Mes démarches »"]
    assert classify(run, None).klass == "breaking"
