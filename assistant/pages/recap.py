"""Adhesion wizard, the page with the green « VALIDER » [seed] (« Le récapitulatif » [seen chrome]).

The help page calls it « une page de confirmation » and names one control on it: « VALIDER » [seed].
That is what recognises it. Its title (« Le récapitulatif », « Vérifiez avant de valider votre
demande ») and whether it repeats the answer are [guess] hints: when the answer is shown it must
be « OUI » before anything is sent; when it is not shown, the radio checked one step earlier is
what was sent, and the state is read back after « VALIDER ».
"""

from __future__ import annotations

from loguru import logger
from playwright.sync_api import Locator, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import AssistantError, PortalChanged, PortalUnavailable, ValidationUnknown
from ..labels import label
from .base import PortalPage
from .clues import Clue
from .confirmation import ConfirmationPage
from .controls import control
from .reading import answer_of, read_answer

# The seed's question, the anchor for reading answers on the wizard's pages
QUESTION = "Souhaitez-vous adhérer à la facture en ligne ?"
VALIDATE = "VALIDER"


class RecapPage(PortalPage):
    """The last page before sending: « VALIDER »."""

    TITLE = "Le récapitulatif"
    PROOFS = (
        Clue("seed", f"« {VALIDATE} »", lambda p: control(p.page, VALIDATE), words=VALIDATE),
    )
    HINTS = (
        Clue("guess", "le titre « Le récapitulatif »", lambda p: p.page.get_by_text(label("récapitulatif", loose=True))),
        Clue("guess", "la question et sa réponse", lambda p: p.page.get_by_text(label(QUESTION, loose=True))),
    )

    def __init__(self, page, settings):
        super().__init__(page, settings)
        self.validated = False  # a click on « VALIDER » was attempted: never a second one
        self.clicked = False  # the click happened: something may have been sent

    @property
    def validate_button(self) -> Locator:
        """The green « VALIDER » [seed] (a ``<button class="btn-style3">`` on other démarches [seen])."""
        return self.control(VALIDATE)

    def answer(self) -> str | None:
        """The answer about to be sent, « OUI » or « NON », when the page shows it (None otherwise);
        :class:`~assistant.errors.Unreadable` when it shows one that cannot be read (nothing is sent)."""
        return answer_of(read_answer(self.page, QUESTION), page=self.TITLE, url=self.page.url)

    def validate(self) -> ConfirmationPage:
        """Click « VALIDER » exactly once (never retried); return the confirmation page.

        Once the click has sent its request, a time-out is :class:`ValidationUnknown` (the request
        may still be applied: the state is to be read back), never a missing control; an HTTP 5xx
        answer is :class:`PortalUnavailable` at once, without waiting for a confirmation that cannot come.
        """
        if self.validated:
            raise PortalChanged("« VALIDER » a déjà été cliqué sur ce récapitulatif : pas de second envoi.",
                                page=self.TITLE, url=self.page.url, control=VALIDATE)
        button = self.validate_button
        self.validated = True
        sent: list[Request] = []
        answers: list[Response] = []

        def on_request(request: Request) -> None:
            if _writes(request):
                sent.append(request)

        def on_response(response: Response) -> None:
            if _writes(response.request):
                answers.append(response)

        self.page.on("request", on_request)
        self.page.on("response", on_response)
        try:
            self._click_once(button, sent, answers)
        finally:
            self.page.remove_listener("request", on_request)
            self.page.remove_listener("response", on_response)
        timeouts = self.settings.timeouts
        return ConfirmationPage(self.page, self.settings).wait_until_here(
            timeout=timeouts.navigation + timeouts.wait_modal, leaving=button)

    def _click_once(self, button: Locator, sent: list[Request], answers: list[Response]) -> None:
        """The click, then its request's answer: a time-out or a 5xx after the request left is unknown."""
        waited = self.settings.timeouts.navigation + self.settings.timeouts.wait_modal
        logger.info("click « VALIDER »")
        try:
            self.click(button, VALIDATE)  # raises before any click when the button cannot be clicked
        except AssistantError as exc:
            if not sent:
                raise
            self.clicked = True
            raise self._unknown(f"le portail n’a pas répondu ({exc.message})") from exc
        self.clicked = True
        if sent and not answers:
            try:
                self.page.wait_for_event("response", lambda response: _writes(response.request), timeout=waited)
            except PlaywrightTimeout as exc:
                raise self._unknown(f"pas de réponse en {waited // 1000} s") from exc
        if answers and answers[0].status >= 500:
            # an answer all the same: the state read back after it is the outcome (no time-out to wait out)
            raise self._unknown(f"le portail a répondu par une erreur (HTTP {answers[0].status})", PortalUnavailable)

    def _unknown(self, why: str, kind: type[PortalUnavailable] = ValidationUnknown) -> PortalUnavailable:
        return kind(f"« VALIDER » a été envoyé, {why} : le résultat n’est pas connu.",
                                 page=self.TITLE, url=self.page.url, control=VALIDATE)


def _writes(request: Request) -> bool:
    """A request that can change something (the form « VALIDER » submits)."""
    return request.method not in ("GET", "HEAD")
