"""The replica's kept state (``ReplicaConfig(state_dir=…)``, ``--replica`` runs, ``assistant replica``):
what families change survives the run, two replicas on one folder keep each other's changes, one
command brings the seed's data back, an unreadable file is a French error (exit 2), and a replica
without a state folder stays in memory and fresh."""

from __future__ import annotations

import json
import re

import pytest
from replica_helpers import Client

from assistant.replica import CorruptState, Replica, ReplicaConfig
from assistant.replica.cli import main as replica_main
from assistant.replica.payfip import mark_paid

NUMBER = re.compile(r"\d{4}-\d{6}")


def adhere(rep: Replica, username: str = "famille.martin") -> str:
    """Walk the adhesion to VALIDER over HTTP (in-process): the request number."""
    c = Client(rep)
    c.login(username)
    wid, _ = c.answer("OUI")
    return NUMBER.search(c.validate(wid).text).group(0)


def kept(folder) -> Replica:
    return Replica(ReplicaConfig(state_dir=folder, outbox_dir=folder.parent / "outbox"))


def test_what_a_family_changed_is_there_at_the_next_start(tmp_path):
    folder = tmp_path / "state"
    first = adhere(kept(folder))
    mark_paid(kept(folder).state, "260102", 50)

    again = kept(folder)
    acc = again.account("famille.martin")
    assert acc["adhesion"] == "OUI" and [r["number"] for r in acc["requests"]] == [first]
    assert next(i for i in acc["invoices"] if i["number"] == "260102")["paid"] is True
    # the request counter is kept too: the next family's request has the next number
    assert adhere(again, "famille.leroy") == first[:5] + "000124"
    # and the default demo family is still the seed's, not the next one left to adhere
    assert again.demo_credentials() == ("famille.martin", "Martin-2026")


def test_two_replicas_on_one_folder_at_once_keep_both_changes(tmp_path):
    folder = tmp_path / "state"
    one, two = kept(folder), kept(folder)  # both started before either changed anything
    a = adhere(one, "famille.martin")
    b = adhere(two, "famille.leroy")
    assert a != b
    c = Client(two)
    c.login("famille.durand")
    token = c.token("Home/ChangementMotDePasse")
    c.post("Home/ChangementMotDePasse", {"__RequestVerificationToken": token, "ancienMotDePasse": "Durand-2026",
                                          "nouveauMotDePasse": "Nouveau-2027", "confirmationMotDePasse": "Nouveau-2027"})

    # each sees the other's change at its next request, and a third start sees all of them
    assert one.account("famille.leroy")["adhesion"] == "OUI"
    for rep in (one, kept(folder)):
        assert rep.account("famille.martin")["requests"][0]["number"] == a
        assert rep.account("famille.leroy")["requests"][0]["number"] == b
        assert rep.demo_credentials("famille.durand") == ("famille.durand", "Nouveau-2027")
    saved = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert saved["next_request_number"] == 125 and list((folder).glob(".state-*")) == []


def test_in_process_replica_stays_in_memory_and_fresh(tmp_path, replica_state):
    adhere(Replica(ReplicaConfig(outbox_dir=tmp_path / "outbox")))

    assert Replica(ReplicaConfig()).account("famille.martin")["adhesion"] == "NON"
    assert not replica_state.exists()  # the --replica runs' folder (the env variable) is not read


def test_reset_brings_the_seed_back_even_to_a_replica_serving(tmp_path, capsys):
    folder = tmp_path / "state"
    serving = kept(folder)
    adhere(serving)

    assert replica_main(["--reinitialiser", "--etat", str(folder)]) == 0
    assert capsys.readouterr().out == f"État de la réplique réinitialisé : données d’origine ({folder}).\n"
    assert serving.account("famille.martin")["adhesion"] == "NON"
    assert kept(folder).account("famille.martin")["requests"] == []
    assert replica_main(["--reset", "--etat", str(folder)]) == 0
    assert "déjà aux données d’origine" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["{pas du json", json.dumps({"version": 1, "seed": "x", "accounts": "x"}),
                                     json.dumps({"version": 1, "seed": "x", "next_request_number": 3, "accounts": [{"x": 1}]})])
def test_unreadable_state_is_a_french_error_naming_the_folder_and_the_reset(tmp_path, capsys, content):
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / "state.json").write_text(content, encoding="utf-8")

    with pytest.raises(CorruptState):
        kept(folder)
    assert replica_main(["--etat", str(folder), "--port", "0", "--arret-apres", "0"]) == 2
    err = capsys.readouterr().err
    assert f"l’état de la réplique dans « {folder} » est illisible" in err
    assert f"assistant replica --reinitialiser --etat {folder}" in err and "Traceback" not in err


def test_replica_runs_refuse_an_unreadable_state_with_exit_2(run_assistant, tmp_path, replica_state):
    replica_state.mkdir()
    (replica_state / "state.json").write_text("{", encoding="utf-8")

    done = run_assistant("statut", "--replica", "--report-dir", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 2
    assert f"« {replica_state} » est illisible" in done.stderr and "--reinitialiser" in done.stderr
    assert "Traceback" not in done.stderr


def test_successive_replica_runs_share_the_state_until_reset(run_assistant, tmp_path, replica_state):
    def statut() -> str:
        done = run_assistant("statut", "--replica", "--json", "--report-dir", str(tmp_path / "r"), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["result"]["choice_before"]

    made = run_assistant("adhesion", "--replica", "--yes", "--report-dir", str(tmp_path / "r"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    number = NUMBER.search(made.stdout).group(0)

    assert statut() == "OUI"  # the demo family adhered by the run before (fresh data say NON)
    saved = json.loads((replica_state / "state.json").read_text(encoding="utf-8"))
    assert [r["number"] for r in saved["accounts"][0]["requests"]] == [number]

    reset = run_assistant("replica", "--reinitialiser", cwd=tmp_path)  # the env variable names the folder
    assert reset.returncode == 0 and reset.stdout == f"État de la réplique réinitialisé : données d’origine ({replica_state}).\n"
    assert statut() == "NON"
