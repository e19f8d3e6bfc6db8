"""One registry of journeys, one dispatch table, imports that run one way and at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.cli import COMMANDS, build_parser
from assistant.frenchargs import commands
from flows.registry import FLOWS, flow

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = commands(build_parser())


def test_every_command_names_the_function_that_runs_it():
    assert set(SUBCOMMANDS) == {"adhesion", "statut", "factures", "payer", "diagnostic", "guide", "console",
                                "enregistrer", "surveiller", "baseline", "historique", "replica", "trace"}
    for name, parser in SUBCOMMANDS.items():
        assert callable(parser.get_default("run")), name
    assert len(COMMANDS) == 8


@pytest.mark.parametrize("name", ["adhesion", "statut", "factures", "payer", "diagnostic"])
def test_journey_commands_are_built_from_the_registry(name):
    # the top help lists each command with the help its parser was given (whitespace as the help wraps it)
    listed = " ".join(build_parser().format_help().split())
    assert f" {name} {' '.join(FLOWS[name].help.split())} " in listed


def test_the_registry_builds_each_journey_by_its_name():
    assert flow("adhesion").name == "adhesion" and [s.number for s in flow("adhesion-lecture").steps] == [1, 2, 3, 4]
    assert flow("factures").name == "factures" and flow("payer", "260201").name == "payer"
    assert flow("surveillance").guard_after == 5 and flow("surveillance-lecture").guard_after == 0
    with pytest.raises(KeyError):
        flow("inconnu")


def _function_imports(path: Path) -> list[str]:
    """Imports inside a function, but those under ``if TYPE_CHECKING:`` (annotations only)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(node)
                      if isinstance(n, (ast.Import, ast.ImportFrom))]
    return found


def test_no_import_inside_a_function_outside_the_replica():
    # __main__ loads the CLI only once the signals are handled (a Ctrl-C while loading exits 130 quietly)
    files = [p for p in [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("flows/*.py")]
             if "replica" not in p.parts and p.name != "__main__.py"]
    assert [hit for path in files for hit in _function_imports(path)] == []
