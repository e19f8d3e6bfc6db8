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
checks the page shows « OUI » when it shows the answer, clicks « VALIDER » once (never retried),
reads the request number, then reads the adhesion back in a second tab. When the confirmation
does not come (a lost session, a page nobody expected), the state is read back the same way,
logging in again if need be, and decides the outcome; « VALIDER » is never clicked twice.
"""

from __future__ import annotations

from loguru import logger

from assistant.errors import AssistantError, PortalChanged, PortalRefused, PortalUnavailable, SessionExpired
from assistant.outcomes import outcome
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
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
    """Check « OUI » is what is sent, click « VALIDER » once, read the number, read the state back."""
    recap = current(journey, RecapPage)
    answer = recap.answer()
    if answer is not None and answer != "OUI":
        raise PortalChanged(f"La page indique « {answer} » au lieu de « OUI » : rien n’a été validé.",
                            page=recap.TITLE, url=journey.page.url, control="VALIDER")
    if answer is None:
        journey.facts["recap_answer"] = "non affichée : le « OUI » coché à l’étape 4 est ce qui a été envoyé"
    try:
        confirmation = recap.validate()
    except (SessionExpired, PortalUnavailable, PortalChanged) as exc:
        if not recap.clicked:
            raise  # « VALIDER » was not clicked: nothing was sent
        return after_lost_confirmation(journey, exc)
    number, status = confirmation.request()
    journey.facts["request_number"] = number or "non affiché"
    journey.facts["request_status"] = status or "non affiché"
    try:
        journey.facts["verified_choice"] = verify_adhesion(journey)
    except AssistantError as exc:
        # VALIDER went through and the confirmation shows: a failed read-back is a warning, not a failure
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


def after_lost_confirmation(journey: Journey, lost: AssistantError) -> ConfirmationPage:
    """« VALIDER » was clicked but no confirmation came: read the state back, never click again."""
    journey.facts["after_validate"] = f"« VALIDER » cliqué, pas de confirmation : {lost.message}"
    try:
        choice = verify_adhesion(journey)
    except AssistantError as exc:
        raise type(lost)(f"{lost.message} L’état de l’adhésion n’a pas pu être relu ({exc.message}) : "
                         "vérifiez avec « assistant statut » avant de relancer.",
                         page=lost.page, url=lost.url, control="VALIDER") from exc
    journey.facts["verified_choice"] = choice
    if choice == "OUI":
        raise EndFlow("done", "La facture en ligne est activée pour cette famille (état relu après « VALIDER » ; "
                              "le numéro de demande n’a pas pu être lu).")
    if choice == "EN_ATTENTE":
        raise EndFlow("pending", "La demande est enregistrée (état relu après « VALIDER ») : elle est en cours "
                                 "de traitement par le service.")
    raise type(lost)(f"{lost.message} La page d’adhésion indique toujours « NON » : la demande n’a pas été "
                     "enregistrée ; relancer le parcours.", page=lost.page, url=lost.url, control="VALIDER")


def verify_adhesion(journey: Journey) -> str:
    """Read the adhesion's state in a second tab (« OUI » expected), logging in again if the session ended.

    The adhesion page is opened at the address step 2 reached it; when that address does not show
    it again (a one-time address), the documented way: « Mes factures », then its link.
    """
    settings = journey.settings
    tab = journey.context.new_page()
    try:
        try:
            return _adhesion_again(tab, journey).current_choice()
        except SessionExpired:
            # reading only: a new login to look at the state is safe, « VALIDER » is never replayed
            HomePage(tab, settings).open().login(settings.username, settings.password)
            return _adhesion_again(tab, journey).current_choice()
    finally:
        tab.close()


def _adhesion_again(tab, journey: Journey) -> AdhesionPage:
    address = journey.visited.get(AdhesionPage.TITLE)
    if address:
        adhesion = AdhesionPage(tab, journey.settings)
        try:
            adhesion.goto(address)
            return adhesion.wait_until_here()
        except SessionExpired:
            raise
        except AssistantError as exc:
            logger.info("the adhesion page's address does not show it again ({}): going through « Mes factures »",
                        exc.message)
    return InvoicesPage.open(tab, journey.settings).open_adhesion()


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
