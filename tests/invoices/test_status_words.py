"""The French of invoices: every status word of the table, a partial payment's remainder, a debit under
way, amounts in any French grouping; a word or an amount not understood is unreadable, never a status."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.invoices.french import UnreadableText, parse_amount
from assistant.invoices.statuses import (DIRECT_DEBIT, PAID, PARTLY_PAID, STATUS_WORDS, STATUSES, UNPAID,
                                         read_status)


@pytest.mark.parametrize("text, status", [
    ("À payer", UNPAID), ("A PAYER", UNPAID), ("à\u00a0payer", UNPAID), ("Non réglée", UNPAID),
    ("NON REGLEE", UNPAID), ("Impayée", UNPAID), ("impaye", UNPAID), ("En attente de paiement", UNPAID),
    ("À régler", UNPAID), ("Non payée", UNPAID), ("En retard", UNPAID), ("Échue", UNPAID), ("ECHUE", UNPAID),
    ("Partiellement réglée", PARTLY_PAID), ("PARTIELLEMENT PAYEE", PARTLY_PAID), ("partiellement payée.", PARTLY_PAID),
    ("Réglée", PAID), ("Payée", PAID), ("PAYÉ", PAID), ("Soldée", PAID), ("Acquittée", PAID), ("acquitte", PAID),
    ("Prélevée", PAID), ("PRELEVEE", PAID),
    ("Prélèvement en cours", DIRECT_DEBIT), ("PRELEVEMENT EN COURS", DIRECT_DEBIT),
    ("En cours de prélèvement", DIRECT_DEBIT),
])
def test_each_status_word_in_any_case_with_or_without_accents(text, status):
    assert read_status(text).status == status


@pytest.mark.parametrize("text, remaining", [
    ("Partiellement réglée (reste à payer 12,00 €)", Decimal("12.00")),
    ("Partiellement payée - reste à payer : 1\u202f234,56\u00a0€", Decimal("1234.56")),
    ("PARTIELLEMENT REGLEE, RESTE 12 EUR", Decimal("12.00")),
    ("Partiellement payée (restant dû : 3,5 euros)", Decimal("3.50")),
])
def test_a_partial_payment_keeps_what_remains_to_pay(text, remaining):
    read = read_status(text)
    assert (read.status, read.remaining, read.remaining_problem) == (PARTLY_PAID, remaining, None)


def test_a_remainder_that_does_not_read_is_quoted_never_guessed():
    read = read_status("Partiellement réglée (reste à payer NC)")
    assert (read.status, read.remaining) == (PARTLY_PAID, None)
    assert read.remaining_problem == "reste à payer illisible : « Partiellement réglée (reste à payer NC) »"


@pytest.mark.parametrize("text", ["Xyz", "En litige", "En attente", "Annulée", "Payer", "", "   ", "Payée ?!", "Soldée ?", "Restée impayée",
                                  "Solde : 0,00 €", "Reste à payer : 0,00 €",
                                  "Réglée (reste à payer 12,00 €)"])
def test_a_word_not_in_the_table_is_unreadable_never_paid_nor_unpaid(text):
    with pytest.raises(UnreadableText) as err:
        read_status(text)
    assert err.value.kind == "statut"
    expected = f"statut illisible : « {text} »" if text.strip() else "statut illisible : (vide)"
    assert str(err.value) == expected


def test_one_table_every_word_with_its_source_and_a_known_status():
    # docs/portal.md: the status markup is not public, so every word is a guess
    assert {w.source for w in STATUS_WORDS} == {"guess"}
    assert {w.status for w in STATUS_WORDS} == set(STATUSES)
    assert all(read_status(w.words).status == w.status for w in STATUS_WORDS)


@pytest.mark.parametrize("text, value", [
    ("1 234,56 €", "1234.56"), ("1\u00a0234,56\u00a0€", "1234.56"), ("1\u202f234,56\u202f€", "1234.56"),
    ("1.234,56 €", "1234.56"), ("1 234 567,89 €", "1234567.89"), ("1234,56", "1234.56"), ("12 €", "12.00"),
    ("12,5 €", "12.50"), ("0,50 EUR", "0.50"), ("1 234,56 euros", "1234.56"), ("12,00€", "12.00"),
    ("-12,00 €", "-12.00"),
])
def test_amounts_in_any_french_grouping_with_or_without_the_euro_sign(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["NC", "", "12.50 €", "1,234.56", "12,345 €", "€", "douze euros", "1 23,00 €",
                                  "12,00 $"])
def test_an_amount_that_does_not_parse_is_unreadable(text):
    with pytest.raises(UnreadableText) as err:
        parse_amount(text)
    assert err.value.kind == "montant" and err.value.text == text


def test_what_remains_to_pay_alone_is_to_pay_with_that_amount():
    read = read_status("Reste à payer : 12\u202f000,00 €")
    assert (read.status, read.remaining) == (UNPAID, Decimal("12000.00"))
