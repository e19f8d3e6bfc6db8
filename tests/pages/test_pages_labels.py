"""Label tolerance (assistant.labels), without a browser but for one check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistant.invoices.french import parse_date
from assistant.labels import fold, label, strip_accents
from assistant.pages.invoice_table import header_fields


@pytest.mark.parametrize("shown", [
    "Aller à l’étape 2",
    "Aller à l'étape 2",
    "ALLER A L'ETAPE 2",
    "aller\u00a0à\u202fl’étape 2",
    "  « Aller à l’étape 2 »  ",
    "Aller   à l’étape   2",
])
def test_label_accepts_the_ways_a_tenant_writes_it(shown):
    assert label("Aller à l’étape 2").search(shown)


@pytest.mark.parametrize("other", ["Aller à l’étape 3", "Retour à l’étape 1", "Aller à l’étape 2 bis"])
def test_label_rejects_other_controls(other):
    assert not label("Aller à l’étape 2").search(other)


@pytest.mark.parametrize("shown", ["Merci de patienter...", "Merci de patienter…", "MERCI DE PATIENTER..."])
def test_label_ellipsis_variants(shown):
    assert label("Merci de patienter...").search(shown)


def test_label_with_a_slash_works_in_the_browser(page: Page):
    page.set_content("<a href='#'>Adhésion à la facture/compte en ligne</a><a href='#'>Adhésion</a>")
    expect(page.get_by_role("link", name=label("Adhésion à la facture/compte en ligne"))).to_have_count(1)


def test_label_prefix_matches_a_tile_with_its_description():
    tile = label("Mes factures", prefix=True)
    assert tile.search("Mes factures Consulter et payer mes factures")
    assert not tile.search("Consulter mes factures")
    assert not label("Mes factures").search("Mes factures Consulter et payer mes factures")


def test_one_accent_folding_for_labels_headers_and_dates():
    """labels.strip_accents is the assistant's one accent folding: labels, invoice headers and dates use it."""
    assert strip_accents("Échéance, réglée, août, Noël, ça") == "Echeance, reglee, aout, Noel, ca"
    assert fold("  « ÉCHÉANCE »\u00a0d’été ") == "echeance d'ete"
    assert header_fields(["N° DE FACTURE", "DATE D’ÉMISSION", "ÉCHÉANCE", "ÉTAT"]) == \
        {"number": 0, "issued": 1, "due": 2, "status": 3}
    assert parse_date("1ER FÉVRIER 2026") == parse_date("1er fevrier 2026")
