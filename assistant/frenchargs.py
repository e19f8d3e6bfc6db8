"""argparse in French: one parser class for ``assistant`` and ``assistant replica``.

argparse writes its errors and headings in English; :class:`FrenchParser` translates the messages
Python 3.11-3.13 produce, prints the usage, and exits with code 2 (usage error), never with a
traceback. This module imports nothing from the assistant, so the replica can use it and stay as
ignorant of the engine as the real portal is.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

# argparse's whole error messages, most specific first; {0}, {1}… are the pattern's groups
_TRANSLATIONS = [(re.compile(pattern), french) for pattern, french in (
    (r"^unrecognized arguments: (.*)$", "arguments inconnus : {0}"),
    (r"^the following arguments are required: (.*)$", "arguments obligatoires manquants : {0}"),
    (r"^one of the arguments (.*) is required$", "un de ces arguments est obligatoire : {0}"),
    (r"^ambiguous option: (\S+) could match (.*)$", "option ambiguë {0} (possibles : {1})"),
    (r"^argument (\S+): expected one argument$", "l’option {0} attend une valeur"),
    (r"^argument (\S+): expected at least one argument$", "l’option {0} attend au moins une valeur"),
    (r"^argument (\S+): ignored explicit argument (.*)$", "l’option {0} ne prend pas de valeur ({1})"),
    (r"^argument (\S+): not allowed with argument (\S+)$", "l’option {0} est incompatible avec {1}"),
    (r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$", "argument {0} : choix invalide {1} (choisir parmi {2})"),
    (r"^argument (\S+): invalid \S+ value: (.*)$", "argument {0} : valeur invalide {1}"),
    (r"^argument (\S+): (.*)$", "argument {0} : {1}"),
)]


def french(message: str) -> str:
    """argparse's English error message in French (unchanged when it is not one argparse writes)."""
    for pattern, wording in _TRANSLATIONS:
        if match := pattern.match(message):
            return wording.format(*match.groups())
    return message


class FrenchParser(argparse.ArgumentParser):
    """argparse with French errors, usage and headings; a bad command line exits 2, never a traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french(message)}\nAide : {self.prog} --help\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "utilisation :", 1)

    def format_help(self) -> str:
        return (super().format_help().replace("usage:", "utilisation :", 1).replace("\noptions:", "\noptions :", 1)
                .replace("\npositional arguments:", "\narguments positionnels :", 1))
