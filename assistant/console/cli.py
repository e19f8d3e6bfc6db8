"""The ``console`` command (dispatched by ``assistant/cli.py``): the agents' web console on 127.0.0.1
until Ctrl-C. Exit codes: 0 on Ctrl-C, 2 a bad option (port, commune)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli_common import EXIT_HELP
from ..config import tenant_base_url
from ..errors import ConfigError
from ..frenchargs import port
from .server import serve


def add_commands(sub) -> None:
    """Declare ``console`` on the CLI's sub-parsers."""
    console = sub.add_parser("console", help="console web des agents (127.0.0.1 seulement, jeton d’accès)",
                             epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    console.add_argument("--port", type=port(), default=8770, help="port local (défaut : 8770 ; 0 : un port libre)")
    console.add_argument("--replica", action="store_true",
                         help="démarrer aussi la réplique embarquée et la proposer comme commune (formation)")
    console.add_argument("--commune", metavar="NOM", action="append", default=[],
                         help="ajouter une commune de www.espace-citoyens.net à la liste (répétable)")
    console.add_argument("--runs-dir", metavar="DOSSIER", type=Path, default=Path("runs/console"),
                         help="dossier de l’historique des exécutions (défaut : runs/console)")
    console.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (en anglais) sur la sortie d’erreur")
    console.set_defaults(run=run_console)


def run_console(args: argparse.Namespace, env: dict[str, str]) -> int:
    for slug in args.commune:
        tenant_base_url(slug)  # a bad name stops here, in French (exit 2)
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"Port invalide : {args.port} (0 à 65535).", key="--port")
    return serve(port=args.port, with_replica=args.replica, runs_dir=args.runs_dir, env=env, verbose=args.verbose,
                 extra_communes=args.commune)
