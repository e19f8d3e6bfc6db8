"""What to do with each overlay over the page (found by :mod:`.covers`): close, refuse, let be, or stop.

- « Merci de patienter... », « Prolonger ma session » and the login window (a password field) keep
  their own handling (:mod:`.wait_modal`, :mod:`.session_modal`, :mod:`.home`): they are no dialogs to close;
  an overlay with nothing to click nor fill (a backdrop fading out, a spinner) is left to the click's own
  wait, which names it if it stays (:class:`Obstructed`);
- a consent overlay (:mod:`.consent`) is refused, or closed with « Fermer » / ×, never accepted;
- a purely informative dialog (an announcement, « Nouveauté : … », « Information : fermeture des
  services le … »): no field, no link off the portal, nothing that posts a form, and only ways to
  close it (« Fermer », ×, « J’ai compris », « OK », « Continuer »; after a question, only the first
  three, which never mean yes) is closed and noted for the report;
- anything else over the page (a dialog with fields, a survey, an attestation to tick, a second
  factor, a choice between two buttons, a link off the portal, a consent overlay with no way to
  refuse it) stops the run before the action, naming its words: :class:`NeedsHuman`, with what the
  family must do. It is never clicked through.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from ..errors import NeedsHuman
from . import consent
from .covers import Cover
from .wait_modal import WAIT_WORDS

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

SESSION_WORDS = re.compile(r"prolonger\s+ma\s+session", re.IGNORECASE)  # [seen]
# The ways to close a dialog that says something and asks nothing, best first [guess: common French wording]
CLOSES: tuple[re.Pattern[str], ...] = (
    consent.CLOSE,
    re.compile(r"^\W*(?:j.ai\s+compris|compris|bien\s+compris|j.ai\s+lu)\W*$", re.IGNORECASE),
    re.compile(r"^\W*(?:ok|d.accord|continuer|poursuivre)\W*$", re.IGNORECASE),
)
#: what still closes a dialog that asks a question: never an answer to it
CLOSES_AFTER_QUESTION = CLOSES[:2]
# Words that say what a blocking dialog wants [guess], checked in this order
SECOND_FACTOR = re.compile(r"code\s+(?:de\s+)?(?:v[ée]rification|s[ée]curit[ée]|confirmation|connexion|re[çc]u|envoy[ée])"
                           r"|\bcode\b[^.]{0,60}(?:envoy|re[çc]u|t[ée]l[ée]phone|portable|courriel|e-?mail)"
                           r"|authentification|double\s+facteur|\bSMS\b|re[çc]u\s+par\s+(?:sms|courriel|e-?mail|mail)",
                           re.IGNORECASE)
SURVEY = re.compile(r"\bavis\b|enqu[êe]te|questionnaire|satisfaction|sondage|\bnote[zr]?\b|[ée]valuez", re.IGNORECASE)
ATTESTATION = re.compile(r"attest|certifi|conditions\s+g[ée]n[ée]rales|\bCGU\b|r[èe]glement|j.accepte|je\s+m.engage"
                         r"|reconnais|d[ée]clare\s+sur\s+l.honneur", re.IGNORECASE)
TEXT_FIELDS = {"text", "tel", "number", "email", "textbox", "password", "search", "searchbox", "spinbutton", "url"}
TICKS = {"checkbox", "switch"}

_CLOSED: "WeakKeyDictionary[BrowserContext, list[str]]" = WeakKeyDictionary()


def kind(cover: Cover) -> str:
    """« wait », « inert », « session », « login », « consent », « info » or « blocking » (anything else)."""
    if WAIT_WORDS.search(cover.text) and not cover.fields:
        return "wait"
    if not cover.controls and not cover.fields:
        return "inert"  # nothing to answer (a backdrop fading out, a spinner): the click's own wait decides
    if "password" in cover.fields and (set(cover.fields) & {"text", "email"} or not SECOND_FACTOR.search(cover.text)):
        return "login"
    if SESSION_WORDS.search(cover.text) or any(SESSION_WORDS.search(c.name) for c in cover.controls):
        return "session"
    if consent.is_consent(cover):
        return "consent"
    if close_of(cover) is not None:
        return "info"
    return "blocking"


def close_of(cover: Cover) -> re.Pattern[str] | None:
    """The pattern of the control that closes a purely informative dialog, or None when it is not one."""
    if cover.fields or any(c.away or c.posts for c in cover.controls):
        return None
    allowed = CLOSES_AFTER_QUESTION if "?" in cover.text else CLOSES
    buttons = [c.name for c in cover.controls if not c.link]
    if not all(any(p.search(name) for p in allowed) for name in buttons):
        return None  # a button that is not a way to close it: a choice, not for the assistant to make
    if len({name.casefold() for name in buttons if not consent.CLOSE.search(name)}) > 1:
        return None  # « OK » and « Continuer » side by side: two answers, not one way to close
    names = [c.name for c in cover.controls]
    return next((p for p in allowed if any(p.search(n) for n in names)), None)


def needs_human(cover: Cover, *, where: str, url: str, control: str | None) -> NeedsHuman:
    """The stop for an overlay the assistant must not answer, naming its words and what the family must do."""
    words = f"« {cover.short()} »"
    fields = set(cover.fields)
    offered = ", ".join(f"« {c.name} »" for c in cover.controls if c.name)
    if consent.is_consent(cover):
        said = (f"Le portail affiche un bandeau de cookies sans bouton pour les refuser ni pour le fermer "
                f"({offered or 'aucun choix'}) : {words}. L’assistant n’accepte jamais à la place de la famille.")
        then = ("La famille peut faire la démarche elle-même (et choisir pour les cookies) ; signaler ce bandeau au "
                "service de la commune.")
    elif fields & TEXT_FIELDS and SECOND_FACTOR.search(cover.text):
        said = (f"Le portail demande un code de vérification (double authentification) : {words}. "
                "L’assistant ne saisit jamais de code.")
        then = "La famille doit se connecter elle-même et saisir le code qu’elle a reçu, puis relancer."
    elif SURVEY.search(cover.text):
        said = f"Le portail affiche un questionnaire par-dessus la page : {words}. L’assistant n’y répond jamais."
        then = "La famille peut y répondre ou le fermer en se connectant elle-même, puis relancer."
    elif fields & TICKS and ATTESTATION.search(cover.text):
        said = (f"Le portail demande à la famille d’attester ou d’accepter quelque chose : {words}. "
                "L’assistant ne coche jamais à sa place.")
        then = "La famille doit se connecter et le faire elle-même (après l’avoir lu), puis relancer."
    elif fields:
        said = f"Le portail affiche une fenêtre à remplir par-dessus la page : {words}. L’assistant ne la remplit pas."
        then = "La famille doit se connecter et y répondre elle-même, puis relancer."
    else:
        said = (f"Le portail affiche une fenêtre qui demande un choix ({offered or 'aucun bouton pour la fermer'}) : "
                f"{words}. L’assistant ne choisit pas à la place de la famille.")
        then = "La famille doit se connecter et y répondre elle-même, puis relancer."
    before = f" avant « {control} »" if control else ""
    error = NeedsHuman(f"{said} Le parcours s’est arrêté là{before}, sans cliquer dans cette fenêtre.",
                       page=where, url=url, control=control)
    error.next_action = then
    return error


def note_closed(context: "BrowserContext", chosen: str, cover: Cover) -> None:
    """Keep the informative dialog closed, for the report (once per dialog and choice)."""
    notes = _CLOSED.setdefault(context, [])
    said = f"« {cover.short(120)} » (bouton « {chosen} »)"
    if said not in notes:
        notes.append(said)


def notes(context: "BrowserContext") -> list[str]:
    """The informative dialogs closed in this context, in French, for the report."""
    return list(_CLOSED.get(context, []))
