"""The one registry of the journeys: the name a command, the console or the monitor gives each, what
it does in French (the commands' help), and how it is built (some take options: the invoices'
download folder, the invoice to pay). ``assistant/cli.py`` builds its journey commands from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from assistant.steps import Flow

from . import adhesion, diagnostic, invoices, monitor, payment, status


@dataclass(frozen=True)
class Registered:
    name: str
    help: str
    build: Callable[..., Flow]


def _fixed(flow: Flow) -> Callable[[], Flow]:
    return lambda: flow


FLOWS: dict[str, Registered] = {entry.name: entry for entry in (
    Registered("adhesion", "activer la facture en ligne (les six étapes de la page d’aide)", _fixed(adhesion.FLOW)),
    Registered("adhesion-lecture", "répéter les étapes 1 à 4 de l’adhésion sans rien envoyer", _fixed(adhesion.LECTURE)),
    Registered("statut", "la facture en ligne est-elle active ? (lecture seule)", _fixed(status.FLOW)),
    Registered("factures", "lister les factures (numéro, montant, échéance, statut), télécharger les PDF "
               "(lecture seule)", invoices.listing_flow),
    Registered("payer", "ouvrir la page de paiement d’une facture et la confier à une personne (l’assistant ne "
               "saisit jamais la carte)", payment.payment_flow),
    Registered("diagnostic", "où la famille est-elle bloquée ? connexion, mot de passe, facture en ligne, factures "
               "dues, prochaine action (lecture seule)", _fixed(diagnostic.FLOW)),
    Registered("surveillance", "répétition de surveillance du portail (sans jamais écrire)", _fixed(monitor.FLOW)),
    Registered("surveillance-lecture", "répétition de surveillance en lecture seule",
               _fixed(monitor.READ_ONLY_FLOW)),
)}


def flow(name: str, *args, **options) -> Flow:
    """The journey registered as ``name``, built with ``options`` (KeyError on an unknown name)."""
    return FLOWS[name].build(*args, **options)
