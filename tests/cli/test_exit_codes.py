"""The exit codes are one table (:data:`assistant.outcomes.EXIT_CODES`): every outcome's code and every code
the command exits with outside an outcome (a signal, a closed pipe) has its row, ``--help`` is made from it,
and the README's table says the same rows, codes and meanings, in the same order."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from assistant.__main__ import CLOSED_PIPE
from assistant.cli import main
from assistant.outcomes import EXIT_CODES, OUTCOMES, exit_codes_help

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
# a row: « | 141 | its standard output … (`… | head`): … | » (a meaning may hold a « | » in backquotes)
ROW = re.compile(r"^\| (\d+) \| (.*) \|$")


def readme_table() -> list[tuple[int, str]]:
    section = README[README.index("### Exit codes\n"):]
    section = section[:section.index("\n#")]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    assert lines[:2] == ["| code | meaning |", "|---|---|"]
    rows = [ROW.match(line) for line in lines[2:]]
    assert None not in rows, lines
    return [(int(m[1]), m[2]) for m in rows if m]


def test_the_readme_table_is_the_table():
    assert readme_table() == [(row.code, row.readme) for row in EXIT_CODES]


def test_every_code_has_one_row():
    codes = [row.code for row in EXIT_CODES]
    assert len(codes) == len(set(codes))
    outside = {2, 128 + signal.SIGINT, 128 + signal.SIGTERM, CLOSED_PIPE}  # usage, signals, a closed pipe
    assert set(codes) == {o.exit_code for o in OUTCOMES.values()} | outside


@pytest.mark.parametrize("argv", [["--help"], ["adhesion", "--help"], ["factures", "--help"], ["diagnostic", "--help"]])
def test_help_is_made_from_the_table(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert exit_codes_help() in out
    assert re.search(r"^  141 sortie fermée par son lecteur", out, re.MULTILINE)
