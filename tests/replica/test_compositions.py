"""Compositions: numbered by one integer (a bijection), replayable from the command line, switched and
reset in-process; what the new renderings do on the server (no answer posted, a confirmation without
a page, the form open by a link, a part payment) and the duplicate drift."""

from __future__ import annotations

import random
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.replica import COUNT, Composition, Faults, Mutation, Replica, ReplicaConfig
from assistant.replica.cli import main
from assistant.replica.faults import parse_mutation
from assistant.replica.renderings import ASPECTS, NORMAL, STOPS
from markup import Page
from replica_helpers import Client, walk_journey, wizard_form


def test_seeds_and_compositions_are_one_to_one():
    seeds = [0, 1, COUNT - 1] + random.Random(17).sample(range(COUNT), 200)
    assert [Composition.from_seed(n).seed for n in seeds] == seeds
    assert Composition.from_seed(1) == replace(Composition(), login="modal")  # the first aspect is the lowest digit
    assert Composition.from_seed(len(NORMAL["login"])) == replace(Composition(), routes="query_steps")
    last = Composition.from_seed(COUNT - 1)
    assert all(getattr(last, a) == values[-1] for a, values in NORMAL.items())
    assert COUNT == eval("*".join(str(len(v)) for v in NORMAL.values()))


@pytest.mark.parametrize("bad", [-1, COUNT, True, "12", 1.0])
def test_a_seed_out_of_range_is_refused_in_french(bad):
    with pytest.raises(ValueError, match="composition invalide"):
        Composition.from_seed(bad)


def test_must_stop_renderings_have_no_number():
    assert STOPS == {"adhesion_place": ("two_accounts",),
                     "notice": ("fields", "survey", "attestation", "second_factor")}
    for aspect, keys in STOPS.items():
        assert not set(keys) & set(NORMAL[aspect])
        for key in keys:
            comp = replace(Composition.from_seed(99), **{aspect: key})
            assert comp.seed is None and comp.stops() == {aspect: key}


def test_a_composition_by_number_in_python():
    n = 987654321987
    assert ReplicaConfig(composition=n).skin == Composition.from_seed(n) == ReplicaConfig(skin=n).skin
    rep = Replica(ReplicaConfig())
    rep.set_skin(n)
    assert rep.skin.seed == n


def test_the_login_generation_is_the_compositions_unless_the_run_says(capsys):
    modal = replace(Composition(), login="modal")
    assert 'btnMonEspacePerso' in Client(Replica(ReplicaConfig(skin=modal))).get("Home/AccueilPublic").text
    assert 'id="idFormConnexion"' in Client(Replica(ReplicaConfig(skin=modal, login_style="classic"))).get(
        "Home/AccueilPublic").text


def test_the_command_serves_and_prints_a_composition(capsys):
    n = 4242424242424242
    assert main(["--port", "0", "--arret-apres", "0.1", "--composition", str(n)]) == 0
    out = capsys.readouterr().out
    comp = Composition.from_seed(n)
    assert f"(composition {n})" in out
    assert all(f"  {aspect} = {getattr(comp, aspect)}" in out for aspect in ASPECTS)


def test_the_command_adds_a_must_stop_rendering_to_a_composition(capsys):
    assert main(["--port", "0", "--arret-apres", "0.1", "--composition", "7", "--aspect",
                 "adhesion_place=two_accounts", "--dupliquer", "VALIDER"]) == 0
    out = capsys.readouterr().out
    assert "hors numérotation" in out and "  adhesion_place = two_accounts" in out
    assert "duplicate « VALIDER »" in out


@pytest.mark.parametrize("text", ["-3", str(COUNT), "douze"])
def test_a_bad_composition_number_exits_2_in_french(capsys, text):
    assert main(["--composition", text]) == 2
    assert f"composition invalide « {text} » : attendu un entier entre 0 et {COUNT - 1}" in capsys.readouterr().err


def test_reset_brings_back_the_seed(tmp_path):
    rep = Replica(ReplicaConfig(outbox_dir=tmp_path / "outbox"))
    walk_journey(rep)
    assert rep.account("famille.martin")["adhesion"] == "OUI" and rep.audit
    rep.reset()
    assert rep.account("famille.martin")["adhesion"] == "NON" and rep.audit == [] and rep.duplicate_validations == 0
    assert walk_journey(rep)["confirm"].status == 200  # the old sessions are gone, a new one works
    assert rep.account("famille.martin")["requests"][-1]["number"].endswith("-000123")  # the numbering too


def _step1_form(rep: Replica, c: Client) -> dict:
    return wizard_form(c.get(rep.app.wizard.start).text)


def test_an_unchecked_box_answers_non():
    rep = Replica(ReplicaConfig(skin=replace(Composition(), question="checkbox")))
    c = Client(rep)
    c.login("famille.bernard")
    form = _step1_form(rep, c)
    recap = c.post(form["action"], form["fields"])  # the box left unchecked: no field at all
    assert recap.status == 200 and rep.account("famille.bernard")["adhesion"] == "OUI"
    c.post(wizard_form(recap.text)["action"], wizard_form(recap.text)["fields"])
    assert rep.account("famille.bernard")["adhesion"] == "NON"


def test_a_confirmation_back_on_step1_shows_its_message_once():
    rep = Replica(ReplicaConfig(skin=replace(Composition(), confirmation="back_to_step1")))
    pages = walk_journey(rep)
    assert pages["confirm"].url.endswith(rep.app.wizard.start)
    assert "a bien été enregistrée" in pages["confirm"].text and "<strong>OUI</strong>" in pages["confirm"].text
    assert rep.account("famille.martin")["requests"][-1]["number"] not in pages["confirm"].text
    assert "a bien été enregistrée" not in pages["mesdemandes"].text.split("<main")[1].split("</h1>")[0]


@pytest.mark.parametrize("place", ["paragraph_link", "tab_panel"])
def test_modifier_as_a_link_opens_the_form(place):
    rep = Replica(ReplicaConfig(skin=replace(Composition(), ctl_modifier="a_href", adhesion_place=place)))
    c = Client(rep)
    c.login()
    route = "MonCompte" if place == "tab_panel" else rep.app.wizard.start
    closed, opened = c.get(route).text, c.get(route + "?Modifier=1").text
    assert '<form class="formDemarche"' in closed and 'method="post" hidden>' in closed.split("formDemarche")[1][:300]
    assert 'method="post">' in opened.split("formDemarche")[1][:300]
    [(link, _)] = Page(closed).controls("MODIFIER")
    assert link.tag == "a" and link.attrs["href"].endswith(route + "?Modifier=1")


def test_a_part_payment_is_paid_for_what_is_left():
    rep = Replica(ReplicaConfig())
    c = Client(rep)
    c.login("famille.garcia")
    moncompte = c.get("MonCompte").text
    assert "Partiellement réglée" in moncompte and "Reste à payer : 1\u00a0345,60\u00a0€" in moncompte
    detail = c.get("MonCompte/DetailFacture?IdFactureUnique=485601").text
    assert "2\u00a0345,60\u00a0€" in detail and "1\u00a0345,60\u00a0€" in detail
    to_payfip = c.get("MonCompte/PayerFacture?IdFactureUnique=485601", follow=False)
    assert parse_qs(urlsplit(to_payfip.location).query)["montant"] == ["134560"]


def test_the_detail_keeps_the_euro_sign_when_the_table_drops_it():
    rep = Replica(ReplicaConfig(skin=replace(Composition(), amount_currency="none", amount_grouping="dot")))
    c = Client(rep)
    c.login()
    assert ">1.234,56<" in c.get("MonCompte").text
    assert ">1.234,56\u00a0€<" in c.get("MonCompte/DetailFacture?IdFactureUnique=481203").text


@pytest.mark.parametrize("kind", NORMAL["ctl_valider"])
def test_a_duplicate_reads_the_same_and_leads_elsewhere(kind):
    skin = replace(Composition(), ctl_valider=kind)
    rep = Replica(ReplicaConfig(skin=skin, faults=Faults(mutations=(Mutation("duplicate", "VALIDER"),))))
    recap = walk_journey(rep)["recap"].text
    (first, _), (copy, _) = Page(recap).controls("VALIDER")
    assert (copy.tag, copy.attrs.get("type"), copy.attrs.get("role")) == (first.tag, first.attrs.get("type"),
                                                                           first.attrs.get("role"))
    assert "?doublon=1" in copy.attrs["onclick"] and "stopImmediatePropagation" in copy.attrs["onclick"]
    assert "id" not in copy.attrs and "name" not in copy.attrs


def test_parse_a_duplicate():
    assert parse_mutation("duplicate", "MODIFIER@Demande/*") == Mutation("duplicate", "MODIFIER", route="Demande/*")
    with pytest.raises(ValueError, match="à dupliquer"):
        parse_mutation("duplicate", "@MonCompte")
