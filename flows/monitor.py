"""Répétition de surveillance du portail (read-only, behind ``assistant surveiller``).

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Adhésion à la facture/compte en ligne »
3. Puis sur « MODIFIER »
4. Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »
5. Pour valider, cliquez sur « Aller à l’étape 2 »
6. Revenez à « Mes factures » et lisez la liste des factures

Steps 1 to 5 are the adhesion journey's own (:mod:`flows.adhesion`), step 2 reading the test
account's state without stopping on it; the writing step (« VALIDER ») is never part of this flow,
so no run can click it. Step 6 reads the invoice table as ``assistant factures`` does (no details,
no PDF) and ends the rehearsal. :data:`READ_ONLY_FLOW` leaves step 5 out too (« Aller à l’étape 2 »
submits the step-1 form: a POST) for monitors that must send nothing at all. A test account with a request being processed cannot show
« MODIFIER »: the rehearsal ends at step 2 with the outcome « pending » (the monitor's « access »).
"""

from __future__ import annotations

from dataclasses import replace

from assistant.pages.adhesion import AdhesionPage
from assistant.pages.invoices import InvoicesPage
from assistant.steps import EndFlow, Flow, Journey, Step

from . import LOGIN
from .adhesion import FLOW as ADHESION
from .adhesion import STEP_2, read_adhesion_state

REHEARSED = "Répétition de surveillance terminée : « VALIDER » n’a pas été cliqué, rien n’a été envoyé."
PENDING = ("Le compte de test a une demande d’adhésion en cours de traitement : « MODIFIER » n’est pas proposé, "
           "la répétition s’arrête à l’étape 2.")


def read_adhesion(journey: Journey) -> AdhesionPage:
    """Open the adhesion démarche and read the test account's choice; go on whatever it is."""
    adhesion, choice = read_adhesion_state(journey)
    if choice == "EN_ATTENTE":
        raise EndFlow("pending", PENDING)
    return adhesion


def list_invoices(journey: Journey) -> InvoicesPage:
    """Go back to « Mes factures », read the table of invoices, end the rehearsal."""
    page = InvoicesPage.open(journey.page, journey.settings)
    journey.current = page
    invoices = page.table.read()
    journey.facts["invoices"] = len(invoices)
    raise EndFlow("rehearsed", f"{REHEARSED} {len(invoices)} facture(s) listée(s).")


#: the adhesion steps 3-5 exactly as the adhesion flow declares them (« VALIDER », step 6, left out)
ADHESION_STEPS_3_TO_5 = tuple(s for s in ADHESION.steps if 3 <= s.number <= 5)
assert not any(s.writes for s in ADHESION_STEPS_3_TO_5), "a monitoring rehearsal never writes"

LIST_STEP = Step(6, "Revenez à « Mes factures » et lisez la liste des factures", list_invoices, InvoicesPage)

FLOW = Flow(
    name="surveillance",
    title="Répétition de surveillance du portail",
    login=LOGIN,
    steps=(ADHESION.steps[0], replace(STEP_2, action=read_adhesion), *ADHESION_STEPS_3_TO_5, LIST_STEP),
)

#: the step after which every request that could write is refused (the page carrying « VALIDER »)
GUARD_AFTER_STEP = 5

#: for monitors that must send nothing at all: steps 1 to 4 (no « Aller à l’étape 2 », whose form is a POST),
#: then the invoice list as step 5; played with READ_ONLY_GUARD_AFTER_STEP, every step after the first is guarded
READ_ONLY_FLOW = Flow(
    name="surveillance-lecture",
    title="Répétition de surveillance en lecture seule",
    login=LOGIN,
    steps=(ADHESION.steps[0], replace(STEP_2, action=read_adhesion),
           *(s for s in ADHESION_STEPS_3_TO_5 if s.number < 5), replace(LIST_STEP, number=5)),
)
READ_ONLY_GUARD_AFTER_STEP = 1
