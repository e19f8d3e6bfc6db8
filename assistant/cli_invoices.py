"""The ``factures`` and ``payer`` commands (kept beside cli.py, which wires them in).

``assistant factures`` prints the invoices on stdout (a French table, ``--json`` or ``--csv``) and
its progress and verdict on stderr, so its output can be piped. ``assistant payer NUMÉRO`` leads
an unpaid invoice to the payment provider's page: headed, the browser stays there for a person
to enter the card; headless, the payment link is printed. The assistant never types card data.
The next actions name the commands to type next, for the same replica, family or commune: each
unpaid invoice's ``payer`` (overdue ones flagged), or ``adhesion`` first for a family without
online invoicing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from pathlib import Path

from flows.invoices import InvoiceOptions, listing_flow
from flows.payment import payment_flow, wait_for_person

from .cli_common import Progress, add_journey, configure_logging, print_verdict, settings_for
from .downloads import check_writable
from .errors import ConfigError, os_reason
from .frenchargs import text_value
from .invoices.french import format_amount, format_due
from .invoices.model import UNPAID, Invoice
from .invoices.output import table, to_csv, to_json
from .report import as_json
from .report_dir import file_ready, save
from .results import RunReport
from .runner import Runner
from .suggest import with_flags


def add_commands(sub) -> None:
    """Declare ``factures`` and ``payer``, the registry's invoice journeys, on the CLI's sub-parsers."""
    factures = add_journey(sub, "factures", run_factures, json_help="écrire les factures en JSON sur la sortie standard")
    factures.add_argument("--csv", nargs="?", const="-", metavar="FICHIER",
                          help="écrire les factures en CSV pour un tableur (UTF-8 avec BOM, séparateur ;, en-têtes "
                          "du tableau) dans FICHIER, ou sur la sortie standard sans FICHIER")
    factures.add_argument("--download", "--telecharger", metavar="DOSSIER", type=Path,
                          help="enregistrer chaque PDF sous <numéro>_<date d’émission>.pdf (les fichiers déjà "
                          "présents et complets ne sont pas retéléchargés)")
    factures.add_argument("--unpaid", "--a-payer", action="store_true", help="seulement les factures à payer")
    payer = add_journey(sub, "payer", run_payer)
    payer.add_argument("numero", metavar="NUMÉRO", type=text_value("numéro de facture", limit=64),
                       help="le numéro de la facture (colonne « N° de facture »)")


def run_factures(args: argparse.Namespace, env: dict[str, str]) -> int:
    if args.json and args.csv:
        raise ConfigError("--json et --csv s’excluent : choisir l’un des deux.", key="--csv")
    # checked before anything starts: a folder that cannot be written stops the run here (exit 2)
    folder = check_writable(args.download) if args.download else None
    csv_file = _csv_file(args.csv)
    flow = listing_flow(InvoiceOptions(download_dir=folder, unpaid_only=args.unpaid))
    with ExitStack() as stack:
        settings = settings_for(args, env, stack, one_report=True)
        configure_logging(args.verbose, settings.report_dir)
        report = Runner(settings, progress=Progress(flow, sys.stderr)).run(flow)
        if report.exit_code == 0 and (action := to_pay(report.result.listed, date.today())):
            report = replace(report, next_action=with_flags(action, settings.again))
        saved = save(report, Path(settings.report_dir))
    if report.exit_code == 0:
        invoices = report.result.listed
        if args.csv:
            _write(to_csv(invoices), csv_file)
        else:
            print(to_json(invoices) if args.json else table(invoices, date.today()))
    print_verdict(report, saved, sys.stderr)
    return report.exit_code


#: the first bytes of every CSV file ``factures --csv`` writes (BOM and headers): a file starting so is its own
CSV_HEAD = to_csv([])


def _csv_file(value: str | None) -> Path | None:
    """``--csv FICHIER``'s file, checked before the run: in an existing writable folder, and absent, empty or
    an earlier CSV of ours (someone else's file is never replaced)."""
    if value in (None, "-"):
        return None
    return file_ready(Path(value), what="Fichier CSV", key="--csv", ours=lambda head: head.startswith(CSV_HEAD),
                      make_folder=False)


def _write(data: bytes, path: Path | None) -> None:
    """The CSV's bytes as they are (BOM included) in ``path``, or on stdout when ``path`` is None."""
    if path is not None:
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise ConfigError(f"Fichier CSV « {path} » non écrit ({os_reason(exc)}).", key="--csv") from exc
        print(f"Factures écrites dans {path}.", file=sys.stderr)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def run_payer(args: argparse.Namespace, env: dict[str, str]) -> int:
    with ExitStack() as stack:
        settings = settings_for(args, env, stack, one_report=True)
        # no trace here: a trace snapshot of the provider's page would keep what a person typed there
        settings = replace(settings, trace=False)
        configure_logging(args.verbose, settings.report_dir)
        flow = payment_flow(args.numero, None if settings.headless else wait_for_person(),
                            notify=lambda text: print(f"\n{text}", file=sys.stderr, flush=True))
        report = Runner(settings, progress=Progress(flow, sys.stderr)).run(flow)
        if action := _after_payer(report, args.numero):
            report = replace(report, next_action=with_flags(action, settings.again))
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


# -- next actions: the commands to type next (the run's portal and family are added by with_flags) ---
def to_pay(invoices: Iterable[Invoice], today: date) -> str | None:
    """The next action of a listing with invoices to pay: each one's ``payer`` command, with what is left to pay
    and its due date (« échue depuis le … » once past); activating online invoicing first when the portal
    offers « Payer » for none of them; the invoices whose status does not read, to check with the family;
    None when nothing is to pay nor to check."""
    invoices = list(invoices)
    unpaid = [inv for inv in invoices if inv.to_pay and inv.number]
    items = []
    for inv in unpaid:
        due = inv.amount_due
        shown = "illisible" if due is None else format_amount(due)
        facts = [f"montant {shown}" if due is None and inv.status == UNPAID else
                 shown if inv.status == UNPAID else f"reste {shown}"]
        if inv.due is not None:
            facts.append(format_due(inv.due, today))
        items.append(f"« assistant payer {inv.number} » ({', '.join(facts)})")
    unknown = [inv.number or inv.id for inv in invoices if inv.status is None]
    check = (f" Statut illisible pour {len(unknown)} facture(s) ({', '.join(unknown)}) : ni comptée(s) à payer ni "
             "payée(s), le vérifier dans « Mes factures » avec la famille." if unknown else "")
    if not items:
        return check.strip() or None
    if not any(inv.pay_url for inv in unpaid):
        return ("Le portail ne propose « Payer » pour aucune de ces factures : la facture en ligne n’est sans doute "
                "pas activée (le vérifier avec « assistant statut », l’activer avec l’accord de la famille avec "
                f"« assistant adhesion »), puis payer, une commande par facture : {' ; '.join(items)}.{check}")
    return f"Payer en ligne, une commande par facture : {' ; '.join(items)}.{check}"


def _after_payer(report: RunReport, number: str) -> str | None:
    """The payer's next action with the commands to type: activate online invoicing first, or list
    what is left to pay; None when the outcome's own next action says it."""
    if report.outcome == "not_adhered":
        return ("Activer d’abord la facture en ligne, avec l’accord de la famille : « assistant adhesion », "
                f"puis relancer « assistant payer {number.strip()} ».")
    if report.outcome == "already_paid":
        return "Aucune action ; « assistant factures --unpaid » liste ce qui reste à payer."
    return None


def keep_replica_for_link(number: str) -> None:
    """``payer --replica`` headless: from a terminal, serve the payment link until Entrée (or Ctrl-C);
    otherwise say the link lives only while a replica runs, and how to keep one running."""
    if not sys.stdin.isatty():
        print(with_flags(f"\nAttention : ce lien de la réplique ne s’ouvre plus, la réplique s’est arrêtée avec la "
                         f"commande. Pour le suivre jusqu’au paiement : lancer « assistant replica » dans un autre "
                         f"terminal, puis « assistant payer {number} --base-url ADRESSE » avec l’adresse, l’identifiant "
                         "et le mot de passe qu’elle affiche."), file=sys.stderr)
        return
    print("\nLa réplique reste ouverte pour que le lien de paiement s’ouvre : appuyer sur Entrée (ou Ctrl-C) "
          "quand la famille ou l’agent a terminé.", file=sys.stderr, flush=True)
    try:
        input()
    except (EOFError, KeyboardInterrupt):  # Ctrl-C here ends the wait, not the run: its verdict is given
        pass
    print("Réplique arrêtée : le lien de paiement ne s’ouvre plus.", file=sys.stderr)
