"""The ``enregistrer`` command (declared here, dispatched by ``assistant/cli.py``).

``assistant enregistrer`` rehearses the adhesion journey and lists the invoices on any portal (a
test account of the real one, or the replica), keeps what the browser exchanged as scrubbed HAR
archives plus the scrubbed HTML pages, and says where. The folder is checked before anything is
fetched; a recording that still holds a secret after scrubbing is deleted (exit 6).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from flows.adhesion import FLOW

from .cli_common import EXIT_HELP, Progress, configure_logging, portal_options, settings_for, stamp
from .recording import MANIFEST, check_out_folder, record


def add_commands(sub) -> None:
    """Declare ``enregistrer`` on the CLI's sub-parsers."""
    enregistrer = sub.add_parser(
        "enregistrer", help="enregistrer le parcours et la liste des factures (archives HAR nettoyées, sans rien "
        "valider) pour rafraîchir les pages de test", epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    portal_options(enregistrer, json_help="écrire le manifeste de l’enregistrement en JSON sur la sortie standard")
    enregistrer.set_defaults(run=run_enregistrer)
    enregistrer.add_argument("--out", "--dossier", metavar="DOSSIER", type=Path,
                             help="dossier neuf ou vide de l’enregistrement (défaut : enregistrements/<commune>-<date>)")


def run_enregistrer(args: argparse.Namespace, env: dict[str, str]) -> int:
    # checked before anything starts or is fetched: a folder in use or not writable stops here (exit 2)
    folder = check_out_folder(args.out or Path("enregistrements") / f"enregistrement-{stamp()}")
    with ExitStack() as stack:
        settings = settings_for(args, env, stack)
        configure_logging(args.verbose, None)
        stream = sys.stderr if args.json else sys.stdout
        recording = record(settings, folder, progress=Progress(FLOW, stream))
    if args.json:
        print((folder / MANIFEST).read_text(encoding="utf-8"))
    else:
        mark = "✓" if recording.ok else "✗"
        print(f"\n{mark} Enregistrement dans {folder} : {', '.join(recording.hars.values())}, "
              f"{len(recording.pages)} page(s) nettoyée(s) dans {folder / 'pages'}.")
        for name, report in recording.reports.items():
            print(f"  {name} : {report.message}")
        print("  Rien n’a été validé : le parcours d’adhésion s’arrête avant « VALIDER ».")
    return max((r.exit_code for r in recording.reports.values()), default=0)
