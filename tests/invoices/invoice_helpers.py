"""Shared helpers of the invoice tests: run a flow on a replica through the runner."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.runner import Runner
from flows.invoices import InvoiceOptions, InvoiceRun, PaymentRun, listing_flow, payment_flow
from assistant.config import Settings, Timeouts

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = {a["username"]: a for a in json.loads((ROOT / "fixtures/accounts.json").read_text())["accounts"]}


def settings_for(rep, username, tmp_path, **kw):
    """Replica settings with the family's demo credentials; evidence off unless asked (speed)."""
    password = ACCOUNTS[username]["password"] if username in ACCOUNTS else kw.pop("password")
    kw.setdefault("screenshots", False)
    kw.setdefault("trace", False)
    settings = Settings(base_url=rep.base_url, timeouts=Timeouts.for_replica(), report_dir=tmp_path / "report", **kw)
    return settings.with_credentials(username, password)


def list_invoices(rep, browser, tmp_path, username="famille.martin", password=None, **options):
    run = InvoiceRun(InvoiceOptions(**options))
    extra = {"password": password} if password else {}
    report = Runner(settings_for(rep, username, tmp_path, **extra)).run(listing_flow(run), browser=browser)
    return report, run


def pay(rep, browser, tmp_path, number, username="famille.bernard", handover=None):
    run = PaymentRun(number, handover=handover)
    report = Runner(settings_for(rep, username, tmp_path)).run(payment_flow(run), browser=browser)
    return report, run
