"""``surveiller --guide``: the families' guide is made again when a rehearsal sees the portal change
and still goes through; an unchanged portal leaves it alone, a broken one keeps the previous guide."""

from __future__ import annotations

from dataclasses import replace

from assistant.cli import build_parser
from assistant.config import Secret, Timeouts
from assistant.monitor.cli import _options, guide_maker
from assistant.monitor.scheduler import Monitor, MonitorOptions
from assistant.replica import Faults, Mutation
from conftest import ACCOUNTS, CANARY
from flows.monitor import FLOW

TEXT_BEFORE = "Adhérez à la facture en ligne pour payer vos factures en ligne."
TEXT_AFTER = "Activez la facture en ligne pour régler vos factures sur internet."


def test_guide_is_made_again_on_a_change_and_kept_on_a_break(portal, tmp_path, browser):
    p = portal("commune")
    payer = p.replica.demo_payer()
    password = next(a["password"] for a in ACCOUNTS["accounts"] if a["username"] == payer)
    tenant = replace(p.tenant, payment_username=payer, payment_password=Secret(password))
    real = guide_maker(None, headless=True)
    calls: list[str] = []

    def guide(tenant, browser, out_dir, report_dir):
        calls.append(tenant.name)
        if len(calls) == 1:  # the real guide once (its content is tests/helpdesk's); then the decisions only
            real(tenant, browser, out_dir, report_dir)

    folder = tmp_path / "surveillance"
    options = MonitorOptions(FLOW, folder=folder, workers=1, guide=guide,
                             timeouts=Timeouts(action=4000, navigation=5000, wait_modal=5000))
    lines: list[str] = []
    made = folder / "guides" / "commune" / "guide.html"
    with Monitor([tenant], options, say=lines.append, browser=browser) as monitor:
        assert [r.verdict.klass for r in monitor.cycle()] == ["ok"]  # none yet: made
        assert calls == ["commune"] and f"guide mis à jour : {made}" in lines[-1]
        assert made.exists() and (made.parent / "guide.pdf").read_bytes().startswith(b"%PDF")
        text = made.read_text(encoding="utf-8")
        assert "MODIFIER" in text and CANARY not in text and "famille.martin" not in text

        assert [r.verdict.klass for r in monitor.cycle()] == ["ok"]  # nothing changed: left alone
        assert len(calls) == 1 and "guide" not in lines[-1].split("—")[0] and "guide" not in lines[-2]

        p.replica.set_faults(Faults(mutations=(Mutation("replace_text", TEXT_BEFORE, TEXT_AFTER),)))
        assert [r.verdict.klass for r in monitor.cycle()] == ["cosmetic"]  # changed and went through: made
        assert len(calls) == 2

        p.replica.set_faults(Faults(mutations=(Mutation("rename", "MODIFIER", "CHANGER"),)))
        assert [r.verdict.klass for r in monitor.cycle()] == ["breaking"]  # broken: the last guide stays
        assert len(calls) == 2
    assert not [e for e in p.replica.audit if e.changed and not e.route.lower().endswith("home/logoff")]


def test_a_failed_guide_is_said_and_the_monitor_goes_on(portal, tmp_path, browser):
    p = portal("sanspayeur")  # no payment account: the guide's « Payer » part cannot be made
    folder = tmp_path / "surveillance"
    options = MonitorOptions(FLOW, folder=folder, workers=1, guide=guide_maker(None, headless=True),
                             timeouts=Timeouts(action=4000, navigation=5000, wait_modal=5000))
    lines: list[str] = []
    with Monitor([p.tenant], options, say=lines.append, browser=browser) as monitor:
        assert [r.verdict.klass for r in monitor.cycle()] == ["ok"]
    assert "(référence enregistrée, guide non mis à jour)" in lines[-1]
    said = lines[-2]
    assert said.startswith("  sanspayeur : guide non mis à jour — ") and "Pas encore de guide" in said
    assert "a besoin d’un compte qui adhère" in said
    assert not (folder / "guides" / "sanspayeur" / "guide.html").exists()


def test_the_flag_hands_the_guide_maker_down():
    args = build_parser().parse_args(["surveiller", "--replica", "--guide"])
    assert _options(args, {}).guide is not None
    assert _options(build_parser().parse_args(["surveiller", "--replica"]), {}).guide is None
