"""Every reader of the adhesion journey given a page where its value is missing or not understood:
an unreadable answer raises Unreadable, an optional value the page does not show is None (never
« non affiché », never a number made up). Hand-written pages, unlike the replica's."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from assistant.config import Settings, Timeouts
from assistant.errors import Unreadable
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.recap import RecapPage
from assistant.pages.requests import RequestsPage
from flows.adhesion import AdhesionResult, _request_number

BASE = "http://127.0.0.1:9/commune/espace-citoyens/"
SETTINGS = Settings(base_url=BASE, timeouts=Timeouts(action=1_500, navigation=3_000, wait_modal=3_000))
Q = "Souhaitez-vous adhérer à la facture en ligne ?"


def show(page: Page, body: str) -> None:
    page.set_content(f"<html lang='fr'><body><main>{body}</main></body></html>")


@pytest.mark.parametrize(("body", "expected"), [
    (f"<div class='l'><span>{Q}</span><span class='v'>Oui</span></div>", "OUI"),
    (f"<p>{Q}</p><select disabled><option>Oui</option><option selected>Non</option></select>", "NON"),
    ("<p>Vérifiez votre demande avant de la valider.</p>", None),
])
def test_the_recap_answer_is_read_or_none_when_not_shown(page: Page, body, expected):
    show(page, f"{body}<button class='g'>VALIDER</button>")
    assert RecapPage(page, SETTINGS).answer() == expected


@pytest.mark.parametrize(("body", "said"), [
    (f"<table><tr><td>{Q}</td><td>Peut-être</td></tr></table>", "réponse « Peut-être » non reconnue"),
    (f"<p>{Q}</p><label><input type='radio' disabled name='r'> OUI</label><label><input type='radio' disabled "
     "name='r'> NON</label>", "aucune réponse cochée"),
])
def test_a_recap_answer_that_cannot_be_read_stops_before_valider(page: Page, body, said):
    show(page, f"{body}<button class='g'>VALIDER</button>")
    with pytest.raises(Unreadable, match=said):
        RecapPage(page, SETTINGS).answer()


@pytest.mark.parametrize(("body", "expected"), [
    ("<p>Votre demande a bien été enregistrée.</p><p>Référence : AF-2026-0042</p><p>État : Acceptée</p>",
     ("AF-2026-0042", "Acceptée")),
    ("<p>Votre demande a bien été enregistrée.</p>", (None, None)),
    ("<p>Votre demande a bien été transmise.</p><p>N° de demande : —</p><p>Statut :</p><p>Merci.</p>", (None, None)),
])
def test_the_confirmation_shows_a_number_and_a_status_or_none(page: Page, body, expected):
    show(page, body)
    assert ConfirmationPage(page, SETTINGS).request() == expected


ROWS = """<table><thead><tr><th>Numéro</th><th>Objet</th><th>Déposée le</th><th>État</th></tr></thead><tbody>
<tr><td></td><td>Adhésion facture en ligne</td><td>02/03/2026</td><td>En cours</td></tr>
<tr><td>en cours d’attribution</td><td>Inscription cantine</td><td>01/03/2026</td><td>Acceptée</td></tr>
<tr><td>R-17</td><td>Adhésion facture en ligne</td><td>01/02/2026</td><td></td></tr></tbody></table>"""


def test_mes_demarches_rows_keep_what_they_do_not_show_as_none(page: Page):
    show(page, ROWS)
    assert RequestsPage(page, SETTINGS).requests() == [
        {"number": None, "label": "Adhésion facture en ligne", "date": "02/03/2026", "status": "En cours"},
        {"number": None, "label": "Inscription cantine", "date": "01/03/2026", "status": "Acceptée"},
        {"number": "R-17", "label": "Adhésion facture en ligne", "date": "01/02/2026", "status": None}]


def test_mes_demarches_as_an_aria_table(page: Page):
    show(page, "<div role='table'><div role='row'><span role='columnheader'>N°</span><span role='columnheader'>"
               "Démarche</span></div><div role='row'><span role='cell'>W-3</span><span role='cell'>Adhésion</span>"
               "</div></div>")
    assert RequestsPage(page, SETTINGS).requests() == [{"number": "W-3", "label": "Adhésion"}]


def serve_requests(context: BrowserContext, rows: str) -> None:
    table = ("<table><tr><th>N° de demande</th><th>Démarche</th><th>Date</th><th>Statut</th></tr>"
             f"{rows}</table>")
    context.route(BASE + "CompteCitoyen/MesDemandes", lambda route: route.fulfill(
        body=f"<html lang='fr'><body><h2>Mes démarches</h2>{table}</body></html>", content_type="text/html; charset=utf-8"))


@pytest.mark.parametrize(("rows", "expected"), [
    ("<tr><td>A-1</td><td>Adhésion à la facture en ligne</td><td>03/03/2026</td><td>Acceptée</td></tr>"
     "<tr><td>A-0</td><td>Adhésion à la facture en ligne</td><td>03/01/2025</td><td>Refusée</td></tr>", "A-1"),
    ("<tr><td>A-1</td><td>Adhésion à la facture en ligne</td><td>03/03/2026</td><td>Acceptée</td></tr>"
     "<tr><td>A-2</td><td>Adhésion à la facture en ligne</td><td>03/03/2026</td><td>Acceptée</td></tr>", None),
    ("<tr><td>—</td><td>Adhésion à la facture en ligne</td><td>03/03/2026</td><td>Acceptée</td></tr>", None),
    ("<tr><td>C-9</td><td>Inscription cantine</td><td>03/03/2026</td><td>Acceptée</td></tr>", None),
])
def test_the_request_number_read_back_is_never_a_guess(context: BrowserContext, page: Page, rows, expected):
    serve_requests(context, rows)
    show(page, "<p>Après VALIDER</p>")
    result = AdhesionResult()
    assert _request_number(RecapPage(page, SETTINGS), result) == expected
    assert result.request_number == expected
