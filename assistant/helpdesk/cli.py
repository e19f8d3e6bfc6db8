"""The helpdesk commands ``diagnostic`` and ``guide`` (dispatched by ``assistant/cli.py``).

``assistant diagnostic`` prints its progress on stderr and the diagnosis on stdout (French lines,
or ``--json``). ``assistant guide`` writes ``guide.html``, ``guide.pdf`` and ``guide.json`` in
``--out`` (default ``reports/guide``).

Exit codes: those of ``assistant`` (0 diagnosis made / guide written, 1 login refused, 2 usage or
an account unfit for the guide, 3 portal unavailable, 4 portal changed, 5 a person must act).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path

from flows.adhesion import FLOW as ADHESION
from flows.diagnostic import FLOW as DIAGNOSTIC

from ..cli_common import EXIT_HELP, Progress, add_journey, configure_logging, demo_account, settings_for
from ..config import Settings, Timeouts, check_credentials, setting
from ..errors import ConfigError
from ..outcomes import outcome
from ..replica import Replica, ReplicaConfig
from .diagnostic import ACTIVATE_COMMAND, diagnose
from ..report_dir import ready
from .guide import GUIDE, GuideFailed, generate

ENV_PAYMENT_USERNAME = "ESPACE_CITOYENS_PAYMENT_USERNAME"
ENV_PAYMENT_PASSWORD = "ESPACE_CITOYENS_PAYMENT_PASSWORD"


def add_commands(sub) -> None:
    """Declare ``diagnostic`` (the registry's journey) and ``guide`` on the CLI's sub-parsers."""
    fmt, epilog = argparse.RawDescriptionHelpFormatter, EXIT_HELP
    add_journey(sub, "diagnostic", run_diagnostic, json_help="écrire le diagnostic en JSON sur la sortie standard")

    guide = sub.add_parser("guide", help="guide illustré des six étapes et du paiement (HTML + PDF), "
                           "fait d’une répétition sur la réplique ou un compte de test", epilog=epilog + (
                               f"\ncomptes : --replica utilise les familles de démonstration ; sinon "
                               f"ESPACE_CITOYENS_USERNAME/PASSWORD (un compte de test qui n’a pas adhéré) et, pour "
                               f"la partie paiement, {ENV_PAYMENT_USERNAME}/{ENV_PAYMENT_PASSWORD} (un compte qui "
                               "adhère et a une facture à payer ; défaut : le même compte)\n"), formatter_class=fmt)
    where = guide.add_mutually_exclusive_group()
    where.add_argument("--replica", action="store_true", help="répéter sur la réplique embarquée (familles fictives)")
    where.add_argument("--base-url", metavar="URL", help="adresse du portail, commune comprise (compte de test)")
    where.add_argument("--tenant", metavar="NOM", help="raccourci : la commune sur www.espace-citoyens.net")
    guide.add_argument("--account", metavar="IDENTIFIANT", help="avec --replica : la famille de la répétition")
    guide.add_argument("--out", metavar="DOSSIER", type=Path, default=Path("reports/guide"),
                       help="dossier du guide (défaut : reports/guide) : guide.html, guide.pdf, guide.json")
    guide.add_argument("--report-dir", metavar="DOSSIER", type=Path,
                       help="dossier des rapports des répétitions (défaut : DOSSIER/rapports)")
    guide.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (en anglais) sur la sortie d’erreur")
    guide.set_defaults(run=run_guide, headed=False, json=False)


def run_diagnostic(args: argparse.Namespace, env: dict[str, str]) -> int:
    with ExitStack() as stack:
        settings = settings_for(args, env, stack)
        configure_logging(args.verbose, settings.report_dir)
        diagnosis, _ = diagnose(settings, progress=Progress(DIAGNOSTIC, sys.stderr), activate=ACTIVATE_COMMAND)
    if args.json:
        print(json.dumps(diagnosis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"\nDiagnostic du compte · commune « {diagnosis.commune} »")
        for line in diagnosis.lines_fr():
            print(f"  {line}")
        print(f"\n{'✓' if diagnosis.exit_code == 0 else '✗'} {diagnosis.verdict}")
        print(f"  Rapport : {diagnosis.report}")
    return diagnosis.exit_code


def _guide_settings(args: argparse.Namespace, env: dict[str, str], stack: ExitStack) -> tuple[Settings, Settings]:
    """(adhesion account, payment account): demo families on the replica, else the environment's."""
    report_dir = args.report_dir or args.out / "rapports"
    if not args.replica:
        args.report_dir = report_dir
        settings = settings_for(args, env, stack)
        user, password = setting(env, ENV_PAYMENT_USERNAME), setting(env, ENV_PAYMENT_PASSWORD)
        if not (user and password):
            return settings, settings
        return settings, settings.with_credentials(*check_credentials(user, password, (ENV_PAYMENT_USERNAME,
                                                                                        ENV_PAYMENT_PASSWORD)))
    replica = stack.enter_context(Replica(ReplicaConfig()))
    username, password = demo_account(replica, args.account)
    base = Settings.from_env(env, base_url=replica.base_url, timeouts=Timeouts.for_replica(), report_dir=report_dir)
    return (base.with_credentials(username, password),
            base.with_credentials(*replica.demo_credentials(replica.demo_payer())))


def run_guide(args: argparse.Namespace, env: dict[str, str]) -> int:
    if args.account and not args.replica:
        raise ConfigError("--account ne s’utilise qu’avec --replica.", key="--account")
    ready(args.out, GUIDE)  # before the replica, a password prompt or a login (checked again by generate)
    with ExitStack() as stack:
        settings, payment = _guide_settings(args, env, stack)
        configure_logging(args.verbose, settings.report_dir)
        try:
            result = generate(settings, args.out, payment_settings=payment, progress=Progress(ADHESION, sys.stderr))
        except GuideFailed as exc:
            print(f"\n✗ {exc.message}", file=sys.stderr)
            if exc.report_html:
                print(f"  Rapport de l’étape en échec : {exc.report_html}", file=sys.stderr)
            return outcome(exc.outcome).exit_code
    pictures = sum(s.image is not None for s in result.shots)
    print(f"\n✓ Guide écrit : {len(result.shots)} étapes, {pictures} captures.")
    print(f"  HTML : {result.html}\n  PDF : {result.pdf}")
    return 0
