"""Command line: parses, calls, prints, maps outcomes to exit codes. Text for people is French.

Exit codes (also in ``--help`` and the README):
  0 fait, déjà fait, en attente, répétition réussie ou validation refusée
  1 le portail a refusé (mauvais mot de passe, facture inconnue…)
  2 usage ou configuration incorrects
  3 portail indisponible (injoignable, commune inconnue, maintenance, session expirée)
  4 le portail a changé (page ou bouton introuvable)
  5 une personne doit agir (changement de mot de passe, captcha, SSO)
  6 enregistrement supprimé (un secret y restait après nettoyage)
  7 une autre exécution est en cours pour la même famille (attente bornée dépassée)
  8 une information du portail n’a pas pu être lue (rien n’a été envoyé)
  130 interrompu (Ctrl-C, SIGINT)
  143 arrêté par SIGTERM
  141 sortie standard fermée par son lecteur (… | head)
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from flows import registry

from . import cli_invoices, cli_recording, cli_trace, interrupts
from .cli_common import EXIT_HELP, Progress, add_journey, configure_logging, print_verdict, settings_for
from .config import read_dotenv
from .console import cli as console_cli
from .errors import AssistantError, browser_cause
from .frenchargs import FrenchParser
from .helpdesk import cli as helpdesk_cli
from .monitor import cli as monitor_cli
from .outcomes import outcome as describe
from .replica import cli as replica_cli
from .report import as_json
from .report_dir import Saved, save
from .results import RunReport
from .runner import Runner
from .steps import Step
from .suggest import with_flags


def _add_journeys(sub) -> None:
    """``adhesion`` and ``statut``: the registry's journeys, played by :func:`run_flow`."""
    adhesion = add_journey(sub, "adhesion", run_flow)
    adhesion.add_argument("--rehearse", "--repetition", nargs="?", const="complete", choices=("complete", "lecture"),
                          help="répétition sans cliquer « VALIDER ». « complete » (défaut) parcourt les six étapes : "
                          "elle soumet le formulaire de l’étape 1 (la requête POST de « Aller à l’étape 2 »), ce qu’il "
                          "faut pour atteindre la page de confirmation ; puis tout envoi est bloqué. « lecture » "
                          "(--rehearse=lecture) s’arrête à l’étape 4 : aucune requête d’écriture après la connexion")
    adhesion.add_argument("--yes", "--oui", action="store_true", help="ne pas demander de confirmation avant « VALIDER »")
    add_journey(sub, "statut", run_flow)


#: the one dispatch table: each entry declares its commands, each command names the function that runs it
COMMANDS = (_add_journeys, cli_invoices.add_commands, cli_recording.add_commands, helpdesk_cli.add_commands,
            console_cli.add_commands, monitor_cli.add_commands, replica_cli.add_command, cli_trace.add_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="assistant", description="Assistant de l’Espace Citoyens (espace famille) : "
                          "adhésion à la facture en ligne, état d’un compte, factures et paiement, réplique du portail.",
                          epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(title="commandes", dest="command", metavar="COMMANDE")
    for add_commands in COMMANDS:
        add_commands(sub)
    return parser


class _ConfirmBeforeWrite:
    """The question before a writing step (« VALIDER »), asked when it is about to be clicked: ``--yes``
    answers it; with no terminal to ask, nothing is clicked and :meth:`verdict` makes the run a usage
    error (exit 2). A family with nothing to do never reaches the question."""

    def __init__(self, yes: bool):
        self.yes, self.no_terminal = yes, False

    def __call__(self, step: Step) -> bool:
        if self.yes:
            return True
        if not sys.stdin.isatty():
            self.no_terminal = True
            return False
        # the question goes to stderr: stdout may carry --json
        print(f"\nÉtape {step.number} : {step.title}\nCliquer « VALIDER » maintenant ? [o/N] ",
              end="", file=sys.stderr, flush=True)
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip().lower() in ("o", "oui", "y", "yes")

    def verdict(self, report: RunReport, again: tuple[str, ...]) -> RunReport:
        """The run's report; declined for want of a terminal, it says to relaunch with --yes (the command
        as the agent types it, ``again`` naming the run's portal and family)."""
        if not (self.no_terminal and report.outcome == "declined"):
            return report
        needed = describe("confirmation_needed")
        return replace(report, outcome=needed.key, exit_code=needed.exit_code, message=needed.sentence,
                       next_action=with_flags(needed.next_action, again))


def _print_report(report: RunReport, saved: Saved, json_out: bool) -> None:
    if not json_out:
        print_verdict(report, saved)
        return
    print(as_json(report))
    if saved.error:
        print(f"Rapport non écrit : {saved.error}", file=sys.stderr)


def run_flow(args: argparse.Namespace, env: dict[str, str]) -> int:
    """``adhesion`` / ``statut``: the registry's journey named by the command, played once."""
    flow = registry.flow("adhesion-lecture" if getattr(args, "rehearse", None) == "lecture" else args.command)
    rehearse = bool(getattr(args, "rehearse", None))
    with ExitStack() as stack:
        settings = settings_for(args, env, stack, one_report=True)
        configure_logging(args.verbose, settings.report_dir)
        stream = sys.stderr if args.json else sys.stdout
        confirm = _ConfirmBeforeWrite(getattr(args, "yes", True))
        runner = Runner(settings, progress=Progress(flow, stream), confirm=confirm)
        report = confirm.verdict(runner.run(flow, rehearse=rehearse), settings.again)
        with interrupts.deferred():  # the report is written and the verdict printed whatever signal comes now
            _print_report(report, save(report, Path(settings.report_dir)), args.json)
        return report.exit_code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["replica"]:  # the replica parses its own options (it imports nothing of the assistant's CLI)
        return replica_cli.main(argv[1:])
    # SIGINT and SIGTERM stop a run as Ctrl-C does: browser closed, report written, exit 130 / 143
    with interrupts.handling():
        try:
            return _main(argv)
        except KeyboardInterrupt:
            pass
        except AssistantError as exc:
            if not interrupts.received():
                print(f"Erreur : {with_flags(exc.message)}", file=sys.stderr)
                return describe(exc.outcome).exit_code
        except PlaywrightError as exc:  # last resort: the browser or its driver died outside a step
            if not interrupts.received():
                print(f"Erreur du navigateur : {browser_cause(exc)[0]}.", file=sys.stderr)  # English: run.log only
                return describe("portal_unavailable").exit_code
        with interrupts.deferred():
            print(f"\nInterrompu par {interrupts.reason()}.", file=sys.stderr)
            return interrupts.exit_code()


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    env = {**read_dotenv(Path(".env")), **os.environ}
    return args.run(args, env)


if __name__ == "__main__":
    sys.exit(main())
