"""Shared helpers of the invoice and payment tests: their flows on a replica through the runner."""

from __future__ import annotations

from flows.invoices import InvoiceOptions, listing_flow
from flows.payment import payment_flow
from support import ACCOUNTS, ROOT, replica_settings

__all__ = ["ACCOUNTS", "ROOT", "list_invoices", "pay", "settings_for"]


def settings_for(rep, username, tmp_path, password=None, **kw):
    """Replica settings with the family's demo credentials; evidence off unless asked (speed)."""
    kw.setdefault("screenshots", False)
    kw.setdefault("trace", False)
    return replica_settings(rep, username, password, report_dir=tmp_path / "report", **kw)


def list_invoices(run_flow, rep, tmp_path, username="famille.martin", password=None, **options):
    """The listing flow through ``run_flow`` (the fixture): its report and the run's invoices."""
    report = run_flow(settings_for(rep, username, tmp_path, password), listing_flow(InvoiceOptions(**options)))
    return report, report.result


def pay(run_flow, rep, tmp_path, number, username="famille.bernard", handover=None):
    """The payment flow through ``run_flow`` (the fixture): its report and the payment run."""
    report = run_flow(settings_for(rep, username, tmp_path), payment_flow(number, handover))
    return report, report.result
