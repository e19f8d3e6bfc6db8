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
reads the state once more in a second tab (someone may have acted since step 2) and stops unless
it is still « NON », checks the page shows « OUI » when it shows the answer, clicks « VALIDER »
once (never retried),
reads the request number, then reads the adhesion back in a second tab. When the confirmation
does not come (a lost session, a page nobody expected), the state is read back the same way,
logging in again if need be, and decides the outcome; « VALIDER » is never clicked twice. When
« VALIDER » got no answer in time, a « NON » read back is not proof that nothing will be recorded:
the outcome is « validation_unknown »; an error answer (HTTP 5xx) is read back at once. A writing run holds the family's lock
(:mod:`assistant.locks`) from before step 2 until that read-back.

:data:`LECTURE` is the rehearsal that sends nothing at all: steps 1 to 4, reading only (« Aller
à l’étape 2 », step 5, submits the step-1 form: a POST, left out).
"""

from __future__ import annotations

from dataclasses import replace

from loguru import logger

from assistant.errors import (AssistantError, PortalChanged, PortalRefused, PortalUnavailable, SessionExpired,
                              ValidationUnknown)
from assistant.outcomes import outcome
from assistant.pages.interruptions import check_interruptions
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
    still = verify_adhesion(journey, relogin=False)  # no new login here: it would end this wizard's session
    if still != "NON":
        journey.facts["choice_before_validate"] = still
        key = "already_done" if still == "OUI" else "pending"
        raise EndFlow(key, f"L’état a changé depuis l’étape 2 (« {still} ») : « VALIDER » n’a pas été cliqué. "
                           f"{outcome(key).sentence}")
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
        return after_lost_confirmation(journey, _told(journey, exc))
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


def _told(journey: Journey, lost: AssistantError) -> AssistantError:
    """An error answer to « VALIDER » whose page says the session was lost is that lost session."""
    if isinstance(lost, PortalUnavailable):
        try:
            check_interruptions(journey.page, journey.settings)
        except SessionExpired as expired:
            return expired
        except PortalUnavailable:
            pass  # the error said after « VALIDER » says more
    return lost


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
    if isinstance(lost, ValidationUnknown):  # a slow request may still be applied: « NON » proves nothing yet
        raise ValidationUnknown(f"{lost.message} La page d’adhésion indique « NON » pour l’instant : vérifiez avec "
                                "« assistant statut » dans quelques minutes avant de relancer.",
                                page=lost.page, url=lost.url, control="VALIDER")
    raise type(lost)(f"{lost.message} La page d’adhésion indique toujours « NON » : la demande n’a pas été "
                     "enregistrée ; relancer le parcours.", page=lost.page, url=lost.url, control="VALIDER")


def verify_adhesion(journey: Journey, *, relogin: bool = True) -> str:
    """Read the adhesion's state in a second tab, logging in again (``relogin``) if the session ended.

    The adhesion page is opened at the address step 2 reached it; when that address does not show
    it again (a one-time address), the documented way: « Mes factures », then its link.
    """
    settings = journey.settings
    tab = journey.context.new_page()
    try:
        try:
            return _adhesion_again(tab, journey).current_choice()
        except SessionExpired:
            if not relogin:
                raise
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


def choose_yes_and_stop(journey: Journey) -> AdhesionFormPage:
    """Step 4 of the read-only rehearsal: tick « OUI » (nothing is sent) and end there."""
    choose_yes(journey)
    raise EndFlow("rehearsed", READ_ONLY_REHEARSED)


READ_ONLY_REHEARSED = ("Répétition en lecture seule terminée : étapes 1 à 4 parcourues, « Aller à l’étape 2 » "
                       "et « VALIDER » n’ont pas été cliqués ; aucune requête d’écriture n’a été envoyée.")
STEP_1 = Step(1, "Dans votre espace famille personnel, allez dans « Mes factures »", open_invoices, InvoicesPage)
STEP_2 = Step(2, "Cliquez sur « Adhésion à la facture/compte en ligne »", open_adhesion, AdhesionPage)

FLOW = Flow(
    name="adhesion",
    title="Activer la facture en ligne",
    login=LOGIN,
    steps=(
        STEP_1,
        STEP_2,
        STEP_3 := Step(3, "Puis sur « MODIFIER »", modify, AdhesionFormPage),
        STEP_4 := Step(4, "Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »",
                       choose_yes, AdhesionFormPage),
        Step(5, "Pour valider, cliquez sur « Aller à l’étape 2 »", go_to_recap, RecapPage),
        Step(6, "Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert", validate, ConfirmationPage,
             writes=True),
    ),
)

#: the rehearsal that sends nothing after the login (``--rehearse=lecture``): steps 1 to 4, reading only;
#: run as a rehearsal, the runner's guard aborts any request but GET/HEAD from the login on
LECTURE = Flow(name="adhesion", title="Activer la facture en ligne (répétition en lecture seule)", login=LOGIN,
               steps=(STEP_1, STEP_2, STEP_3, replace(STEP_4, action=choose_yes_and_stop)))
