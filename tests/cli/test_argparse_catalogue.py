"""argparse's French catalogue (assistant/locale): complete for the running Python, compiled, shipped, read.

The messages are taken from the running Python's own argparse.py (every ``_('...')`` and
``ngettext('...', '...')`` call), so a Python that adds one (3.13 did) fails here until the .po has it.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import gettext
import importlib.util
import inspect
import os
import re
import tomllib
from pathlib import Path

import pytest

from assistant.frenchargs import CATALOGUE, LOCALE_DIR, FrenchParser

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "argparse.po"
MO = PO.with_suffix(".mo")
_spec = importlib.util.spec_from_file_location("msgfmt", LOCALE_DIR / "msgfmt.py")
msgfmt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(msgfmt)


def _constant(node: ast.expr) -> str | None:
    """A message given as a string, or as the default of ``kwargs.pop('title', 'subcommands')``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "pop" \
            and len(node.args) == 2:
        return _constant(node.args[1])
    return None


def argparse_messages() -> list[str]:
    """Every message this Python's argparse translates: ``msgid``, or ``singular\\0plural`` for ngettext."""
    messages = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            words = [_constant(arg) for arg in node.args[:1 if node.func.id == "_" else 2]]
            if None not in words:
                messages.add("\0".join(words))
    return sorted(messages)


MESSAGES = argparse_messages()
ENTRIES = msgfmt.read_po(PO.read_text(encoding="utf-8"))


def test_the_messages_are_read_from_argparse():
    assert {"usage: ", "unrecognized arguments: %s", "expected %s argument\0expected %s arguments",
            "subcommands"} <= set(MESSAGES)


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.split("\0")[0][:40])
def test_every_argparse_message_has_its_french(message):
    french = ENTRIES.get(message, "")
    assert french and all(french.split("\0")), f"argparse.po : traduire {message!r}"
    for form in french.split("\0"):  # what argparse fills in: no placeholder it does not give
        assert set(re.findall(r"%\((\w+)\)", form)) <= set(re.findall(r"%\((\w+)\)", message))
        assert len(re.findall(r"%[sr]", form)) == len(re.findall(r"%[sr]", message.split("\0")[0]))


def test_the_shipped_mo_is_the_po_compiled():
    """After an edit of argparse.po: python assistant/locale/msgfmt.py"""
    assert MO.read_bytes() == msgfmt.mo_bytes(ENTRIES)
    assert CATALOGUE.gettext("usage: ") == "utilisation : "
    assert CATALOGUE.ngettext("expected %s argument", "expected %s arguments", 2) == "attend %s valeurs"


def test_the_catalogue_ships_with_the_package():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    shipped = [str(path.relative_to(ROOT / "assistant")) for path in (MO, PO)]
    assert all(any(fnmatch.fnmatch(path, pattern) for pattern in data["assistant"]) for path in shipped)


def test_argparse_speaks_french_whatever_the_locale(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LC_ALL", "C")
    parser = FrenchParser(prog="outil")
    parser.add_argument("--paire", nargs=2, metavar="N")
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["--paire", "1"])
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("utilisation : outil [-h] [--paire N N]\n"
                                       "outil : erreur : l’option --paire attend 2 valeurs\nAide : outil --help\n")
    assert parser.format_help().startswith("utilisation : outil [-h] [--paire N N]\n\noptions :\n")


def test_gettext_is_left_as_it_was(monkeypatch):
    """argparse reads the process's gettext domain and LANGUAGE: ours only while it works."""
    monkeypatch.setenv("LANGUAGE", "de")
    domain = gettext.textdomain()
    FrenchParser(prog="outil").format_help()
    assert (gettext.textdomain(), os.environ["LANGUAGE"]) == (domain, "de")
    monkeypatch.delenv("LANGUAGE")
    FrenchParser(prog="outil").format_usage()
    assert "LANGUAGE" not in os.environ
