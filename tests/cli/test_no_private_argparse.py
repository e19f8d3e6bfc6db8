"""No private name of argparse anywhere in the project (issue 18: public interfaces only).

The private names are read from the running Python's argparse.py (every ``_name`` it defines or
uses as an attribute: ``_subparsers``, ``_StoreAction``, ``_registry_get``…); the project's sources
(assistant, flows, tests) must use none of them as an attribute, nor import one. A stop-gap until
the import contracts and the linter of issue 18 take such checks over.
"""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def argparse_private_names() -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names if _private(name)}


PRIVATE = argparse_private_names()


def uses(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "argparse":
            found += [(node.lineno, f"from argparse import {a.name}") for a in node.names if _private(a.name)]
    return found


def test_the_private_names_are_read_from_argparse():
    assert {"_subparsers", "_group_actions", "_StoreAction", "_registry_get", "_get_formatter", "_"} <= PRIVATE


def test_the_check_sees_a_private_use():
    tree = ast.parse("import argparse as ap\nfrom argparse import _StoreAction\nclass C(ap._StoreAction): pass\n"
                     "parser._registry_get('action', None)\nparser._subparsers._group_actions\n")
    assert sorted(what for _, what in uses(tree)) == ["._StoreAction", "._group_actions", "._registry_get",
                                                     "._subparsers", "from argparse import _StoreAction"]


def test_no_private_argparse_name_in_the_project():
    found = [f"{path.relative_to(ROOT)}:{line}: {what}"
             for folder in ("assistant", "flows", "tests") for path in sorted((ROOT / folder).rglob("*.py"))
             for line, what in uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []
