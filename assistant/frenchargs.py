"""argparse in French: one parser class for ``assistant`` and ``assistant replica``.

argparse writes its errors and headings in English; :class:`FrenchParser` translates the messages
Python 3.11-3.13 produce, writes its own headings (« utilisation : », « options : »…) and
« -h, --help, --aide  afficher cette aide et quitter », prints the usage of the command that was
given a wrong option (``assistant factures --nope`` shows the usage of ``factures``), and exits
with code 2 (usage error), never with a traceback.

Every long option has a French form: :data:`FRENCH_FLAGS` is the one table, applied by the parser
to each option it declares (``--report-dir`` is also ``--dossier-rapport``), so no command module
repeats it. This module imports nothing from the assistant, so the replica can use it and stay as
ignorant of the engine as the real portal is.

Every number a person types (an option, a setting in the environment) goes through one check,
:func:`bounded` (:func:`number` and :func:`port` give it to argparse): an integer or a decimal
number (a French comma accepted) between two bounds, so that no value reaches code that cannot
take it (a wait of 10²⁰ s overflows, a port over 65535 is refused by the system): a French error
(exit 2) instead of a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from typing import Callable, NoReturn

#: the French form of each long option (a flag already given in French keeps it; accents dropped)
FRENCH_FLAGS = {
    # every command
    "--help": "--aide", "--verbose": "--verbeux", "--replica": "--replique", "--base-url": "--adresse",
    "--tenant": "--commune", "--tenants": "--communes", "--account": "--compte", "--headed": "--visible",
    "--report-dir": "--dossier-rapport", "--out": "--dossier", "--folder": "--dossier",
    # adhesion, factures
    "--rehearse": "--repetition", "--yes": "--oui", "--download": "--telecharger", "--unpaid": "--a-payer",
    # surveiller, baseline, historique, console
    "--shard": "--part", "--workers": "--simultanees", "--browser-ws": "--navigateur-ws",
    "--history": "--historique", "--metrics-file": "--fichier-metriques", "--alert": "--alerte",
    "--alert-after": "--alerte-apres", "--read-only": "--lecture", "--every": "--toutes-les",
    "--jitter": "--variation", "--metrics-port": "--port-metriques", "--metrics-host": "--hote-metriques",
    "--runs": "--repetitions", "--runs-dir": "--dossier-executions",
    "--state": "--etat", "--reset": "--reinitialiser",
    # the replica (declared French first, English second)
    "--login-style": "--style-connexion", "--latency": "--latence", "--error-500": "--erreur-500",
    "--expire-after": "--expiration-apres", "--skin": "--habillage", "--wait-ms": "--attente-ms",
    "--rename": "--renommer", "--remove": "--retirer", "--replace-text": "--changer-texte", "--duplicate": "--dupliquer",
    "--session-timeout": "--duree-session", "--outbox": "--boite-envoi", "--audit-log": "--journal-audit",
    "--stop-after": "--arret-apres",
}
#: long options spelt the same in French (format names, words both languages use)
SAME_IN_FRENCH = frozenset({"--json", "--csv", "--port", "--maintenance", "--aspect", "--guide", "--composition"})
FRENCH_FORMS = frozenset(FRENCH_FLAGS.values()) | SAME_IN_FRENCH

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


_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")  # ASCII digits: int() would read other scripts' digits too
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,9})?|\.[0-9]{1,9})")


def shown(text: str, limit: int = 40) -> str:
    """A value typed by someone, fit to quote in a message: control characters as ``?``, cut short."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", text)
    return text if len(text) <= limit else f"{text[:limit]}…"


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def bounded(text: str, low: float, high: float, what: str, *, integer: bool = True, unit: str = "",
            kind: str | None = None) -> float:
    """``text`` as a number from ``low`` to ``high`` (an integer unless ``integer`` is False); a
    French ValueError naming ``what`` (and ``kind``, « un entier » by default) otherwise. The one
    check of every number typed."""
    raw = (text or "").strip()
    raw = raw if integer else raw.replace(",", ".")
    if (_INTEGER if integer else _DECIMAL).fullmatch(raw):
        value = int(raw) if integer else float(raw)
        if low <= value <= high:
            return value
    kind = kind or ("un entier" if integer else "un nombre")
    raise ValueError(f"{what} invalide « {shown(text or '')} » : attendu {kind} entre {_figure(low)} et "
                     f"{_figure(high)}{unit}")


def number(low: float, high: float, what: str, *, integer: bool = True, unit: str = "",
           kind: str | None = None) -> Callable[[str], float]:
    """An argparse ``type``: :func:`bounded` with these bounds."""
    def parse(text: str) -> float:
        try:
            return bounded(text, low, high, what, integer=integer, unit=unit, kind=kind)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def port(*, free: bool = True) -> Callable[[str], float]:
    """An argparse ``type`` for a TCP port (0, a free port chosen by the system, when ``free``)."""
    return number(0 if free else 1, 65535, "port")


def text_value(what: str, *, limit: int = 1024) -> Callable[[str], str]:
    """An argparse ``type`` for a word typed for the portal: not blank, no control character, at most
    ``limit`` characters (an empty one would log in to ask for nothing)."""
    def parse(text: str) -> str:
        if not text.strip() or re.search(r"[\x00-\x1f\x7f]", text) or len(text) > limit:
            raise argparse.ArgumentTypeError(f"{what} invalide « {shown(text)} » : attendu un texte non vide, sans "
                                             f"caractère de contrôle, de {limit} caractères au plus")
        return text.strip()
    return parse


def french(message: str) -> str:
    """argparse's English error message in French (unchanged when it is not one argparse writes)."""
    for pattern, wording in _TRANSLATIONS:
        if match := pattern.match(message):
            return wording.format(*match.groups())
    return message


class _FrenchHelp:
    """Formatter mix-in: French usage prefix, « titre : » headings, an option's value named once
    (``--report-dir, --dossier-rapport DOSSIER``, as Python 3.13 writes it)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)

    def start_section(self, heading):
        super().start_section(f"{heading} " if heading else heading)  # argparse adds the ':'

    def _format_action_invocation(self, action):
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"


@cache
def _french_formatter(formatter: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    return type(f"French{formatter.__name__}", (_FrenchHelp, formatter), {})


class _Commands(argparse._SubParsersAction):
    """Sub-commands whose wrong options are reported by the command itself, with its own usage
    (argparse lets them bubble up to the top parser, which prints ``assistant``'s usage)."""

    def __call__(self, parser, namespace, values, option_string=None):
        super().__call__(parser, namespace, values, option_string)
        unknown = vars(namespace).pop(argparse._UNRECOGNIZED_ARGS_ATTR, None)
        if unknown:
            self._name_parser_map[values[0]].error(f"unrecognized arguments: {' '.join(unknown)}")


class FrenchParser(argparse.ArgumentParser):
    """argparse with French errors, usage, headings and flags; a bad command line exits 2, never a traceback."""

    def __init__(self, *args, add_help: bool = True, formatter_class=argparse.HelpFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=_french_formatter(formatter_class), **kwargs)
        self._positionals.title, self._optionals.title = "arguments positionnels", "options"
        self.register("action", "parsers", _Commands)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")

    def _add_action(self, action: argparse.Action) -> argparse.Action:
        # every declared option (groups included) passes here: its French form is added once, last,
        # so the attribute's name stays the first long option's
        for flag in list(action.option_strings):
            alias = FRENCH_FLAGS.get(flag)
            if alias and alias not in action.option_strings and alias not in self._option_string_actions:
                action.option_strings.append(alias)
        return super()._add_action(action)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french(message)}\nAide : {self.prog} --help\n")


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """``parser``'s sub-commands by name (none when it has none)."""
    return {name: sub for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name, sub in action.choices.items()}
