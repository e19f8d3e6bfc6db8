"""``surveiller --guide``: the families' guide is made again when a rehearsal sees the portal change
and still goes through; an unchanged portal leaves it alone, a broken one keeps the previous guide."""

from __future__ import annotations

from dataclasses import replace

from assistant.config import Secret, Timeouts
from assistant.monitor.cli import guide_maker
from assistant.monitor.scheduler import Monitor, MonitorOptions
from assistant.replica import Faults, Mutation
from conftest import ACCOUNTS, CANARY
from flows.monitor import FLOW, GUARD_AFTER_STEP

TEXT_BEFORE = "Adhérez à la facture en ligne pour payer vos factures en ligne."
TEXT_AFTER = "Activez la facture en ligne pour régler vos factures sur internet."


def test_guide_is_made_again_on_a_change_and_kept_on_a_break(portal, tmp_path, browser):
    p = portal("commune")
    payer = p.replica.demo_payer()
    password = next(a["password"] for a in ACCOUNTS["accounts"] if a["username"] == payer)
    tenant = replace(p.tenant, payment_username=payer, payment_password=Secret(password))
    folder = tmp_path / "surveillance"
    options = MonitorOptions(FLOW, GUARD_AFTER_STEP, folder=folder, workers=1,
                             timeouts=Timeouts(action=4000, navigation=5000, wait_modal=5000),
                             guide=guide_maker(None, headless=True))
    lines: list[str] = []
    guide = folder / "guides" / "commune" / "guide.html"
    with Monitor([tenant], options, say=lines.append, browser=browser) as monitor:
        assert [r.verdict.klass for r in monitor.cycle()] == ["ok"]
        assert guide.exists() and (guide.parent / "guide.pdf").read_bytes().startswith(b"%PDF")
        made = guide.stat().st_mtime_ns
        assert "guide refait" in lines[-1]

        assert [r.verdict.klass for r in monitor.cycle()] == ["ok"]  # nothing changed: the guide stays
        assert guide.stat().st_mtime_ns == made and "guide refait" not in lines[-1]

        p.replica.set_faults(Faults(mutations=(Mutation("replace_text", TEXT_BEFORE, TEXT_AFTER),)))
        assert [r.verdict.klass for r in monitor.cycle()] == ["cosmetic"]
        assert guide.stat().st_mtime_ns > made and "guide refait" in lines[-1]
        remade = guide.stat().st_mtime_ns

        p.replica.set_faults(Faults(mutations=(Mutation("rename", "MODIFIER", "CHANGER"),)))
        assert [r.verdict.klass for r in monitor.cycle()] == ["breaking"]
        assert guide.stat().st_mtime_ns == remade  # a broken journey makes no guide: the last one stays
    text = guide.read_text(encoding="utf-8")
    assert "MODIFIER" in text and CANARY not in text and "famille.martin" not in text
    assert not [e for e in p.replica.audit if e.changed and not e.route.lower().endswith("home/logoff")]
