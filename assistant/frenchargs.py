"""argparse in French: one parser class for ``assistant`` and ``assistant replica``.

argparse writes its help and errors through gettext; :class:`FrenchParser` has it read the French
catalogue shipped with the package (``locale/fr/LC_MESSAGES/argparse.po``, compiled to ``.mo``),
so « utilisation : », « options : », « arguments inconnus : … » are argparse's own messages,
translated. Only argparse's public interface is used (``formatter_class``, ``exit_on_error``,
``error``, ``add_subparsers(parser_class=...)``, :class:`argparse.ArgumentError`): the parser prints
the usage of the command that was given a wrong option (``assistant factures --nope`` shows the
usage of ``factures``) and exits with code 2 (usage error), never with a traceback.

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
import copy
import gettext
import os
import re
import sys
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Callable, Iterator, NoReturn

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


#: argparse's French catalogue, shipped with the package: locale/fr/LC_MESSAGES/argparse.po, compiled to
#: argparse.mo beside it by locale/msgfmt.py
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "argparse"
CATALOGUE = gettext.translation(DOMAIN, LOCALE_DIR, languages=["fr"])
#: argparse's messages on how an option was used: a verb first in French, after « l’option NAME »
OPTION_USE = (("expected one argument",), ("expected at most one argument",), ("expected at least one argument",),
              ("expected %s argument", "expected %s arguments"), ("ignored explicit argument %r",),
              ("not allowed with argument %s",))
_OPTION_USE_FRENCH = tuple((CATALOGUE.ngettext(*m, 2) if len(m) == 2 else CATALOGUE.gettext(*m)).partition("%")[0]
                           for m in OPTION_USE)
# Python 3.13 writes a heading's colon through the catalogue (« %(heading)s : »); 3.11 and 3.12 write
# "heading:" themselves, so the heading carries the French space
_HEADING_COLON_TRANSLATED = sys.version_info >= (3, 13)
_SPEAKING = threading.RLock()


@contextmanager
def _argparse_in_french() -> Iterator[None]:
    """argparse speaking French while it runs: it translates every message it writes with the
    module-level ``gettext.gettext``/``ngettext``, which read the process's current domain
    (``gettext.textdomain``), that domain's folder (``gettext.bindtextdomain``) and the language from
    the environment (``LANGUAGE`` first). All three are ours, under a lock, for as long as argparse
    works, then put back: other code in the process keeps its gettext, a child started later its
    environment."""
    with _SPEAKING:
        domain, folder, language = gettext.textdomain(), gettext.bindtextdomain(DOMAIN), os.environ.get("LANGUAGE")
        gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
        gettext.textdomain(DOMAIN)
        os.environ["LANGUAGE"] = "fr"
        try:
            yield
        finally:
            gettext.textdomain(domain)
            gettext.bindtextdomain(DOMAIN, folder)
            if language is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = language


def _sentence(exc: argparse.ArgumentError) -> str:
    """An argument's error as one French sentence: « l’option --port attend une valeur », « argument
    --port : port invalide … » (argparse's message is already French: the catalogue wrote it)."""
    if exc.argument_name is not None and exc.message.startswith(_OPTION_USE_FRENCH):
        return f"l’option {exc.argument_name} {exc.message}"
    return str(exc)  # « argument NAME : message » through the catalogue, or the message alone


class _FrenchHelp:
    """Formatter mix-in: « titre : » headings, an option's value named once (``--report-dir,
    --dossier-rapport DOSSIER``, as Python 3.13 writes it). The words come from the catalogue."""

    def start_section(self, heading):
        spaced = heading not in (None, argparse.SUPPRESS) and not _HEADING_COLON_TRANSLATED
        super().start_section(f"{heading} " if spaced else heading)  # argparse adds the ':'

    def add_argument(self, action):
        if action.nargs != 0 and len(action.option_strings) > 1:
            action = copy.copy(action)  # shown as one option named by all its flags: its value once
            action.option_strings = [", ".join(action.option_strings)]
        super().add_argument(action)


@cache
def _french_formatter(formatter: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    return type(f"French{formatter.__name__}", (_FrenchHelp, formatter), {})


class FrenchParser(argparse.ArgumentParser):
    """argparse with French errors, usage, headings and flags; a bad command line exits 2, never a traceback.

    Every option declared (:meth:`add_argument`, mutually exclusive groups included) gets its French
    form (:data:`FRENCH_FLAGS`) and is kept in :attr:`declared`; :attr:`subcommands` is the action
    :meth:`add_subparsers` made (:func:`commands`). ``add_argument_group`` is argparse's own (argparse
    calls it for its own groups): an option declared in such a group would get no French form, and
    ``test_every_long_option_has_a_french_form`` would not see it; the commands use none."""

    def __init__(self, *args, formatter_class=argparse.HelpFormatter, **kwargs):
        self.declared: list[argparse.Action] = []
        self.declared_flags: set[str] = set()
        self.subcommands: argparse.Action | None = None
        with _argparse_in_french():  # argparse names its groups and its -h option here
            super().__init__(*args, formatter_class=_french_formatter(formatter_class), exit_on_error=False, **kwargs)

    def add_argument(self, *flags, **kwargs) -> argparse.Action:
        return self._declare(super().add_argument, flags, kwargs)

    def add_mutually_exclusive_group(self, **kwargs) -> _FrenchGroup:
        return _FrenchGroup(self, super().add_mutually_exclusive_group(**kwargs))

    def _declare(self, add: Callable[..., argparse.Action], flags: tuple[str, ...], kwargs: dict) -> argparse.Action:
        # the French form is added last, so the attribute's name stays the first long option's
        french = [FRENCH_FLAGS[flag] for flag in flags if flag in FRENCH_FLAGS]
        french = [alias for alias in dict.fromkeys(french) if alias not in flags and alias not in self.declared_flags]
        with _argparse_in_french():
            action = add(*flags, *french, **kwargs)
        self.declared.append(action)
        self.declared_flags.update(action.option_strings)
        return action

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", _Command)
        with _argparse_in_french():
            self.subcommands = super().add_subparsers(**kwargs)
        return self.subcommands

    def parse_known_args(self, args=None, namespace=None):
        with _argparse_in_french():
            try:
                return super().parse_known_args(args, namespace)
            except argparse.ArgumentError as exc:  # exit_on_error=False: argparse hands its error over
                self.error(_sentence(exc))

    def parse_args(self, args=None, namespace=None):
        with _argparse_in_french():
            try:
                return super().parse_args(args, namespace)
            except argparse.ArgumentError as exc:  # Python 3.13: unrecognized arguments
                self.error(_sentence(exc))

    def format_usage(self) -> str:
        with _argparse_in_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        error = CATALOGUE.gettext("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        self.exit(2, f"{error}Aide : {self.prog} --help\n")


class _Command(FrenchParser):
    """A sub-command's parser: an option it does not know is its own error, shown with its own usage
    (argparse hands such leftovers back to the top parser, which prints ``assistant``'s usage)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(CATALOGUE.gettext("unrecognized arguments: %s") % " ".join(extras))
        return namespace, extras


class _FrenchGroup:
    """A mutually exclusive group whose options are declared as the parser's own are (French form, kept)."""

    def __init__(self, parser: FrenchParser, group) -> None:
        self.parser, self.group = parser, group

    def add_argument(self, *flags, **kwargs) -> argparse.Action:
        return self.parser._declare(self.group.add_argument, flags, kwargs)


def commands(parser: FrenchParser) -> dict[str, argparse.ArgumentParser]:
    """``parser``'s sub-commands by name (none when it has none)."""
    return dict(parser.subcommands.choices) if parser.subcommands is not None else {}
