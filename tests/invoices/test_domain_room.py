"""The invoices' domain room: one French formatter, imported by pages and output, importing neither."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.invoices.french import format_amount, format_date, format_decimal
from assistant.invoices.model import Invoice
from assistant.invoices.output import table, to_csv
from support import python

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.process
def test_the_domain_imports_no_page_no_flow_and_no_playwright():
    code = ("import sys, assistant.invoices.model, assistant.invoices.output, assistant.invoices.french; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('assistant', 'flows', 'playwright')))))")
    done = python("-c", code, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["assistant", "assistant.invoices", "assistant.invoices.french",
                                   "assistant.invoices.model", "assistant.invoices.output",
                                   "assistant.invoices.statuses", "assistant.labels"]


def test_one_french_amount_formatter_for_every_output():
    assert format_amount(Decimal("8.28")) == "8,28\u00a0€"
    assert format_amount(Decimal("1234.5"), space=" ") == "1 234,50 €"
    assert format_decimal(Decimal("-1234.5")) == "-1234,50"
    assert format_date(date(2026, 2, 1)) == "01/02/2026"
    inv = Invoice(id="1", number="260101", label="Cantine", issued=date(2026, 1, 31), amount=Decimal("1234.5"),
                  due=date(2026, 2, 28), status="à payer")
    assert "1 234,50 €" in table([inv])  # the text table: ordinary spaces
    assert to_csv([inv]).decode("utf-8-sig").splitlines()[1] == "260101;Cantine;31/01/2026;1234,50;28/02/2026;à payer;;;"


def test_the_invoices_fast_path_uses_playwrights_public_api_only():
    files = [ROOT / "assistant" / "fetch.py", ROOT / "assistant" / "downloads.py", ROOT / "flows" / "invoices.py",
             *(ROOT / "assistant" / "invoices").glob("*.py")]
    private = [f"{path.name}:{n}" for path in files
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if "_impl_obj" in line or "_sync" in line or "_dispatcher_fiber" in line]
    assert private == []
