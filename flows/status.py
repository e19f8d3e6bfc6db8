"""Où en est la facture en ligne ? (read-only, behind ``assistant statut``)

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Adhésion à la facture/compte en ligne »

Step 2 always ends the journey with the family's state: « already_done » (the online invoice is
active), « pending » (a request is being processed) or « not_adhered ». Nothing is ever sent: when
the page does not show the answer, « MODIFIER » only opens the form to read the checked radio.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.outcomes import outcome
from assistant.pages.adhesion import AdhesionPage
from assistant.steps import EndFlow, Flow

from .adhesion import STEP_1, STEP_2, read_state
from .login import LOGIN

ACTIVE = "La facture en ligne est active pour cette famille : les factures se consultent et se paient en ligne."


@dataclass
class StatusResult:
    choice_before: str | None = None  # « OUI », « NON » or « EN_ATTENTE »


def end_with_state(adhesion: AdhesionPage, result: StatusResult) -> None:
    """Read the adhesion's state and end the journey with it (never submits)."""
    read_state(adhesion, result)
    if result.choice_before == "OUI":
        raise EndFlow("already_done", ACTIVE)
    if result.choice_before == "EN_ATTENTE":
        raise EndFlow("pending", outcome("pending").sentence.split(" :")[0] + ".")
    raise EndFlow("not_adhered", outcome("not_adhered").sentence)


FLOW = Flow(
    name="statut",
    title="Vérifier l’adhésion à la facture en ligne",
    login=LOGIN,
    steps=(STEP_1, replace(STEP_2, read=end_with_state)),
    result=StatusResult,
)
