"""One French argparse for ``assistant`` and ``assistant replica`` (assistant/frenchargs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import cli
from assistant.frenchargs import FRENCH_FLAGS, FRENCH_FORMS, FrenchParser, commands
from assistant.replica import cli as replica_cli
from support import python


def test_both_commands_share_one_parser_class():
    assert cli.FrenchParser is FrenchParser and replica_cli.FrenchParser is FrenchParser
    assert type(cli.build_parser()) is FrenchParser and type(replica_cli.build_parser()) is FrenchParser


@pytest.mark.parametrize("argv,expected", [
    (["adhesion", "--report-dir"], "assistant adhesion : erreur : l’option --report-dir/--dossier-rapport attend une valeur"),
    (["adhesion", "--rep"], "assistant adhesion : erreur : option ambiguë --rep (possibles : "),
    (["statut", "--replica", "--tenant", "x"], "l’option --tenant/--commune est incompatible avec --replica/--replique"),
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


@pytest.mark.process
def test_replica_does_not_load_the_assistant_cli():
    code = "import sys, assistant.replica.cli; print(sorted(m for m in sys.modules if m.startswith('assistant.cli')))"
    done = python("-c", code)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


# -- French flags: one table, applied to every option of every command ----------------------------
def _parsers():
    top = cli.build_parser()
    named = {"assistant": top, **{f"assistant {n}": p for n, p in commands(top).items()}}
    return {**named, "assistant replica": replica_cli.build_parser()}


def _long_options():
    return [(prog, action.option_strings) for prog, parser in _parsers().items()
            for action in parser.declared if any(s.startswith("--") for s in action.option_strings)]


@pytest.mark.parametrize("prog,flags", _long_options(), ids=lambda v: v if isinstance(v, str) else v[-1])
def test_every_long_option_has_a_french_form(prog, flags):
    assert set(flags) & FRENCH_FORMS, f"{prog} {flags}: ajouter la forme française à FRENCH_FLAGS"
    assert all(FRENCH_FLAGS[f] in flags for f in flags if f in FRENCH_FLAGS)


def test_french_flags_are_read_as_the_english_ones():
    args = cli.build_parser().parse_args(["factures", "--replique", "--compte", "famille.durand", "--visible",
                                          "--dossier-rapport", "r", "--a-payer", "--verbeux"])
    assert (args.replica, args.account, args.headed, args.report_dir, args.unpaid, args.verbose) == \
        (True, "famille.durand", True, Path("r"), True, True)
    args = cli.build_parser().parse_args(["adhesion", "--adresse", "https://x.test/c/espace-citoyens/", "--oui",
                                          "--repetition", "lecture"])
    assert (args.base_url, args.yes, args.rehearse) == ("https://x.test/c/espace-citoyens/", True, "lecture")
    args = cli.build_parser().parse_args(["surveiller", "--replique", "--simultanees", "2", "--part", "1/2"])
    assert (args.replica, args.workers, args.shard) == (True, 2, "1/2")


def test_replica_keeps_both_forms():
    args = replica_cli.build_parser().parse_args(["--latency", "MonCompte=5", "--commune", "demo", "--stop-after", "1"])
    assert (args.latence, args.tenant, args.arret_apres) == ([("MonCompte", 5)], "demo", 1.0)


# -- a wrong option after a command: that command's usage --------------------------------------------
NEEDS = {"payer": ["F-1"], "trace": ["reports/demo"], "surveiller": ["--replica"], "baseline": ["--replica"]}


@pytest.mark.parametrize("name", sorted(set(commands(cli.build_parser())) - {"replica"}))
def test_wrong_option_prints_the_commands_usage(capsys, name):
    with pytest.raises(SystemExit) as exc:
        cli.main([name, *NEEDS.get(name, []), "--bogus"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith(f"utilisation : assistant {name} [-h]")
    assert f"\nassistant {name} : erreur : arguments inconnus : --bogus\nAide : assistant {name} --help\n" in err


def test_wrong_option_of_the_replica(capsys):
    assert cli.main(["replica", "--nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : assistant replica [-h]") and "arguments inconnus : --nope" in err
