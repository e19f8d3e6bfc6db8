"""Drift mutations: a control renamed or removed, a text changed, on chosen pages, on every skin."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from assistant.replica import SKINS, Faults, Mutation, Replica, ReplicaConfig
from assistant.replica.faults import parse_mutation
from assistant.replica.mutations import apply_mutations
from replica_helpers import Client, HttpClient, normalise, visible_text


def _labels(html: str) -> str:
    """What a person reads: the text and the labels of input buttons."""
    return visible_text(html) + " " + normalise(" ".join(unescape(v) for v in re.findall(r'value="([^"]*)"', html)))


def _step1(rep: Replica) -> str:
    c = Client(rep)
    c.login()
    return c.get(rep.app.wizard.start).text


@pytest.mark.parametrize("name", SKINS)
def test_rename_modifier_on_every_skin(name):
    rep = Replica(ReplicaConfig(skin=name, faults=Faults(mutations=(Mutation("rename", "MODIFIER", "CHANGER"),))))
    text = _labels(_step1(rep))
    assert "changer" in text and "modifier" not in text


@pytest.mark.parametrize("name", SKINS)
def test_remove_next_step_control_on_every_skin(name):
    rep = Replica(ReplicaConfig(skin=name, faults=Faults(mutations=(Mutation("remove", "Aller à l’étape 2"),))))
    html = _step1(rep)
    assert "etape 2" not in _labels(html)
    assert 'name="AdhesionFactureEnLigne"' in html  # the rest of the form stays


def test_remove_a_split_menu_label():
    rep = Replica(ReplicaConfig(skin="historique", faults=Faults(mutations=(Mutation("remove", "Mes factures"),))))
    c = Client(rep)
    c.login()
    assert 'href="/grandperigueux/espace-citoyens/MonCompte"' not in c.get("CompteCitoyen").text


def test_replace_text_only_on_the_chosen_pages(replica):
    replica.set_faults(Faults(mutations=(Mutation("replace_text", "Bonjour", "Bienvenue", route="CompteCitoyen"),)))
    c = Client(replica)
    c.login()
    assert "Bienvenue Madame MARTIN" in c.get("CompteCitoyen").text
    assert "Bonjour" not in c.get("CompteCitoyen").text
    replica.set_faults(Faults(mutations=(Mutation("rename", "VALIDER", "ENVOYER", route="MonCompte"),)))
    wid, recap = c.answer("OUI")
    assert ">VALIDER</button>" in recap.text  # not on the recap's route


def test_mutations_through_the_admin_endpoint_are_json(replica):
    http = HttpClient(replica)
    body = {"mutations": [{"kind": "rename", "target": "MODIFIER", "replacement": "CHANGER", "route": "Demande/*"}]}
    out = http.admin("faults", json.dumps(body).encode())
    assert json.loads(out.text)["mutations"] == body["mutations"]
    assert replica.faults.mutations == (Mutation("rename", "MODIFIER", "CHANGER", "Demande/*"),)
    assert Faults.from_json(replica.faults.to_json()) == replica.faults
    bad = http.admin("faults", b'{"mutations": [{"kind": "explode", "target": "x"}]}')
    assert bad.status == 400


def test_parse_cli_items():
    assert parse_mutation("rename", "MODIFIER=CHANGER") == Mutation("rename", "MODIFIER", "CHANGER")
    assert parse_mutation("remove", "VALIDER@Demande/*") == Mutation("remove", "VALIDER", route="Demande/*")
    with pytest.raises(ValueError, match="ANCIEN=NOUVEAU"):
        parse_mutation("rename", "MODIFIER")


def test_transform_keeps_entities_and_scripts():
    html = '<p>Prix &amp; <b>taxes</b></p><script>var t = "MODIFIER";</script><a href="#">Modifier</a>'
    out = apply_mutations(html, [Mutation("rename", "MODIFIER", "CHANGER")])
    assert out == '<p>Prix &amp; <b>taxes</b></p><script>var t = "MODIFIER";</script><a href="#">CHANGER</a>'
