"""Command line: parses, calls, prints, maps outcomes to exit codes. Text for people is French.

Exit codes (also in ``--help`` and the README):
  0 fait, déjà fait, en attente, répétition réussie ou validation refusée
  1 le portail a refusé (mauvais mot de passe, facture inconnue…)
  2 usage ou configuration incorrects
  3 portail indisponible (injoignable, commune inconnue, maintenance, session expirée)
  4 le portail a changé (page ou bouton introuvable)
  5 une personne doit agir (changement de mot de passe, captcha, SSO)
  6 enregistrement supprimé (un secret y restait après nettoyage)
  130 interrompu (Ctrl-C ou SIGTERM)
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from contextlib import ExitStack
from pathlib import Path

from dotenv import dotenv_values
from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from .config import ENV_PASSWORD, ENV_USERNAME, Settings, Timeouts, normalise_base_url, tenant_base_url
from .errors import AssistantError, ConfigError
from .outcomes import outcome as describe
from .report import write_all
from .results import RunReport
from .runner import Runner
from .steps import Flow, Step

EXIT_CODES = """codes de sortie :
  0  fait, déjà fait, demande en attente, répétition réussie ou « VALIDER » refusé à la question
  1  le portail a refusé (mauvais mot de passe…) — jamais de nouvel essai automatique
  2  usage ou configuration incorrects
  3  portail indisponible (injoignable, commune inconnue, maintenance, session expirée)
  4  le portail a changé (une page ou un contrôle attendu manque)
  5  une personne doit agir (changement de mot de passe, captcha, connexion externe)
  6  enregistrement supprimé : un secret y restait après nettoyage
  130 interrompu (Ctrl-C ou SIGTERM)
"""


class FrenchParser(argparse.ArgumentParser):
    """argparse with French errors and exit code 2, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (message.replace("the following arguments are required", "arguments obligatoires manquants")
                   .replace("unrecognized arguments", "arguments inconnus")
                   .replace("invalid choice", "choix invalide").replace("choose from", "choisir parmi")
                   .replace("expected one argument", "une valeur est attendue")
                   .replace("not allowed with argument", "incompatible avec"))
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def _portal_options(p: argparse.ArgumentParser, json_help: str = "écrire report.json sur la sortie standard") -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="assistant", description="Assistant de l’Espace Citoyens (espace famille) : "
                          "adhésion à la facture en ligne, état d’un compte, factures et paiement, réplique du portail.",
                          epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)
    adhesion = sub.add_parser("adhesion", help="activer la facture en ligne (les six étapes de la page d’aide)",
                              epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _portal_options(adhesion)
    adhesion.add_argument("--rehearse", "--repetition", action="store_true",
                          help="parcourir les six étapes sans cliquer « VALIDER » (aucune écriture possible)")
    adhesion.add_argument("--yes", "--oui", action="store_true", help="ne pas demander de confirmation avant « VALIDER »")
    statut = sub.add_parser("statut", help="la facture en ligne est-elle active ? (lecture seule)",
                            epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _portal_options(statut)
    from .cli_invoices import add_commands

    add_commands(sub, _portal_options, EXIT_CODES)
    from .cli_recording import add_commands as add_recording_commands  # enregistrer

    add_recording_commands(sub, _portal_options, EXIT_CODES)
    from .helpdesk.cli import add_commands as add_helpdesk_commands  # diagnostic, guide, console

    add_helpdesk_commands(sub, _portal_options, EXIT_CODES)
    from .monitor.cli import add_commands as add_monitor_commands  # surveiller, baseline, historique

    add_monitor_commands(sub)
    sub.add_parser("replica", help="démarrer la réplique embarquée du portail (options : assistant replica --help)",
                   add_help=False)
    return parser


# -- set-up at the edge ------------------------------------------------------------------------
def _configure_logging(verbose: bool, report_dir: Path | None) -> None:
    logger.remove()
    logger.enable("assistant")
    if verbose:  # the console gets French sentences; the English log goes to run.log (and here with -v)
        logger.add(sys.stderr, level="DEBUG", format="{time:HH:mm:ss} {level} {message}")
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        logger.add(report_dir / "run.log", level="DEBUG", format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level} {message}")


def _credentials(env: dict[str, str]) -> tuple[str, str]:
    username, password = env.get(ENV_USERNAME), env.get(ENV_PASSWORD)
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


def settings_for(args: argparse.Namespace, env: dict[str, str], stack: ExitStack) -> Settings:
    """Settings for a portal command; with ``--replica`` the replica is started in ``stack``."""
    report_dir = args.report_dir or Path("reports") / f"{args.command}-{_stamp()}"
    common = {"headless": not args.headed, "report_dir": report_dir}
    if args.replica:
        from .replica import Replica, ReplicaConfig

        replica = stack.enter_context(Replica(ReplicaConfig()))
        username, password = demo_account(replica, args.account)
        settings = Settings.from_env(env, base_url=replica.base_url, timeouts=Timeouts.for_replica(), **common)
        logger.info("replica started at {}", replica.base_url)
        return settings.with_credentials(username, password)
    if args.account:
        raise ConfigError("--account ne s’utilise qu’avec --replica.", key="--account")
    if args.base_url:
        settings = Settings.from_env(env, base_url=normalise_base_url(args.base_url, key="--base-url"), **common)
    elif args.tenant:
        settings = Settings.from_env(env, base_url=tenant_base_url(args.tenant), **common)
    else:
        settings = Settings.from_env(env, **common)
    return settings.with_credentials(*_credentials(env))


def _stamp() -> str:
    from datetime import datetime

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
            duration = f"{result.duration_s:.2f} s".replace(".", ",")
            print(f" {mark} {duration}", file=self.stream, flush=True)
            if result.error:
                print(f"    {result.error}", file=self.stream, flush=True)


def _confirm_before_write(yes: bool):
    def confirm(step: Step) -> bool:
        if yes:
            return True
        # the question goes to stderr: stdout may carry --json
        print(f"\nÉtape {step.number} : {step.title}\nCliquer « VALIDER » maintenant ? [o/N] ",
              end="", file=sys.stderr, flush=True)
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip().lower() in ("o", "oui", "y", "yes")
    return confirm


def print_verdict(report: RunReport, paths: dict[str, Path], stream=None) -> None:
    """The French verdict: outcome sentence, next action, request number, report path."""
    stream = stream or sys.stdout
    mark = "✓" if report.exit_code == 0 else "✗"
    print(f"\n{mark} {report.message}", file=stream)
    print(f"  Prochaine action : {report.next_action}", file=stream)
    if report.facts.get("request_number"):
        print(f"  N° de demande : {report.facts['request_number']}", file=stream)
    print(f"  Rapport : {paths['html']}", file=stream)


def _print_report(report: RunReport, paths: dict[str, Path], as_json: bool) -> None:
    if as_json:
        print(paths["json"].read_text(encoding="utf-8"))
    else:
        print_verdict(report, paths)


def run_flow(args: argparse.Namespace, flow: Flow, env: dict[str, str]) -> int:
    rehearse = getattr(args, "rehearse", False)
    if flow.steps and any(s.writes for s in flow.steps) and not (rehearse or args.yes or sys.stdin.isatty()):
        raise ConfigError("Confirmation impossible sans terminal : relancez avec --yes pour cliquer « VALIDER » "
                          "(ou --rehearse pour une répétition).", key="--yes")
    with ExitStack() as stack:
        settings = settings_for(args, env, stack)
        _configure_logging(args.verbose, settings.report_dir)
        stream = sys.stderr if args.json else sys.stdout
        runner = Runner(settings, progress=Progress(flow, stream), confirm=_confirm_before_write(getattr(args, "yes", True)))
        report = runner.run(flow, rehearse=rehearse)
        paths = write_all(report, Path(settings.report_dir))
        _print_report(report, paths, args.json)
        return report.exit_code


def _stop_like_ctrl_c(signum, frame) -> None:
    """SIGTERM (a service manager, ``kill``) stops a run as Ctrl-C does: browser closed, report written."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    if argv[:1] == ["replica"]:
        from .replica.cli import main as replica_main

        return replica_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    env = {**dotenv_values(".env"), **os.environ}
    env = {k: v for k, v in env.items() if v is not None}
    from flows import adhesion, status

    from .cli_invoices import run_factures, run_payer

    commands = {"factures": run_factures, "payer": run_payer}
    flow = {"adhesion": adhesion.FLOW, "statut": status.FLOW}.get(args.command)
    try:
        return run_flow(args, flow, env) if flow else getattr(args, "run", commands.get(args.command))(args, env)
    except AssistantError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return describe(exc.outcome).exit_code
    except PlaywrightError as exc:  # last resort: the browser or its driver died outside a step
        print(f"Erreur du navigateur : {(exc.message or str(exc)).splitlines()[0]}", file=sys.stderr)
        return describe("portal_unavailable").exit_code
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
