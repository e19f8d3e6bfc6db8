"""Répétition de surveillance du portail (read-only, behind ``assistant surveiller``).

0–5. the login and steps 1 to 5 of the adhesion journey (:mod:`flows.adhesion`), « VALIDER » left out
6. Revenez à « Mes factures » et lisez la liste des factures

Steps 0 to 5 are the adhesion journey's own, step 2 reading the test account's state without
stopping on it; the writing step (« VALIDER ») is never part of this flow,
so no run can click it. Step 6 reads the invoice table as ``assistant factures`` does (no details,
no PDF) and ends the rehearsal. :data:`READ_ONLY_FLOW` leaves step 5 out too (« Aller à l’étape 2 »
submits the step-1 form: a POST) for monitors that must send nothing at all. A test account with a request being processed cannot show
« MODIFIER »: the rehearsal ends at step 2 with the outcome « pending » (the monitor's « access »).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.pages.adhesion import AdhesionPage
from assistant.pages.invoices import InvoicesPage
from assistant.steps import EndFlow, Flow, Step

from .adhesion import STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, read_state
from .login import LOGIN

REHEARSED = "Répétition de surveillance terminée : « VALIDER » n’a pas été cliqué, rien n’a été envoyé."
PENDING = ("Le compte de test a une demande d’adhésion en cours de traitement : « MODIFIER » n’est pas proposé, "
           "la répétition s’arrête à l’étape 2.")


@dataclass
class MonitorResult:
    choice_before: str | None = None  # the test account's state, read at step 2
    invoices: int | None = None  # how many invoices « Mes factures » lists


def go_on_whatever_the_state(adhesion: AdhesionPage, result: MonitorResult) -> None:
    """Read the test account's choice and go on, unless a request pending hides « MODIFIER »."""
    read_state(adhesion, result)
    if result.choice_before == "EN_ATTENTE":
        raise EndFlow("pending", PENDING)


def count_invoices(invoices: InvoicesPage, result: MonitorResult) -> None:
    """Read the table of invoices and end the rehearsal."""
    result.invoices = len(invoices.table.read())
    raise EndFlow("rehearsed", f"{REHEARSED} {result.invoices} facture(s) listée(s).")


#: the adhesion steps 1-5 exactly as the adhesion flow declares them (« VALIDER », step 6, left out)
ADHESION_STEPS = (STEP_1, replace(STEP_2, read=go_on_whatever_the_state), STEP_3, STEP_4, STEP_5)
assert not any(s.writes for s in ADHESION_STEPS), "a monitoring rehearsal never writes"

LIST_STEP = Step(6, "Revenez à « Mes factures » et lisez la liste des factures", InvoicesPage.open,
                 read=count_invoices)

FLOW = Flow(
    name="surveillance",
    title="Répétition de surveillance du portail",
    login=LOGIN,
    steps=(*ADHESION_STEPS, LIST_STEP),
    result=MonitorResult,
    guard_after=5,  # the page carrying « VALIDER » is reached: from there on, nothing but GET/HEAD leaves
)

#: for monitors that must send nothing at all: steps 1 to 4 (no « Aller à l’étape 2 », whose form is a POST),
#: then the invoice list as step 5; every request after the login but GET/HEAD is refused
READ_ONLY_FLOW = Flow(
    name="surveillance-lecture",
    title="Répétition de surveillance en lecture seule",
    login=LOGIN,
    steps=(*ADHESION_STEPS[:4], replace(LIST_STEP, number=5)),
    result=MonitorResult,
    guard_after=0,
)
