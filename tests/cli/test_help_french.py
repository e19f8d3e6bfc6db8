"""Every ``--help`` of the assistant is French: ``assistant``, each of its commands, ``assistant replica``."""

from __future__ import annotations

import re

import pytest

from assistant import cli
from assistant.frenchargs import commands

COMMANDS = sorted(commands(cli.build_parser()))
# what argparse writes in English when it is left to itself
ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments", "show this help", "and exit",
           "show program's version", "subcommands", "default:", "required", "choose from")
# a heading argparse wrote without the French space before its colon (« options: »)
ENGLISH_HEADING = re.compile(r"^\S[^\n]*\S:$", re.MULTILINE)


def help_of(argv: list[str], capsys) -> str:
    try:
        code = cli.main([*argv, "--help"])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    return captured.out


def test_every_command_is_walked():
    assert {"adhesion", "statut", "factures", "payer", "diagnostic", "guide", "console", "surveiller",
            "baseline", "historique", "enregistrer", "replica"} <= set(COMMANDS)


@pytest.mark.parametrize("argv", [[]] + [[name] for name in COMMANDS], ids=lambda argv: " ".join(argv) or "assistant")
def test_help_is_french(argv, capsys):
    out = help_of(argv, capsys)
    prog = " ".join(["assistant", *argv])
    assert out.startswith(f"utilisation : {prog} [-h]")
    assert re.search(r"^  -h, --help, --aide +afficher cette aide et quitter$", out, re.MULTILINE)
    assert "\noptions :\n" in out
    assert [phrase for phrase in ENGLISH if phrase in out.lower()] == []
    assert ENGLISH_HEADING.findall(out) == []


def test_top_help_titles_the_commands_in_french(capsys):
    out = help_of([], capsys)
    assert "\ncommandes :\n  COMMANDE\n    adhesion " in out and "\ncodes de sortie :\n" in out


def test_positional_heading_in_french(capsys):
    assert "\narguments positionnels :\n  NUMÉRO " in help_of(["payer"], capsys)


def test_an_option_names_its_value_once(capsys):
    out = help_of(["adhesion"], capsys)
    assert "  --report-dir, --dossier-rapport DOSSIER\n" in out
    assert "  --rehearse, --repetition [{complete,lecture}]\n" in out
