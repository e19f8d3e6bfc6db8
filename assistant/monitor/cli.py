"""The monitor's commands: ``surveiller``, ``baseline`` and ``historique`` (wired in by ``assistant/cli.py``).

Everything a person reads is French; bad input is a French message and exit code 2, before any
run. Exit codes of ``surveiller`` and ``baseline`` are in :data:`EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import re
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from flows import registry

from .. import interrupts
from ..cli_common import configure_logging
from ..config import ENV_CHROMIUM, Secret, setting
from ..errors import ConfigError, os_reason
from ..frenchargs import bounded, number, port, shown
from ..invoices.french import format_moment, format_number, format_seconds
from .alerts import AlertPolicy
from .drift import CLASS_FR
from .drift import EXIT_CODES as CLASS_EXIT_CODES
from .drift import worst
from ..helpdesk.guide import generate
from ..replica import Replica, ReplicaConfig
from .history import History, percentile
from .rehearsal import settings_for
from .options import usable_folders
from .scheduler import Monitor, MonitorOptions, check_every
from .tenants import Tenant, load_tenants, parse_shard, shard

EXIT_CODES = """codes de sortie (surveiller, baseline) :
  0  toutes les communes répondent (changements cosmétiques compris) ; avec --every : arrêt demandé
  1  le compte de test d’au moins une commune est refusé (accès)
  2  usage ou configuration incorrects (fichier des communes, historique illisible…) : rien n’a été lancé
  3  portail indisponible pour au moins une commune, ou serveur de navigateur distant injoignable
  4  changement cassant sur au moins une commune (page ou contrôle documenté disparu ou renommé)
  130 interrompu (Ctrl-C, SIGINT) ; 143 arrêté par SIGTERM (systemd, conteneur) : les répétitions en cours
      sont enregistrées comme interrompues, sans alerte ni effet sur la disponibilité du portail
"""
DURATION = re.compile(r"^(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?$")
REPLICA_TENANT = "grandperigueux"
#: the longest --every: a month between two cycles is already no monitoring (and a wait the system takes)
MAX_EVERY_S = 30 * 24 * 3600
# the bounds of the monitor's numbers (frenchargs.number: a French usage error beyond them)
WORKERS = number(1, 64, "nombre de répétitions simultanées")
ALERT_AFTER = number(1, 1000, "nombre d’échecs")
JITTER = number(0, 0.9, "variation", integer=False)
RUNS = number(1, 10000, "nombre de répétitions")


def parse_duration(text: str) -> float:
    """``15m``, ``1h``, ``1h30m``, ``90s`` or plain seconds -> seconds, at most :data:`MAX_EVERY_S`
    (French ConfigError otherwise: an empty value too, never « once »)."""
    raw = (text or "").strip().lower()
    match = DURATION.match(raw)
    seconds = None
    if re.fullmatch(r"[\d.,]+", raw):
        try:
            seconds = bounded(raw, 0, MAX_EVERY_S, "durée", integer=False)
        except ValueError:
            seconds = None
    elif raw and match and any(match.groups()):
        h, m, s = (int(g or 0) for g in match.groups())
        seconds = float(h * 3600 + m * 60 + s)
    if seconds is None or seconds > MAX_EVERY_S:
        raise ConfigError(f"Durée invalide « {shown(text or '')} » : par exemple 15m, 1h, 1h30m ou 90s, "
                          f"{MAX_EVERY_S // 86400} jours au plus.", key="--every")
    return seconds


def _help(p: argparse.ArgumentParser) -> None:
    p.add_argument("-h", "--help", "--aide", action="help", help="afficher cette aide et quitter")


def _common(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--tenants", "--communes", metavar="FICHIER", type=Path,
                       help="fichier TOML des communes à surveiller (voir le README)")
    where.add_argument("--replica", action="store_true",
                       help="surveiller la réplique embarquée du portail (démonstration)")
    p.add_argument("--tenant", "--commune", metavar="NOM", action="append", default=[],
                   help="seulement cette commune du fichier (répétable)")
    p.add_argument("--shard", metavar="i/n", help="seulement la i-ième part sur n des communes (plusieurs moniteurs)")
    p.add_argument("--workers", type=WORKERS, default=4, metavar="N",
                   help="répétitions simultanées au plus (défaut : 4), un contexte de navigateur chacune")
    p.add_argument("--browser-ws", metavar="URL",
                   help="jouer sur un serveur de navigateur Playwright distant (ws://hôte:port/, "
                        "lancé par « playwright run-server », avec --unsafe pour un Chromium Debian)")
    p.add_argument("--dossier", "--folder", metavar="DOSSIER", type=Path, default=Path("surveillance"),
                   help="dossier du moniteur : historique, références, captures, rapports (défaut : surveillance/)")
    p.add_argument("--history", "--historique", metavar="FICHIER", type=Path,
                   help="fichier SQLite de l’historique (défaut : <dossier>/historique.sqlite)")
    p.add_argument("--metrics-file", metavar="FICHIER", type=Path,
                   help="fichier texte Prometheus écrit après chaque répétition (défaut : <dossier>/metrics.prom)")
    p.add_argument("--alert", "--alerte", metavar="URL", action="append", default=[],
                   help="adresse Apprise des alertes (mailto://…, json://…, slack://…), répétable")
    p.add_argument("--alert-after", "--alerte-apres", type=ALERT_AFTER, default=2, metavar="N",
                   help="alerter après N échecs de suite (défaut : 2), puis au rétablissement")
    p.add_argument("--lecture", "--read-only", action="store_true",
                   help="répétition en lecture seule : étapes 1 à 4 puis la liste des factures, sans « Aller à "
                        "l’étape 2 » (qui envoie le formulaire de l’étape 1) ; rien d’autre que la connexion n’est envoyé")
    p.add_argument("--headed", action="store_true", help="montrer le navigateur (navigateur local seulement)")
    p.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (en anglais) sur la sortie d’erreur")


def add_commands(sub) -> None:
    """Declare ``surveiller``, ``baseline`` and ``historique`` on the CLI's sub-parsers."""
    fmt = argparse.RawDescriptionHelpFormatter
    watch = sub.add_parser("surveiller", help="répéter le parcours (sans jamais écrire) pour une ou plusieurs "
                           "communes et signaler les changements et pannes du portail",
                           epilog=EXIT_CODES, formatter_class=fmt, add_help=False)
    _help(watch)
    _common(watch)
    watch.set_defaults(run=run_monitor)
    watch.add_argument("--every", "--toutes-les", metavar="DURÉE",
                       help="recommencer toutes les DURÉE (15m, 1h…) jusqu’à l’arrêt (SIGTERM : après les "
                            "répétitions en cours) ; au moins 5 minutes contre un portail réel")
    watch.add_argument("--jitter", type=JITTER, default=0.1, metavar="FRACTION",
                       help="variation aléatoire de l’intervalle, de 0 à 0.9 (défaut : 0.1, soit ±10 %%)")
    watch.add_argument("--metrics-port", type=port(), default=9464, metavar="PORT",
                       help="avec --every : servir /metrics sur ce port (défaut : 9464 ; 0 : un port libre)")
    watch.add_argument("--metrics-host", default="127.0.0.1", metavar="HÔTE",
                       help="adresse d’écoute de /metrics (défaut : 127.0.0.1)")
    watch.add_argument("--guide", action="store_true",
                       help="refaire le guide illustré des familles (<dossier>/guides/<commune>/) quand le portail "
                            "change ; la partie « Payer » demande le compte de paiement de la commune "
                            "(payment_username_env, payment_password_env)")
    baseline = sub.add_parser("baseline", help="enregistrer la référence (empreinte de chaque page) à partir "
                              "d’une répétition réussie", epilog=EXIT_CODES, formatter_class=fmt, add_help=False)
    _help(baseline)
    _common(baseline)
    baseline.set_defaults(run=run_monitor)
    history = sub.add_parser("historique", help="dernières répétitions, disponibilité sur 24 h et 7 jours, "
                             "durées p50/p95 par étape", formatter_class=fmt, add_help=False)
    _help(history)
    history.set_defaults(run=run_history)
    history.add_argument("--tenant", "--commune", metavar="NOM", help="seulement cette commune")
    history.add_argument("--dossier", "--folder", metavar="DOSSIER", type=Path, default=Path("surveillance"),
                         help="dossier du moniteur (défaut : surveillance/)")
    history.add_argument("--history", "--historique", metavar="FICHIER", type=Path,
                         help="fichier SQLite de l’historique (défaut : <dossier>/historique.sqlite)")
    history.add_argument("--runs", "--repetitions", type=RUNS, default=10, metavar="N",
                         help="nombre de répétitions récentes affichées (défaut : 10)")


# -- surveiller / baseline ------------------------------------------------------------------------
def _tenants(args: argparse.Namespace, env: dict[str, str], stack: ExitStack) -> list[Tenant]:
    if args.replica:
        replica = stack.enter_context(Replica(ReplicaConfig(tenant=REPLICA_TENANT)))
        username, password = replica.demo_credentials("famille.martin")
        payer, payer_password = replica.demo_credentials(replica.demo_payer())
        tenants = [Tenant(REPLICA_TENANT, replica.base_url, "classic", "-", "-", username, Secret(password),
                          payment_username=payer, payment_password=Secret(payer_password))]
    else:
        tenants = load_tenants(args.tenants, env)
    if args.tenant:
        unknown = sorted(set(args.tenant) - {t.name for t in tenants})
        if unknown:
            raise ConfigError(f"Commune inconnue dans le fichier : « {unknown[0]} » "
                              f"(au choix : {', '.join(t.name for t in tenants)}).", key="--tenant")
        tenants = [t for t in tenants if t.name in args.tenant]
    if args.shard:
        index, count = parse_shard(args.shard)
        tenants = shard(tenants, index, count)
    return tenants


def _options(args: argparse.Namespace, env: dict[str, str]):
    if args.browser_ws and not re.match(r"^wss?://[^/\s]+", args.browser_ws):
        raise ConfigError(f"--browser-ws invalide « {args.browser_ws} » : une adresse ws://hôte:port/ est attendue.",
                          key="--browser-ws")
    flow = registry.flow("surveillance-lecture" if args.lecture else "surveillance")
    options = MonitorOptions(flow, folder=args.dossier, history_path=args.history,
                             workers=args.workers, browser_ws=args.browser_ws, chromium=setting(env, ENV_CHROMIUM),
                             headless=not args.headed, metrics_file=args.metrics_file, alert_urls=list(args.alert),
                             policy=AlertPolicy(after=args.alert_after), jitter=getattr(args, "jitter", 0.1))
    if getattr(args, "guide", False):
        options.guide = guide_maker(options.chromium, headless=options.headless)
    return options


def guide_maker(chromium: str | None, *, headless: bool):
    """The monitor's ``guide`` hook: the helpdesk's guide, from the tenant's test account(s)."""
    def make(tenant: Tenant, browser, out_dir: Path, report_dir: Path) -> None:
        settings = settings_for(tenant, report_dir=report_dir, screenshots=True, chromium=chromium)
        payer = (replace(settings, username=tenant.payment_username, password=tenant.payment_password)
                 if tenant.payment_password is not None else None)
        # PDFs are printed by a headless Chromium only: a headed monitor lets the guide start its own
        generate(settings, out_dir, payment_settings=payer, browser=browser if headless else None)
    return make


def run_monitor(args: argparse.Namespace, env: dict[str, str]) -> int:
    """``assistant surveiller`` and ``assistant baseline``."""
    every = parse_duration(args.every) if getattr(args, "every", None) is not None else None
    options = _options(args, env)
    with ExitStack() as stack:
        tenants = _tenants(args, env, stack)
        if not tenants:
            print("Aucune commune à surveiller dans cette part (--shard) : rien à faire.")
            return 0
        if every is not None:
            check_every(every, tenants)
        usable_folders(options)  # before any rehearsal
        configure_logging(args.verbose, options.folder)
        # SIGINT / SIGTERM (Ctrl-C, systemd, a container's stop): the rehearsals under way end as interrupted
        monitor = stack.enter_context(Monitor(tenants, options, say=lambda text: print(text, flush=True)))
        print(f"Surveillance de {len(tenants)} commune(s) : {', '.join(t.name for t in tenants)} "
              f"({options.workers} à la fois{f', serveur {options.browser_ws}' if options.browser_ws else ''}).",
              flush=True)
        if args.command == "baseline":
            results = monitor.cycle(baseline=True)
            classes = [r.verdict.klass for r in results]
            code = interrupts.exit_code() if interrupts.received() else CLASS_EXIT_CODES[worst(classes)]
            saved = [r.tenant for r in results if r.verdict.klass in ("ok", "cosmetic")]
            print(f"Références enregistrées : {', '.join(saved) or 'aucune'} (dans {options.folder / 'references'}).")
            return code
        if every is not None:
            try:
                server = monitor.metrics.serve(args.metrics_port, args.metrics_host)
            except OSError as exc:
                raise ConfigError(f"Impossible de servir /metrics sur {args.metrics_host}:{args.metrics_port} "
                                  f"({os_reason(exc)}) : choisissez un autre port avec --metrics-port "
                                  "(0 : un port libre).", key="--metrics-port") from None
            print(f"Métriques : http://{args.metrics_host}:{server.server_port}/metrics", flush=True)
            stack.callback(server.shutdown)
        code = monitor.run(every)
        print(f"Rapport : {options.folder / 'rapport.html'} · JUnit : {options.folder / 'junit.xml'}")
        return code


# -- historique ---------------------------------------------------------------------------------
def _pct(share: float | None, n: int) -> str:
    return "—" if share is None else f"{format_number(share * 100, 1)} % ({n} répétition(s))"


def _local(at: str) -> str:
    return format_moment(datetime.fromisoformat(at).astimezone())


def run_history(args: argparse.Namespace, env: dict[str, str]) -> int:
    """``assistant historique``: per tenant, the last runs, availability and step percentiles."""
    path = args.history or args.dossier / "historique.sqlite"
    if not path.exists():
        raise ConfigError(f"Aucun historique à {path} : lancez d’abord « assistant surveiller ».", key="--history")
    history = History.open(path)
    try:
        tenants = [args.tenant] if args.tenant else history.tenants()
        if args.tenant and args.tenant not in history.tenants():
            raise ConfigError(f"Aucune répétition enregistrée pour « {args.tenant} » dans {path}.", key="--tenant")
        for tenant in tenants:
            day, day_n = history.availability(tenant, timedelta(hours=24))
            week, week_n = history.availability(tenant, timedelta(days=7))
            print(f"\n{tenant}")
            print(f"  disponibilité : 24 h {_pct(day, day_n)} · 7 jours {_pct(week, week_n)}")
            print("  dernières répétitions :")
            for run in history.last_runs(tenant, args.runs):
                mark = "✓" if run.ok else "–" if run.klass == "interrupted" else "✗"
                print(f"    {mark} {_local(run.started_at)}  {CLASS_FR[run.klass]:<22} "
                      f"{format_seconds(run.duration_s):>8}  "
                      f"{run.message[:90]}")
            durations = history.step_durations(tenant, timedelta(days=7))
            if durations:
                print("  durée par étape sur 7 jours (p50 / p95) :")
                for (number, title), values in sorted(durations.items()):
                    p50, p95 = (format_seconds(percentile(values, q)) for q in (50, 95))
                    print(f"    {number} {title[:60]:<60} {p50} / {p95}")
            drifts = history.drifts(tenant, limit=5)
            if drifts:
                print("  dérives récentes :")
                for d in drifts:
                    print(f"    {_local(d.at)}  {CLASS_FR[d.klass]} — étape {d.step if d.step is not None else '?'} : "
                          f"{d.summary[:100]}")
    finally:
        history.close()
    return 0


__all__ = ["EXIT_CODES", "add_commands", "parse_duration"]
