"""Activer la facture en ligne (Grand Périgueux's help page, « Comment accéder à ma facture en ligne ? »).

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Adhésion à la facture/compte en ligne »
3. Puis sur « MODIFIER »
4. Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »
5. Pour valider, cliquez sur « Aller à l’étape 2 »
6. Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert

Step 2 reads the family's real state: already adhered or a request being processed ends the
journey there (nothing sent). Step 6 is the only one that changes anything on the portal: it
checks the recap shows « OUI », clicks « VALIDER » once (never retried), reads the request number,
then checks in a second tab that the adhesion page now says « OUI ».
"""

from __future__ import annotations

from assistant.errors import AssistantError, PortalChanged, PortalRefused
from assistant.outcomes import outcome
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.invoices import InvoicesPage
from assistant.pages.recap import RecapPage
from assistant.steps import EndFlow, Flow, Journey, Step

from . import LOGIN, current


def open_invoices(journey: Journey) -> InvoicesPage:
    return current(journey, DashboardPage).open_invoices()


def read_adhesion_state(journey: Journey) -> tuple[AdhesionPage, str]:
    """Open the adhesion démarche and read the family's choice (« OUI », « NON », « EN_ATTENTE »)."""
    adhesion = current(journey, InvoicesPage).open_adhesion()
    choice = adhesion.current_choice()
    journey.facts["choice_before"] = choice
    journey.current = adhesion  # the runner's evidence shows the page that said so
    return adhesion, choice


def open_adhesion(journey: Journey) -> AdhesionPage:
    """Open the adhesion démarche and stop here if there is nothing to do."""
    adhesion, choice = read_adhesion_state(journey)
    if choice == "OUI":
        raise EndFlow("already_done", outcome("already_done").sentence)
    if choice == "EN_ATTENTE":
        raise EndFlow("pending", outcome("pending").sentence)
    return adhesion


def modify(journey: Journey) -> AdhesionFormPage:
    return current(journey, AdhesionPage).modify()


def choose_yes(journey: Journey) -> AdhesionFormPage:
    return current(journey, AdhesionFormPage).choose(True)


def go_to_recap(journey: Journey) -> RecapPage:
    return current(journey, AdhesionFormPage).go_to_step_2()


def validate(journey: Journey) -> ConfirmationPage:
    """Check « OUI » on the recap, click « VALIDER » once, read the number, verify in a second tab."""
    recap = current(journey, RecapPage)
    answer = recap.answer()
    if answer != "OUI":
        raise PortalChanged(f"Le récapitulatif indique « {answer} » au lieu de « OUI » : rien n’a été validé.",
                            page=recap.TITLE, url=journey.page.url, control="VALIDER")
    confirmation = recap.validate()
    number = confirmation.request_number()
    journey.facts["request_number"] = number
    try:
        journey.facts["request_status"] = confirmation.status()
        journey.facts["verified_choice"] = verify_adhesion(journey)
    except AssistantError as exc:
        # VALIDER went through and the number is read: a failed read-back is a warning, not a failure
        journey.facts["verification"] = f"impossible : {exc.message}"
        return confirmation
    if journey.facts["verified_choice"] == "NON":
        raise PortalRefused(
            f"La demande N° {number} est enregistrée mais la page d’adhésion indique toujours « NON ».",
            page=AdhesionPage.TITLE, url=journey.page.url)
    if journey.facts["verified_choice"] == "EN_ATTENTE":
        journey.current = confirmation
        raise EndFlow("pending", f"Demande N° {number} enregistrée : elle est en cours de traitement par le service.")
    return confirmation


def verify_adhesion(journey: Journey) -> str:
    """Read the adhesion's state in a second tab of the same session (« OUI » expected)."""
    tab = journey.context.new_page()
    try:
        return InvoicesPage.open(tab, journey.settings).open_adhesion().current_choice()
    finally:
        tab.close()


STEP_1 = Step(1, "Dans votre espace famille personnel, allez dans « Mes factures »", open_invoices, InvoicesPage)
STEP_2 = Step(2, "Cliquez sur « Adhésion à la facture/compte en ligne »", open_adhesion, AdhesionPage)

FLOW = Flow(
    name="adhesion",
    title="Activer la facture en ligne",
    login=LOGIN,
    steps=(
        STEP_1,
        STEP_2,
        Step(3, "Puis sur « MODIFIER »", modify, AdhesionFormPage),
        Step(4, "Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »",
             choose_yes, AdhesionFormPage),
        Step(5, "Pour valider, cliquez sur « Aller à l’étape 2 »", go_to_recap, RecapPage),
        Step(6, "Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert", validate, ConfirmationPage,
             writes=True),
    ),
)
