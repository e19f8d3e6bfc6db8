"""French amounts and dates as the portal prints them: every variant read, nothing silently empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assistant.invoices.french import (AMOUNT_IN_PAGE, UnreadableText, format_amount, format_date, parse_amount,
                                      parse_date)
from assistant.recording import scrub_text
from assistant.redact import Redactor


@pytest.mark.parametrize("text, expected", [
    ("1 234,56 €", "1234.56"),
    ("1\u00a0234,56\u00a0€", "1234.56"),
    ("1\u202f234,56 €", "1234.56"),
    ("1\u202f234,56\u202f€", "1234.56"),
    ("0,50 €", "0.50"),
    ("-12,00 €", "-12.00"),
    ("\u221212,00 €", "-12.00"),
    ("12 €", "12.00"),
    ("12,5 €", "12.50"),
    ("1234,56", "1234.56"),
    ("  86,40 €  ", "86.40"),
    ("1 234 567,89 €", "1234567.89"),
    ("1.234,56 €", "1234.56"),
    ("45,90 EUR", "45.90"),
    ("0,00 €", "0.00"),
])
def test_amounts_are_read_as_decimal(text, expected):
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize("text", ["", "   ", None, "€", "abc", "12,345 €", "1 23,00 €", "12,00 $", "1,2,3", "--5 €"])
def test_unreadable_amounts_raise(text):
    with pytest.raises(UnreadableText) as err:
        parse_amount(text)
    assert err.value.kind == "montant"
    assert "illisible" in str(err.value)


@pytest.mark.parametrize("text, expected", [
    ("30/09/2026", date(2026, 9, 30)),
    ("01/02/2026", date(2026, 2, 1)),
    ("1/2/2026", date(2026, 2, 1)),
    ("30.09.2026", date(2026, 9, 30)),
    ("30-09-2026", date(2026, 9, 30)),
    ("30 septembre 2026", date(2026, 9, 30)),
    ("1er octobre 2026", date(2026, 10, 1)),
    ("1 er octobre 2026", date(2026, 10, 1)),
    ("15 février 2026", date(2026, 2, 15)),
    ("15 fevrier 2026", date(2026, 2, 15)),
    ("15 FÉVRIER 2026", date(2026, 2, 15)),
    ("3 août 2026", date(2026, 8, 3)),
    ("lundi 31 août 2026", date(2026, 8, 31)),
    ("31\u00a0décembre\u00a02025", date(2025, 12, 31)),
    ("2 déc. 2025", date(2025, 12, 2)),
])
def test_dates_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", None, "31/02/2026", "30/13/2026", "2026-09-30", "30 brumaire 2026",
                                  "septembre 2026", "30/09/26", "demain"])
def test_unreadable_dates_raise(text):
    with pytest.raises(UnreadableText) as err:
        parse_date(text)
    assert err.value.kind == "date"


def test_formatting_round_trips():
    assert format_amount(Decimal("1234.5")) == "1\u00a0234,50\u00a0€"
    assert format_amount(Decimal("-12")) == "-12,00\u00a0€"
    assert parse_amount(format_amount(Decimal("987654.32"))) == Decimal("987654.32")
    assert format_date(date(2026, 10, 1)) == "01/10/2026"


@pytest.mark.parametrize("value", ["8.28", "1234.56", "1234567.5", "0.5"])
@pytest.mark.parametrize("space", ["\u00a0", " ", "\u202f"])
def test_an_amount_in_a_page_is_the_amount_the_reader_reads(value, space):
    """The one module of French amounts finds in a page what it reads and writes: a recording hides them all."""
    written = format_amount(Decimal(value), space=space)
    found = AMOUNT_IN_PAGE.search(f"<td>Montant : {written}</td>")
    assert found and parse_amount(found[0]) == Decimal(value)
    assert scrub_text(f"<td>{written}</td>", Redactor()) == "<td>•••,•• €</td>"


@pytest.mark.parametrize("html", ["1&nbsp;234,56&nbsp;€", "1&#160;234&#160;567,50 &euro;", "1\u00a0234,56&nbsp;EUR"])
def test_a_recording_hides_an_amount_written_with_entities_whole(html):
    """A page serialised by the browser writes its no-break spaces « &nbsp; », between thousands too."""
    assert scrub_text(f"<td>{html}</td>", Redactor()) == "<td>•••,•• €</td>"
