"""Reading the family's current answer on markup the replica does not use."""

from __future__ import annotations

import pytest

from assistant.errors import Unreadable
from assistant.pages.adhesion import AdhesionPage
from support import replica_settings

RADIOS = """<h2>Ma demande</h2>
<fieldset><legend>Souhaitez-vous adhérer à la facture en ligne ?</legend>
<input type="radio" id="a" name="q" value="1" {oui}><label for="a">OUI</label>
<input type="radio" id="b" name="q" value="0" {non}><label for="b">NON</label></fieldset>"""


@pytest.mark.parametrize("oui,non,expected", [("", "checked", "NON"), ("checked", "", "OUI")])
def test_radios_shown_straight_away_are_read_by_their_checked_state(page, session_replica, oui, non, expected):
    page.set_content(RADIOS.format(oui=oui, non=non))
    assert AdhesionPage(page, replica_settings(session_replica)).current_choice() == expected


def test_radios_none_checked_are_unreadable_never_non(page, session_replica):
    page.set_content(RADIOS.format(oui="", non=""))
    with pytest.raises(Unreadable, match="aucune réponse cochée"):
        AdhesionPage(page, replica_settings(session_replica)).current_choice()


def test_read_only_answer_in_a_definition_list(page, session_replica):
    page.set_content("<h2>Ma demande</h2><dl><dt>Souhaitez-vous adhérer à la facture en ligne ?</dt><dd>Oui</dd></dl>")
    assert AdhesionPage(page, replica_settings(session_replica)).current_choice() == "OUI"
