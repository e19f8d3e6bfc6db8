"""Shared helpers of the invoice tests: run the invoice flows on a replica through the runner."""

from __future__ import annotations

from assistant.runner import Runner
from flows.invoices import InvoiceOptions, InvoiceRun, listing_flow
from flows.payment import PaymentRun, payment_flow
from support import ACCOUNTS, ROOT, replica_settings

__all__ = ["ACCOUNTS", "ROOT", "list_invoices", "pay", "settings_for"]


def settings_for(rep, username, tmp_path, password=None, **kw):
    """Replica settings with the family's demo credentials; evidence off unless asked (speed)."""
    kw.setdefault("screenshots", False)
    kw.setdefault("trace", False)
    return replica_settings(rep, username, password, report_dir=tmp_path / "report", **kw)


def list_invoices(rep, browser, tmp_path, username="famille.martin", password=None, **options):
    run = InvoiceRun(InvoiceOptions(**options))
    report = Runner(settings_for(rep, username, tmp_path, password)).run(listing_flow(run), browser=browser)
    return report, run


def pay(rep, browser, tmp_path, number, username="famille.bernard", handover=None):
    run = PaymentRun(number, handover=handover)
    report = Runner(settings_for(rep, username, tmp_path)).run(payment_flow(run), browser=browser)
    return report, run
