"""The ``factures`` and ``payer`` commands (kept beside cli.py, which wires them in).

``assistant factures`` prints the invoices on stdout (a French table, ``--json`` or ``--csv``) and
its progress and verdict on stderr, so its output can be piped. ``assistant payer NUMÉRO`` leads
an unpaid invoice to the payment provider's page: headed, the browser stays there for a person
to enter the card; headless, the payment link is printed. The assistant never types card data.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from flows.invoices import InvoiceOptions, listing_flow
from flows.payment import payment_flow, wait_for_person

from .cli_common import Progress, add_journey, configure_logging, print_verdict, settings_for
from .downloads import check_writable
from .errors import ConfigError
from .invoices.output import table, to_csv, to_json
from .report import as_json
from .report_dir import save
from .runner import Runner


def add_commands(sub) -> None:
    """Declare ``factures`` and ``payer``, the registry's invoice journeys, on the CLI's sub-parsers."""
    factures = add_journey(sub, "factures", run_factures, json_help="écrire les factures en JSON sur la sortie standard")
    factures.add_argument("--csv", action="store_true", help="écrire les factures en CSV (séparateur ;) "
                          "sur la sortie standard")
    factures.add_argument("--download", "--telecharger", metavar="DOSSIER", type=Path,
                          help="enregistrer chaque PDF sous <numéro>_<date d’émission>.pdf (les fichiers déjà "
                          "présents et complets ne sont pas retéléchargés)")
    factures.add_argument("--unpaid", "--a-payer", action="store_true", help="seulement les factures à payer")
    payer = add_journey(sub, "payer", run_payer)
    payer.add_argument("numero", metavar="NUMÉRO", help="le numéro de la facture (colonne « N° de facture »)")


def run_factures(args: argparse.Namespace, env: dict[str, str]) -> int:
    if args.json and args.csv:
        raise ConfigError("--json et --csv s’excluent : choisir l’un des deux.", key="--csv")
    # checked before anything starts: a folder that cannot be written stops the run here (exit 2)
    folder = check_writable(args.download) if args.download else None
    flow = listing_flow(InvoiceOptions(download_dir=folder, unpaid_only=args.unpaid))
    with ExitStack() as stack:
        settings = settings_for(args, env, stack, one_report=True)
        configure_logging(args.verbose, settings.report_dir)
        report = Runner(settings, progress=Progress(flow, sys.stderr)).run(flow)
        saved = save(report, Path(settings.report_dir))
    if report.exit_code == 0:
        invoices = report.result.invoices
        print(to_json(invoices) if args.json else to_csv(invoices).rstrip("\n") if args.csv else table(invoices))
    print_verdict(report, saved, sys.stderr)
    return report.exit_code


def run_payer(args: argparse.Namespace, env: dict[str, str]) -> int:
    with ExitStack() as stack:
        settings = settings_for(args, env, stack, one_report=True)
        # no trace here: a trace snapshot of the provider's page would keep what a person typed there
        settings = replace(settings, trace=False)
        configure_logging(args.verbose, settings.report_dir)
        flow = payment_flow(args.numero, None if settings.headless else wait_for_person(),
                            notify=lambda text: print(f"\n{text}", file=sys.stderr, flush=True))
        report = Runner(settings, progress=Progress(flow, sys.stderr)).run(flow)
        saved = save(report, Path(settings.report_dir))
        # still in the block: with --replica, the link printed opens only while the replica serves
        if args.json:
            print(as_json(report))
        elif report.outcome == "handed_off" and report.result.handover is None and report.result.payment_url:
            print(report.result.payment_url)
        print_verdict(report, saved, sys.stderr)
        if args.replica and report.outcome == "handed_off" and report.result.handover is None:
            keep_replica_for_link(args.numero)
    return report.exit_code


def keep_replica_for_link(number: str) -> None:
    """``payer --replica`` headless: from a terminal, serve the payment link until Entrée (or Ctrl-C);
    otherwise say the link lives only while a replica runs, and how to keep one running."""
    if not sys.stdin.isatty():
        print(f"\nCe lien ne s’ouvre que tant qu’une réplique tourne, et celle de cette commande est arrêtée. "
              f"Pour le suivre jusqu’au paiement : lancer « assistant replica » dans un autre terminal, puis "
              f"« assistant payer {number} --base-url ADRESSE » avec l’adresse, l’identifiant et le mot de passe "
              "qu’elle affiche.", file=sys.stderr)
        return
    print("\nLa réplique reste ouverte pour que le lien de paiement s’ouvre : appuyer sur Entrée (ou Ctrl-C) "
          "quand la famille ou l’agent a terminé.", file=sys.stderr, flush=True)
    try:
        input()
    except (EOFError, KeyboardInterrupt):  # Ctrl-C here ends the wait, not the run: its verdict is given
        pass
    print("Réplique arrêtée : le lien de paiement ne s’ouvre plus.", file=sys.stderr)
