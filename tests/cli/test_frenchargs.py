"""One French argparse for ``assistant`` and ``assistant replica`` (assistant/frenchargs.py)."""

from __future__ import annotations

import pytest

from assistant import cli
from assistant.frenchargs import FrenchParser, french
from assistant.replica import cli as replica_cli
from support import python


def test_both_commands_share_one_parser_class():
    assert cli.FrenchParser is FrenchParser and replica_cli.FrenchParser is FrenchParser
    assert type(cli.build_parser()) is FrenchParser and type(replica_cli.build_parser()) is FrenchParser


@pytest.mark.parametrize("argv,expected", [
    (["adhesion", "--report-dir"], "assistant adhesion : erreur : l’option --report-dir attend une valeur"),
    (["adhesion", "--rep"], "assistant adhesion : erreur : option ambiguë --rep (possibles : "),
    (["statut", "--replica", "--tenant", "x"], "l’option --tenant est incompatible avec --replica"),
    (["inconnue"], "assistant : erreur : argument COMMANDE : choix invalide 'inconnue' (choisir parmi 'adhesion'"),
])
def test_assistant_errors_in_french_exit_2(capsys, argv, expected):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and expected in err
    assert err.startswith("utilisation : assistant") and "Aide : assistant" in err


def test_assistant_help_headings_in_french(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["adhesion", "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and out.startswith("utilisation : assistant adhesion") and "\noptions :\n" in out


def test_replica_errors_in_french(capsys):
    assert replica_cli.main(["--maintenance=oui"]) == 2
    assert "l’option --maintenance ne prend pas de valeur ('oui')" in capsys.readouterr().err


def test_unknown_message_is_left_as_is():
    assert french("something argparse never says") == "something argparse never says"


def test_replica_does_not_load_the_assistant_cli():
    code = "import sys, assistant.replica.cli; print(sorted(m for m in sys.modules if m.startswith('assistant.cli')))"
    done = python("-c", code)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
