"""Activer la facture en ligne (Grand Périgueux's help page, « Comment accéder à ma facture en ligne ? »).

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Adhésion à la facture/compte en ligne »
3. Puis sur « MODIFIER »
4. Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »
5. Pour valider, cliquez sur « Aller à l’étape 2 »
6. Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert

Step 2 reads the family's real state: already adhered or a request being processed ends the
journey there (nothing sent); a state that cannot be read ends it « unreadable », nothing sent.
Step 6 is the only one that changes anything on the portal: it reads the state once more in a
second tab (someone may have acted since step 2) and stops unless it is still « NON », checks the
page shows « OUI » when it shows the answer, clicks « VALIDER » once (never retried), reads the
request number (None when the page shows none: never invented), then reads the adhesion back in
a second tab: without a number, that state read back is the proof (« numéro de demande non
affiché »). When the confirmation does not come (a lost session, a page nobody expected), the
state is read back the same way, logging in again if need be, and decides the outcome;
« VALIDER » is never clicked twice. When « VALIDER » got no answer in time, a « NON » read back
is not proof that nothing will be recorded: the outcome is « validation_unknown »; an error
answer (HTTP 5xx) is read back at once. A writing run holds the family's lock
(:mod:`assistant.locks`) from before step 2 until that read-back.

:data:`LECTURE` is the rehearsal that sends nothing at all: steps 1 to 4, reading only (« Aller
à l’étape 2 », step 5, submits the step-1 form: a POST, left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from loguru import logger

from assistant.errors import (AssistantError, PortalChanged, PortalRefused, PortalUnavailable, SessionExpired,
                              ValidationUnknown)
from assistant.outcomes import outcome
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.base import PortalPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.interruptions import check_interruptions
from assistant.pages.invoices import InvoicesPage
from assistant.pages.recap import RecapPage
from assistant.pages.requests import RequestsPage
from assistant.steps import EndFlow, Flow, Step

from .login import LOGIN

#: the outcome « done » when the state read back after « VALIDER » is the proof
DONE_READ_BACK = "La facture en ligne est activée pour cette famille (état relu après « VALIDER »"
# [guess] how « Mes démarches » names the adhesion request
ADHESION_REQUEST = re.compile(r"facture\s+en\s+ligne|adh[ée]sion", re.IGNORECASE)


@dataclass
class AdhesionResult:
    """What the adhesion journey learnt: the state before, the request sent, the state read back."""

    choice_before: str | None = None  # « OUI », « NON » or « EN_ATTENTE », read at step 2
    choice_before_validate: str | None = None  # read again just before « VALIDER », when it had changed
    recap_answer: str | None = None
    #: as the confirmation (or « Mes démarches ») shows it; None when no page shows one: never invented
    request_number: str | None = None
    request_status: str | None = None  # None when the confirmation shows none
    verified_choice: str | None = None  # read back after « VALIDER »
    verification: str | None = None
    after_validate: str | None = None
    #: where step 2 found the adhesion page, to read it back later (an address, not for the report)
    adhesion_url: str | None = field(default=None, metadata={"report": False})
    #: new logins made to read the state back, and the note the report shows as the runner's own
    relogins: int = field(default=0, metadata={"report": False})
    session_relogin: str | None = field(default=None, metadata={"report": False})


# -- step 2: the family's state ------------------------------------------------------------------
def read_state(adhesion: AdhesionPage, result) -> None:
    """The family's choice as the adhesion page shows it (sends nothing); ``result.choice_before``."""
    result.choice_before = adhesion.current_choice()


def stop_unless_off(adhesion: AdhesionPage, result: AdhesionResult) -> None:
    """Read the state and stop here if there is nothing to do (already adhered, request pending)."""
    read_state(adhesion, result)
    # a tab of « Mes factures » has no address of its own: it is read back through its link
    result.adhesion_url = None if adhesion.in_place else adhesion.page.url
    if result.choice_before == "OUI":
        raise EndFlow("already_done", outcome("already_done").sentence)
    if result.choice_before == "EN_ATTENTE":
        raise EndFlow("pending", outcome("pending").sentence)


# -- step 6: « VALIDER » -------------------------------------------------------------------------
def check_before_validate(recap: RecapPage, result: AdhesionResult) -> None:
    """Read the state once more (someone may have acted since step 2), check « OUI » is what is sent."""
    still = verify_adhesion(recap, result, relogin=False)  # no new login here: it would end this wizard's session
    if still != "NON":
        result.choice_before_validate = still
        key = "already_done" if still == "OUI" else "pending"
        raise EndFlow(key, f"L’état a changé depuis l’étape 2 (« {still} ») : « VALIDER » n’a pas été cliqué. "
                           f"{outcome(key).sentence}")
    answer = recap.answer()
    if answer is not None and answer != "OUI":
        raise PortalChanged(f"La page indique « {answer} » au lieu de « OUI » : rien n’a été validé.",
                            page=recap.TITLE, url=recap.page.url, control="VALIDER")
    if answer is None:
        result.recap_answer = "non affichée : le « OUI » coché à l’étape 4 est ce qui a été envoyé"


def read_confirmation(confirmation: ConfirmationPage, result: AdhesionResult) -> None:
    """Read the request's number and status (None where the page shows none: never invented), then the
    adhesion back in a second tab. Without a number, the state read back is the proof."""
    number, status = confirmation.request()
    result.request_number, result.request_status = number, status
    try:
        result.verified_choice = verify_adhesion(confirmation, result)
    except AssistantError as exc:
        result.verification = f"impossible : {exc.message}"
        if number is None:  # neither a number nor the state read back: nothing proves the request went through
            raise ValidationUnknown(
                f"« VALIDER » a été envoyé ; la confirmation n’affiche pas de numéro de demande et l’état n’a pas pu "
                f"être relu ({exc.message}) : le résultat n’est pas connu.",
                page=confirmation.TITLE, url=confirmation.page.url, control="VALIDER") from exc
        return  # VALIDER went through and the confirmation names the request: a failed read-back is a warning
    request = f"La demande N° {number}" if number else "La demande (numéro de demande non affiché)"
    if result.verified_choice == "NON":
        raise PortalRefused(f"{request} est enregistrée mais la page d’adhésion indique toujours « NON ».",
                            page=AdhesionPage.TITLE, url=confirmation.page.url)
    if result.verified_choice == "EN_ATTENTE":
        raise EndFlow("pending", f"{request} est enregistrée : elle est en cours de traitement par le service.")
    if number is None:
        raise EndFlow("done", f"{DONE_READ_BACK} ; numéro de demande non affiché).")


def after_lost_confirmation(recap: RecapPage, lost: AssistantError, result: AdhesionResult) -> ConfirmationPage:
    """« VALIDER » failed: nothing sent if it was not clicked; else read the state back, never click again."""
    if not recap.clicked:
        lost.nothing_sent = True  # « VALIDER » was not clicked (a dialog to answer, a control gone): nothing left
        raise lost
    if not isinstance(lost, (SessionExpired, PortalUnavailable, PortalChanged)):
        raise lost
    lost = _told(recap, lost)
    result.after_validate = f"« VALIDER » cliqué, pas de confirmation : {lost.message}"
    try:
        choice = verify_adhesion(recap, result)
    except AssistantError as exc:
        raise type(lost)(f"{lost.message} L’état de l’adhésion n’a pas pu être relu ({exc.message}).",
                         page=lost.page, url=lost.url, control="VALIDER") from exc
    result.verified_choice = choice
    number = _request_number(recap, result) if choice != "NON" else None
    shown = f"« {choice} »" + (f", demande N° {number}" if number else "")
    if result.relogins:  # the read-back's own new login, noted like the runner's
        result.session_relogin = (f"Session perdue à « VALIDER » : nouvelle connexion pour relire l’état en lecture "
                                  f"seule (« VALIDER » n’a pas été cliqué de nouveau) ; état relu : {shown}.")
    if choice == "OUI":
        raise EndFlow("done", f"{DONE_READ_BACK} ; " + (f"demande N° {number})." if number else
                                                         "numéro de demande non affiché)."))
    if choice == "EN_ATTENTE":
        raise EndFlow("pending", f"La demande{f' N° {number}' if number else ''} est enregistrée (état relu après "
                                 "« VALIDER ») : elle est en cours de traitement par le service.")
    if isinstance(lost, ValidationUnknown):  # a slow request may still be applied: « NON » proves nothing yet
        unknown = ValidationUnknown(f"{lost.message} La page d’adhésion indique « NON » pour l’instant : vérifiez "
                                    "avec « assistant statut » dans quelques minutes avant de relancer.",
                                    page=lost.page, url=lost.url, control="VALIDER")
        unknown.read_back = choice
        raise unknown
    # an error answer to « VALIDER » (a lost session, HTTP 5xx) and « NON » read back: nothing was recorded
    refused = type(lost)(f"{lost.message} La page d’adhésion, relue après « VALIDER », indique toujours « NON » : "
                         "la demande n’a pas été enregistrée.", page=lost.page, url=lost.url, control="VALIDER")
    refused.read_back = choice
    refused.next_action = ("Relancer « assistant adhesion » : l’état relu montre que rien n’a été enregistré (le "
                           "parcours relit l’état avant de cliquer « VALIDER »).")
    raise refused


def _request_number(shown: PortalPage, result: AdhesionResult) -> str | None:
    """The adhesion request's number as « Mes démarches » lists it (read-only, in a second tab), if it shows.

    One adhesion request with a number, or the one dated latest when several are listed; none, or
    several that cannot be told apart: no number (never a guess between them).
    """
    tab = shown.page.context.new_page()
    try:
        rows = [r for r in RequestsPage.open(tab, shown.settings).requests()
                if ADHESION_REQUEST.search(r.get("label") or "") and r.get("number")]
    except AssistantError as exc:
        logger.info("the requests list could not be read after « VALIDER »: {}", exc.message)
        return None
    finally:
        tab.close()
    dates = [_date(r.get("date")) for r in rows]
    newest = rows if len(rows) <= 1 or None in dates else [r for r, d in zip(rows, dates) if d == max(dates)]
    if len(newest) == 1:
        result.request_number = newest[0]["number"]
    elif newest:
        logger.info("{} adhesion requests listed, none the latest: no request number", len(newest))
    return result.request_number


def _date(text: str | None) -> tuple[int, int, int] | None:
    """A French date « 14/03/2026 » as (year, month, day), None when it is not one."""
    found = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", text or "")
    return (int(found[3]), int(found[2]), int(found[1])) if found else None


def _told(recap: RecapPage, lost: AssistantError) -> AssistantError:
    """An error answer to « VALIDER » whose page says the session was lost is that lost session."""
    if isinstance(lost, PortalUnavailable):
        try:
            check_interruptions(recap.page, recap.settings)
        except SessionExpired as expired:
            return expired
        except PortalUnavailable:
            pass  # the error said after « VALIDER » says more
    return lost


def verify_adhesion(shown: PortalPage, result: AdhesionResult, *, relogin: bool = True) -> str:
    """Read the adhesion's state in a second tab, logging in again (``relogin``) if the session ended.

    The adhesion page is opened at the address step 2 reached it; when that address does not show
    it again (a one-time address), the documented way: « Mes factures », then its link.
    """
    settings = shown.settings
    tab = shown.page.context.new_page()
    try:
        try:
            return _adhesion_again(tab, settings, result.adhesion_url).current_choice()
        except SessionExpired:
            if not relogin:
                raise
            # reading only: a new login to look at the state is safe, « VALIDER » is never replayed
            HomePage(tab, settings).log_in()
            result.relogins += 1
            return _adhesion_again(tab, settings, result.adhesion_url).current_choice()
    finally:
        tab.close()


def _adhesion_again(tab, settings, address: str | None) -> AdhesionPage:
    if address:
        adhesion = AdhesionPage(tab, settings)
        try:
            adhesion.goto(address)
            return adhesion.wait_until_here()
        except SessionExpired:
            raise
        except AssistantError as exc:
            logger.info("the adhesion page's address does not show it again ({}): going through « Mes factures »",
                        exc.message)
    return InvoicesPage.open(tab, settings).open_adhesion()


# -- the steps -------------------------------------------------------------------------------------
def stop_after_choosing(form: AdhesionFormPage, result: AdhesionResult) -> None:
    """Step 4 of the read-only rehearsal: « OUI » is ticked (nothing is sent); end there."""
    raise EndFlow("rehearsed", READ_ONLY_REHEARSED)


READ_ONLY_REHEARSED = ("Répétition en lecture seule terminée : étapes 1 à 4 parcourues, « Aller à l’étape 2 » "
                       "et « VALIDER » n’ont pas été cliqués ; aucune requête d’écriture n’a été envoyée.")

STEP_1 = Step(1, "Dans votre espace famille personnel, allez dans « Mes factures »", DashboardPage.open_invoices)
STEP_2 = Step(2, "Cliquez sur « Adhésion à la facture/compte en ligne »", InvoicesPage.open_adhesion,
              read=stop_unless_off)
STEP_3 = Step(3, "Puis sur « MODIFIER »", AdhesionPage.modify)
STEP_4 = Step(4, "Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »",
              AdhesionFormPage.choose_yes)
STEP_5 = Step(5, "Pour valider, cliquez sur « Aller à l’étape 2 »", AdhesionFormPage.go_to_step_2)
STEP_6 = Step(6, "Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert", RecapPage.validate,
              writes=True, check=check_before_validate, read=read_confirmation, recover=after_lost_confirmation)

FLOW = Flow(name="adhesion", title="Activer la facture en ligne", login=LOGIN,
            steps=(STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6), result=AdhesionResult)

#: the rehearsal that sends nothing after the login (``--rehearse=lecture``): steps 1 to 4, reading only;
#: run as a rehearsal, the runner's guard aborts any request but GET/HEAD from the login on
LECTURE = Flow(name="adhesion", title="Activer la facture en ligne (répétition en lecture seule)", login=LOGIN,
               steps=(STEP_1, STEP_2, STEP_3, replace(STEP_4, read=stop_after_choosing)), result=AdhesionResult)
