"""Où en est la facture en ligne ? (read-only, behind ``assistant statut``)

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Adhésion à la facture/compte en ligne »

Step 2 always ends the journey with the family's state: « already_done » (the online invoice is
active), « pending » (a request is being processed) or « not_adhered ». Nothing is ever sent: when
the page does not show the answer, « MODIFIER » only opens the form to read the checked answer.
A state that cannot be read ends the run « unreadable » (exit 8), naming what was seen: only a
« NON » read on the page is « not_adhered », never a state nobody could read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.errors import Unreadable
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
    if result.choice_before == "NON":
        raise EndFlow("not_adhered", outcome("not_adhered").sentence)
    raise Unreadable(f"État de l’adhésion non reconnu (« {result.choice_before} ») : rien n’est conclu.",
                     page=adhesion.TITLE, url=adhesion.page.url, seen=str(result.choice_before))


FLOW = Flow(
    name="statut",
    title="Vérifier l’adhésion à la facture en ligne",
    login=LOGIN,
    steps=(STEP_1, replace(STEP_2, read=end_with_state)),
    result=StatusResult,
)
