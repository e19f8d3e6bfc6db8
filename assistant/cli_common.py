"""What the commands share: logging set-up, the settings of a portal command (credentials from
the environment or typed, the replica's demo families, the report folder), the live progress
and the verdict in French, the exit codes and the options every portal command takes. The
sub-commands' modules import it; :mod:`assistant.cli` only registers and runs them."""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from loguru import logger

from flows.registry import FLOWS

from .config import (ENV_PASSWORD, ENV_URL, ENV_USERNAME, SETTINGS, Settings, Timeouts, check_credentials,
                     chosen_base_url, setting)
from .errors import ConfigError
from .invoices.french import format_seconds
from .locks import lock_folder, replica_scope
from .outcomes import exit_codes_help
from .replica import STATE_ENV, CorruptState, Replica, ReplicaConfig, UnwritablePath, default_state_dir
from .report_dir import Saved, checked, new_folder
from .results import RunReport
from .steps import Flow, Step


# -- the commands' shared declarations ----------------------------------------------------------
#: the « codes de sortie » of every portal command's --help, made from the one table of exit codes
EXIT_HELP = exit_codes_help()


def portal_options(p: argparse.ArgumentParser, json_help: str = "écrire report.json sur la sortie standard") -> None:
    """The options every portal command takes: where the portal is, which family, how to report."""
    where = p.add_mutually_exclusive_group()
    where.add_argument("--replica", action="store_true", help="jouer contre la réplique embarquée du portail (démo, formation)")
    where.add_argument("--base-url", metavar="URL", help="adresse du portail, commune comprise "
                       "(défaut : https://www.espace-citoyens.net/grandperigueux/espace-citoyens/ ou ESPACE_CITOYENS_URL)")
    where.add_argument("--tenant", metavar="NOM", help="raccourci : la commune sur www.espace-citoyens.net (ex. maisons-alfort)")
    p.add_argument("--account", metavar="IDENTIFIANT", help="avec --replica : la famille de démonstration à utiliser")
    p.add_argument("--headed", action="store_true", help="montrer le navigateur")
    p.add_argument("--report-dir", metavar="DOSSIER", type=Path, help="dossier du rapport (défaut : reports/<parcours>-<date>)")
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (en anglais) sur la sortie d’erreur")


def add_journey(sub, name: str, run: Callable[[argparse.Namespace, dict[str, str]], int], *,
                json_help: str = "écrire report.json sur la sortie standard", epilog: str = "") -> argparse.ArgumentParser:
    """A command for the registry's journey ``name`` (its help is the registry's), run by ``run``."""
    parser = sub.add_parser(name, help=FLOWS[name].help, epilog=epilog + EXIT_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    portal_options(parser, json_help=json_help)
    parser.set_defaults(run=run)
    return parser


# -- set-up at the edge ------------------------------------------------------------------------
def configure_logging(verbose: bool, report_dir: Path | None) -> None:
    logger.remove()
    logger.enable("assistant")
    if verbose:  # the console gets French sentences; the English log goes to run.log (and here with -v)
        logger.add(sys.stderr, level="DEBUG", format="{time:HH:mm:ss} {level} {message}")
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        # mode "w": a reused folder's run.log starts afresh, like the rest of the report
        logger.add(report_dir / "run.log", level="DEBUG", format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level} {message}",
                   mode="w")


def _credentials(env: dict[str, str]) -> tuple[str, str]:
    username, password = setting(env, ENV_USERNAME), setting(env, ENV_PASSWORD)
    interactive = sys.stdin.isatty()
    try:
        if not username:
            if not interactive:
                raise ConfigError(f"Identifiant manquant : renseignez {ENV_USERNAME} (environnement ou fichier .env).",
                                  key=ENV_USERNAME)
            print("Identifiant de l’espace famille : ", end="", file=sys.stderr, flush=True)
            username = input().strip()
        if not password:
            if not interactive:
                raise ConfigError(f"Mot de passe manquant : renseignez {ENV_PASSWORD} (environnement ou fichier .env).",
                                  key=ENV_PASSWORD)
            password = getpass.getpass("Mot de passe (masqué) : ")
    except EOFError:
        raise ConfigError("Saisie interrompue : identifiant ou mot de passe manquant.", key=ENV_USERNAME) from None
    if not username or not password:
        raise ConfigError("Identifiant ou mot de passe vide.", key=ENV_USERNAME if not username else ENV_PASSWORD)
    return username, password


def demo_account(replica, account: str | None) -> tuple[str, str]:
    """The replica's demo family ``account`` (its default one when None); a French ConfigError otherwise."""
    try:
        return replica.demo_credentials(account)
    except KeyError:
        raise ConfigError(f"Famille de démonstration inconnue : « {account} » "
                          f"(au choix : {', '.join(replica.demo_usernames())}).", key="--account") from None


def settings_for(args: argparse.Namespace, env: dict[str, str], stack: ExitStack, *,
                 one_report: bool = False) -> Settings:
    """Settings for a portal command; with ``--replica`` the replica is started in ``stack``.

    The report folder is made ready before anything logs in (:mod:`assistant.report_dir`):
    ``one_report`` when it holds this run's report only, not the reports of several runs.
    """
    # a blank setting, a bad address or over-long credentials stop the command before any folder is made
    for key in (*SETTINGS, STATE_ENV):
        if key != ENV_URL or not (args.replica or args.base_url is not None or args.tenant is not None):
            setting(env, key)
    portal = None if args.replica else _portal(args, env)
    # a --report-dir that cannot serve stops the command before the replica or a password prompt
    explicit = args.report_dir and report_folder(args, one_report=one_report)
    if portal is None:
        settings = _replica_settings(args, env, stack)
    else:
        settings = portal.with_credentials(*check_credentials(*_credentials(env)))
    locks, note = lock_folder(settings.lock_dir)
    if note:
        print(note, file=sys.stderr)
    return replace(settings, report_dir=explicit or report_folder(args, one_report=one_report),
                   again=_again(args, settings), lock_dir=locks)


def _again(args: argparse.Namespace, settings: Settings) -> tuple[str, ...]:
    """The options naming this run's portal and family, for the commands suggested to the agent."""
    if args.replica:
        return ("--replica", *(("--account", args.account) if getattr(args, "account", None) else ()))
    if args.base_url:
        return ("--base-url", settings.base_url)
    return ("--tenant", args.tenant) if args.tenant else ()


def report_folder(args: argparse.Namespace, *, one_report: bool) -> Path:
    """``--report-dir`` checked (an earlier report in it moved aside, and said), else a new folder."""
    if not args.report_dir:
        return new_folder(Path("reports"), f"{args.command}-{stamp()}")
    folder, moved = checked(args.report_dir, one_report=one_report)
    if moved is not None:
        print(f"Le rapport précédent de « {folder} » est conservé dans « {moved} ».", file=sys.stderr)
    return folder


def _replica_settings(args: argparse.Namespace, env: dict[str, str], stack: ExitStack) -> Settings:
    """The embedded replica, started in ``stack`` on the state every ``--replica`` run shares
    (``ASSISTANT_REPLICA_STATE`` or the user's state folder), so runs can follow one another."""
    state_dir = default_state_dir(env)
    try:
        replica = stack.enter_context(Replica(ReplicaConfig(state_dir=state_dir)))
    except (CorruptState, UnwritablePath) as exc:
        hint = "" if isinstance(exc, CorruptState) else f" ; en choisir un autre avec {STATE_ENV}"
        raise ConfigError(f"{str(exc)[:1].upper()}{str(exc)[1:]}{hint}", key=STATE_ENV) from None
    username, password = demo_account(replica, args.account)
    settings = Settings.from_env(env, base_url=replica.base_url, timeouts=Timeouts.for_replica(),
                                 headless=not args.headed, lock_scope=replica_scope(state_dir))
    logger.info("replica started at {}", replica.base_url)
    return settings.with_credentials(username, password)


def _portal(args: argparse.Namespace, env: dict[str, str]) -> Settings:
    """The real portal's settings, checked (address, credentials given in the environment), no credentials yet."""
    if args.account:
        raise ConfigError("--account ne s’utilise qu’avec --replica.", key="--account")
    check_credentials(setting(env, ENV_USERNAME) or "", setting(env, ENV_PASSWORD) or "")
    return Settings.from_env(env, base_url=chosen_base_url(args.base_url, args.tenant), headless=not args.headed)


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


# -- printing -----------------------------------------------------------------------------------
class Progress:
    """Live progress in French: « [3/6] Puis sur « MODIFIER » … ✓ 0,41 s »."""

    def __init__(self, flow: Flow, stream):
        self.total = len(flow.steps)
        self.stream = stream

    def __call__(self, event: str, step: Step, result) -> None:
        where = "" if step.number == 0 else f"[{step.number}/{self.total}] "
        if event == "wait":
            print("Une autre exécution est en cours pour cette famille sur ce portail : attente de sa fin…",
                  file=self.stream, flush=True)
        elif event == "start":
            print(f"{where}{step.title} …", end="", file=self.stream, flush=True)
        elif event == "skip":
            print(f"{where}{step.title} … – non jouée", file=self.stream, flush=True)
        elif event == "end":
            mark = "✓" if result.status == "ok" else "✗"
            print(f" {mark} {format_seconds(result.duration_s)}", file=self.stream, flush=True)
            if result.error:
                print(f"    {result.error}", file=self.stream, flush=True)


def print_verdict(report: RunReport, saved: Saved, stream=None) -> None:
    """The French verdict: outcome sentence, next action, request number, where the run stopped,
    the report's path (or why it could not be written)."""
    stream = stream or sys.stdout
    mark = "✓" if report.exit_code == 0 else "✗"
    print(f"\n{mark} {report.message}", file=stream)
    print(f"  Prochaine action : {report.next_action}", file=stream)
    number = getattr(report.result, "request_number", None) or report.unread().get("request_number")
    if number:  # read, or said to be « non affiché » once « VALIDER » was sent: never invented
        print(f"  N° de demande : {number}", file=stream)
    if report.stopped_at and report.outcome == "interrupted":
        print(f"  Arrêt : {report.stopped_at}", file=stream)
    print(f"  Rapport : {saved.paths['html']}" if saved.paths else f"  Rapport non écrit : {saved.error}", file=stream)
