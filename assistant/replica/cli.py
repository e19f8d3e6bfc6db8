"""``assistant replica``: serve the portal replica on loopback until Ctrl-C (French messages)."""

from __future__ import annotations

import argparse
import errno
import os
import re
import signal
import sys
import threading
from pathlib import Path

from dataclasses import replace

from ..frenchargs import FrenchParser, number, port
from .config import ReplicaConfig, UnwritablePath
from .faults import MAX_EXPIRE_AFTER, MAX_WAIT_MS, Faults, parse_latency, parse_mutation
from .guard import ADMIN_HEADER
from .server import Replica
from .renderings import ASPECTS, keys
from .skins import COUNT, SKINS, Composition, Skin
from .store import STATE_ENV, CorruptState, default_state_dir, reset


MAX_STOP_AFTER_S = 30 * 24 * 3600  # far below what threading's waits accept
MAX_SESSION_S = 30 * 24 * 3600


def _latency(text: str) -> tuple[str, int]:
    try:
        return parse_latency(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _style(text: str) -> str:
    if text not in ("classic", "modal"):
        raise argparse.ArgumentTypeError(f"style de connexion invalide « {text} » : attendu classic ou modal")
    return text


def _skin(text: str) -> Skin:
    try:
        return Skin.named(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _composition(text: str) -> Composition:
    try:
        return Composition.from_seed(int(text.strip()) if re.fullmatch(r"\s*\d+\s*", text) else -1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"composition invalide « {text} » : attendu un entier entre 0 et {COUNT - 1}") from None


def _aspect(text: str) -> tuple[str, str]:
    aspect, sep, value = text.partition("=")
    aspect, value = aspect.strip(), value.strip()
    if not sep or aspect not in ASPECTS:
        raise argparse.ArgumentTypeError(
            f"aspect invalide « {text} » : attendu ASPECT=VALEUR, ASPECT parmi {', '.join(ASPECTS)}")
    if value not in keys(aspect):
        raise argparse.ArgumentTypeError(
            f"valeur invalide « {value} » pour {aspect} : choisir parmi {', '.join(keys(aspect))}")
    return aspect, value


def _mutation(kind: str):
    def parse(text: str):
        try:
            return parse_mutation(kind, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _tenant(text: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        raise argparse.ArgumentTypeError(
            f"collectivité invalide « {text} » : lettres minuscules, chiffres et tirets (ex. grandperigueux)")
    return text


def add_command(sub) -> None:
    """Name ``replica`` in the assistant's command list; ``assistant replica ...`` is handed to :func:`main`
    before the assistant parses anything (the replica reads its own options)."""
    sub.add_parser("replica", help="démarrer la réplique embarquée du portail (options : assistant replica --help)",
                   add_help=False).set_defaults(run=lambda args, env: main([]))


def build_parser() -> FrenchParser:
    p = FrenchParser(prog="assistant replica", add_help=False,
                     description="Sert la réplique locale de l’Espace Citoyens (données fictives) jusqu’à Ctrl-C.")
    p.add_argument("-h", "--help", "--aide", action="help", help="afficher cette aide et quitter")
    p.add_argument("--port", type=port(), default=8765,
                   help="port d’écoute sur 127.0.0.1 (0 = port libre au hasard ; défaut : 8765)")
    p.add_argument("--tenant", "--collectivite", type=_tenant, default="grandperigueux",
                   help="collectivité servie dans l’URL (défaut : grandperigueux)")
    p.add_argument("--login-style", "--style-connexion", type=_style, metavar="classic|modal",
                   help="connexion classique (formulaire) ou « Mon espace perso » (fenêtre modale) ; "
                   "défaut : celle de l’habillage (classique pour les habillages nommés)")
    p.add_argument("--latence", "--latency", type=_latency, action="append", default=[], metavar="ROUTE=MS",
                   help="ajoute MS millisecondes de latence sur ROUTE (ex. MonCompte=300 ; répétable)")
    p.add_argument("--erreur-500", "--error-500", action="append", default=[], metavar="ROUTE",
                   help="répond HTTP 500 sur ROUTE (ex. MonCompte/DetailFacture ; répétable)")
    p.add_argument("--expiration-apres", "--expire-after", type=number(1, MAX_EXPIRE_AFTER, "nombre de requêtes"),
                   metavar="N", help="la session expire après N requêtes")
    p.add_argument("--maintenance", action="store_true", help="toutes les pages répondent 503 (maintenance)")
    p.add_argument("--skin", "--habillage", type=_skin, default=Skin.named("classique"), metavar="NOM",
                   help=f"habillage du portail (défaut : classique ; au choix : {', '.join(SKINS)})")
    p.add_argument("--composition", type=_composition, metavar="N",
                   help=f"sert la composition numéro N (0 à {COUNT - 1}) : un rendu par aspect, "
                   "comme l’affiche un test généré qui échoue (remplace --skin)")
    p.add_argument("--aspect", type=_aspect, action="append", default=[], metavar="ASPECT=VALEUR",
                   help="change un aspect de l’habillage (ex. question=select ; répétable)")
    p.add_argument("--attente-ms", "--wait-ms", type=number(0, MAX_WAIT_MS, "durée"), metavar="N",
                   help="durée en ms de la fenêtre « Merci de patienter... » (défaut : celle de l’habillage)")
    p.add_argument("--renommer", "--rename", type=_mutation("rename"), action="append", default=[],
                   metavar="ANCIEN=NOUVEAU[@ROUTE]",
                   help="dérive : renomme un libellé visible (ex. MODIFIER=CHANGER ; répétable)")
    p.add_argument("--retirer", "--remove", type=_mutation("remove"), action="append", default=[],
                   metavar="LIBELLÉ[@ROUTE]", help="dérive : retire le lien ou contrôle de ce libellé (répétable)")
    p.add_argument("--dupliquer", "--duplicate", type=_mutation("duplicate"), action="append", default=[],
                   metavar="LIBELLÉ[@ROUTE]",
                   help="dérive : ajoute à côté du contrôle de ce libellé un second, identique, qui mène ailleurs (répétable)")
    p.add_argument("--changer-texte", "--replace-text", type=_mutation("replace_text"), action="append", default=[],
                   metavar="ANCIEN=NOUVEAU[@ROUTE]", help="dérive : remplace un texte affiché (répétable)")
    p.add_argument("--duree-session", "--session-timeout", type=number(5, MAX_SESSION_S, "durée de session"),
                   default=1200, metavar="S", help="expiration de session après S secondes d’inactivité (défaut : 1200)")
    p.add_argument("--boite-envoi", "--outbox", type=Path, metavar="DOSSIER",
                   help="dossier où écrire les courriels de confirmation (.eml)")
    p.add_argument("--journal-audit", "--audit-log", type=Path, metavar="FICHIER",
                   help="fichier JSON lines où ajouter le journal d’audit")
    p.add_argument("--arret-apres", "--stop-after", metavar="SECONDES",
                   type=number(0, MAX_STOP_AFTER_S, "durée", integer=False, kind="un nombre de secondes"),
                   help="s’arrêter seul après SECONDES (0 à 30 jours ; scripts, tests)")
    p.add_argument("--etat", "--state", type=Path, metavar="DOSSIER",
                   help="dossier où la réplique garde ce que les familles ont changé d’une exécution à l’autre, "
                   f"partagé avec les commandes lancées avec --replica (défaut : {STATE_ENV} ou "
                   "~/.local/state/espace-citoyens-assistant/replica)")
    p.add_argument("--reinitialiser", "--reset", action="store_true",
                   help="effacer ce que les familles ont changé (retour aux données d’origine) et quitter")
    return p


def _describe(acc: dict) -> str:
    if acc["must_change_password"]:
        return "changement de mot de passe à la première connexion"
    state = {"NON": "non adhérente", "OUI": "déjà adhérente", "EN_ATTENTE": "adhésion en cours de traitement"}
    n = len(acc["invoices"])
    return f"{state[acc['adhesion']]}, {n} facture{'s' if n > 1 else ''}" if n else f"{state[acc['adhesion']]}, aucune facture"


def _reset(parser: FrenchParser, state_dir: Path) -> int:
    """``--reinitialiser``: forget the families' changes kept in ``state_dir``."""
    try:
        forgot = reset(state_dir)
    except OSError as exc:
        print(f"{parser.prog} : erreur : impossible de réinitialiser l’état « {state_dir} » "
              f"({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"État de la réplique réinitialisé : données d’origine ({state_dir})." if forgot else
          f"État de la réplique déjà aux données d’origine ({state_dir}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse, start the replica, serve until Ctrl-C (or --arret-apres); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    faults = Faults(latency_ms=dict(args.latence), error_500=set(args.erreur_500),
                    expire_after_requests=args.expiration_apres, maintenance=args.maintenance,
                    wait_modal_ms=args.attente_ms,
                    mutations=tuple(args.renommer + args.retirer + args.dupliquer + args.changer_texte))
    skin = replace(args.skin if args.composition is None else args.composition, **dict(args.aspect))
    if args.etat is None and STATE_ENV in os.environ and not os.environ[STATE_ENV].strip():
        print(f"{parser.prog} : erreur : {STATE_ENV} est vide : donnez-lui un dossier, ou retirez-la pour le dossier "
              "par défaut.", file=sys.stderr)
        return 2
    state_dir = args.etat or default_state_dir(os.environ)
    if args.reinitialiser:
        return _reset(parser, state_dir)
    cfg = ReplicaConfig(tenant=args.tenant, login_style=args.login_style, faults=faults, port=args.port,
                        outbox_dir=args.boite_envoi, session_timeout_s=args.duree_session,
                        audit_path=args.journal_audit, skin=skin, state_dir=state_dir)
    try:
        replica = Replica(cfg).start()
    except UnwritablePath as exc:
        other = {"outbox_dir": "une autre avec --boite-envoi", "audit_path": "un autre avec --journal-audit"}.get(
            exc.setting, "un autre avec --etat")
        print(f"{parser.prog} : erreur : {exc} ; choisissez-en {other}", file=sys.stderr)
        return 2
    except CorruptState as exc:
        print(f"{parser.prog} : erreur : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            msg = f"le port {args.port} est déjà utilisé ; choisissez-en un autre avec --port (0 = au hasard)"
        elif exc.errno == errno.EACCES:
            msg = f"le port {args.port} est réservé ; choisissez un port au-dessus de 1024 avec --port"
        else:
            msg = f"impossible d’ouvrir le port {args.port} ({exc.strerror or exc})"
        print(f"{parser.prog} : erreur : {msg}", file=sys.stderr)
        return 2
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        print(f"Réplique de l’Espace Citoyens démarrée : {replica.base_url}")
        print(f"Connexion : {'formulaire classique' if replica.app.login_style == 'classic' else '« Mon espace perso » (modale)'}")
        print(f"Habillage : {skin.name}" + (f" (composition {skin.seed})" if skin.seed is not None else
                                            " (hors numérotation : rendu à arrêt obligatoire)"))
        if skin.name == "personnalisé":
            print("Composition :\n" + "\n".join(f"  {line}" for line in skin.describe()))
        if faults.mutations:
            print("Dérives : " + " ; ".join(f"{m.kind} « {m.target} »" + (f" → « {m.replacement} »" if m.replacement else "")
                                            + (f" sur {m.route}" if m.route != "*" else "") for m in faults.mutations))
        print(f"Courriels de confirmation : {replica.outbox_dir}")
        print(f"État conservé entre les exécutions : {state_dir} (« assistant replica --reinitialiser » "
              "pour revenir aux données d’origine)")
        print(f"Jeton d’administration (en-tête {ADMIN_HEADER} des /__replica__/…) : {replica.admin_token}")
        print("Comptes de démonstration (fictifs) :")
        for username, acc in replica.state.accounts.items():
            print(f"  {username:<18} mot de passe {acc['password']:<14} {_describe(replica.account(username))}")
        print("Ctrl-C pour arrêter.", flush=True)
        stop.wait(args.arret_apres)
    finally:
        replica.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Réplique arrêtée.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
