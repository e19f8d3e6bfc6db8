"""``assistant replica`` CLI: French errors with exit code 2, clean run."""

from __future__ import annotations

import socket

import pytest

from assistant.replica import SKINS
from assistant.replica.cli import main


@pytest.mark.parametrize("argv,needle", [
    (["--bogus"], "arguments inconnus : --bogus"),
    (["--port", "abc"], "port invalide « abc »"),
    (["--port", "70000"], "port invalide « 70000 »"),
    (["--latence", "MonCompte"], "latence invalide « MonCompte »"),
    (["--login-style", "sso"], "style de connexion invalide « sso »"),
    (["--expiration-apres", "0"], "nombre de requêtes invalide « 0 »"),
    (["--port"], "l’option --port attend une valeur"),
])
def test_bad_flags_exit_2_in_french(capsys, argv, needle):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "assistant replica : erreur : " in err and needle in err
    assert "Traceback" not in err


def test_port_in_use_exit_2(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"le port {port} est déjà utilisé" in err and "Traceback" not in err


def test_runs_and_stops_cleanly(capsys, tmp_path):
    assert main(["--port", "0", "--arret-apres", "0.2", "--latence", "MonCompte=10",
                 "--erreur-500", "MonCompte", "--maintenance", "--attente-ms", "50",
                 "--boite-envoi", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Réplique de l’Espace Citoyens démarrée : http://127.0.0.1:" in out
    assert "famille.martin" in out and "Martin-2026" in out and "Réplique arrêtée." in out


def test_help_in_french(capsys):
    assert main(["--help"]) == 0
    assert "utilisation : assistant replica" in capsys.readouterr().out


@pytest.mark.parametrize("flag", ["--skin", "--habillage"])
def test_unknown_skin_exit_2_listing_skins(capsys, flag):
    assert main([flag, "rococo"]) == 2
    err = capsys.readouterr().err
    assert "habillage inconnu « rococo »" in err and "Traceback" not in err
    assert all(name in err for name in SKINS)


@pytest.mark.parametrize("argv,needle", [
    (["--aspect", "question=molette"], "valeur invalide « molette » pour question"),
    (["--aspect", "couleur=vert"], "aspect invalide « couleur=vert »"),
    (["--renommer", "MODIFIER"], "changement invalide « MODIFIER »"),
])
def test_bad_skin_and_drift_flags_exit_2(capsys, argv, needle):
    assert main(argv) == 2
    assert needle in capsys.readouterr().err


def test_banner_names_the_skin_and_the_drift(capsys):
    assert main(["--port", "0", "--arret-apres", "0.1", "--habillage", "bootstrap", "--renommer", "MODIFIER=CHANGER",
                 "--retirer", "VALIDER@Demande/*", "--changer-texte", "Bonjour=Salut"]) == 0
    out = capsys.readouterr().out
    assert "Habillage : bootstrap" in out
    assert "Dérives : rename « MODIFIER » → « CHANGER » ; remove « VALIDER » sur Demande/* ; " in out


def test_aspect_override_makes_a_custom_skin(capsys):
    assert main(["--port", "0", "--arret-apres", "0.1", "--aspect", "question=aria_radiogroup"]) == 0
    out = capsys.readouterr().out
    assert "Habillage : personnalisé (composition " in out
    assert "  question = aria_radiogroup\n" in out and "  routes = path_steps\n" in out
