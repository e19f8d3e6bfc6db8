"""The adhesion wizard [guess routes]: a state machine where only VALIDER writes.

Step 1 shows the current answer and « MODIFIER »; its POST stores the answer in the wizard
(``IdDemarche``), the recap shows it with « VALIDER », whose POST is the only state change; a
repeated VALIDER for the same wizard is counted, not applied. The skin's ``routes`` aspect says
where the steps live (``skins.WizardRoutes``): three route families are registered, and a family
the skin does not serve answers 404.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from flask import Blueprint, Response, g, request

from ..mail import write_confirmation
from ..portal import Portal, portal
from ..state import Wizard

bp = Blueprint("wizard", __name__)


def family(name: str):
    """Serve the view only when the skin's wizard lives on this route family."""
    def deco(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            p = portal()
            if p.skin.routes != name:
                return p.not_found()
            return view(*args, **kwargs)
        return wrapper
    return deco


# -- the steps, shared by the three route families -----------------------------------------
def _wizard(source: dict[str, str]) -> Wizard | None:
    wid = source.get("IdDemarche", source.get("iddemarche", ""))
    return g.session.wizards.get(wid)


def _posted(p: Portal) -> tuple[Response | None, Wizard | None]:
    """A step's POST: the login page without a session (audited), else the posted wizard (None: unknown)."""
    denied = p.require_login()
    if denied:
        p.audit(False, False, "no session")
        return denied, None
    return None, _wizard(g.form)


def _elsewhere(p: Portal, reached: bool) -> Response | None:
    """Where a wizard's page sends a family that may not see it: to log in, or back to step 1 when its
    wizard has not ``reached`` this page; None when the page may be shown."""
    denied = p.require_login()
    if denied:
        return denied
    return None if reached else p.redirect(p.url(p.wizard.start))


def step1_values(p: Portal, wizard: Wizard | None = None) -> dict:
    """What step 1 shows (its own page, or a panel of « Mes factures »): the state, a wizard to post
    in, the form open when asked (``?Modifier=1``: MODIFIER as a link)."""
    acc = p.state.account(g.session.username)
    pending = acc["adhesion"] == "EN_ATTENTE"
    if wizard is None and not pending:
        wizard = p.state.open_wizard(g.session)
    return {"en_attente": pending, "actuel": acc["adhesion"], "wizard": wizard,
            "edition": "modifier" in g.query and request.method == "GET"}


def step1(error: str = "", wizard: Wizard | None = None) -> Response:
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    return p.render("adhesion_etape1.html", erreur=error, **step1_values(p, wizard))


def answer(on_stored, on_done) -> Response:
    """POST of step 1: ``on_stored(wizard)`` answers a stored answer, ``on_done(wizard)`` a validated wizard."""
    p = portal()
    denied, wiz = _posted(p)
    if denied:
        return denied
    if wiz is None:
        p.audit(False, False, "unknown wizard")
        return p.error(400)
    if wiz.request_number is not None:
        p.audit(False, False, f"wizard {wiz.id} already validated")
        return on_done(wiz)
    if p.state.account(wiz.username)["adhesion"] == "EN_ATTENTE":
        p.audit(False, False, "adhesion request pending")
        return step1()
    value = g.form.get("AdhesionFactureEnLigne", "")
    if p.skin.question == "checkbox" and "AdhesionFactureEnLigne" not in g.form:
        value = "NON"  # an unchecked box is not posted
    if value not in ("OUI", "NON"):
        p.audit(False, False, f"wizard {wiz.id}: no answer")
        return step1(error="Veuillez répondre à la question.", wizard=wiz)
    wiz.answer = value
    p.audit(True, False, f"wizard {wiz.id}: answer {value}")
    return on_stored(wiz)


def recap(wiz: Wizard | None) -> Response:
    p = portal()
    away = _elsewhere(p, wiz is not None and wiz.answer is not None)
    if away:
        return away
    return p.render("adhesion_recapitulatif.html", wizard=wiz)


def valider(on_done) -> Response:
    """POST of VALIDER, the only write; a repeat for the same wizard is counted, not applied."""
    p = portal()
    denied, wiz = _posted(p)
    if denied:
        return denied
    if wiz is None or wiz.answer is None:
        p.audit(False, False, "VALIDER without a stored answer")
        return p.error(400)
    done, applied = p.state.validate_wizard(wiz)
    if applied:
        acc = p.state.account(wiz.username)
        write_confirmation(p.outbox, to=acc["email"], civility=acc["civilite"], name=acc["nom"],
                           number=done["number"], label=done["label"], answer=wiz.answer,
                           status=done["status"], when=datetime.now())
        p.audit(True, True, f"wizard {wiz.id}: request {done['number']} adhesion {wiz.answer}")
    else:
        p.audit(True, False, f"wizard {wiz.id}: duplicate VALIDER ignored")
    if p.skin.confirmation == "back_to_step1":  # no page of its own: step 1 again, with a message
        g.session.flash = "Votre demande d’adhésion à la facture en ligne a bien été enregistrée."
        return p.redirect(p.url(p.wizard.start))
    return on_done(wiz)


def confirmation(wiz: Wizard | None) -> Response:
    p = portal()
    away = _elsewhere(p, wiz is not None and wiz.request_number is not None)
    if away:
        return away
    acc = p.state.account(wiz.username)
    done = next(r for r in acc["requests"] if r["number"] == wiz.request_number)
    return p.render("adhesion_confirmation.html", demande=done)


def _to_recap(wiz: Wizard) -> Response:
    p = portal()
    return p.redirect(p.url(p.wizard.recap(wiz.id)))


def _to_confirmation(wiz: Wizard) -> Response:
    p = portal()
    return p.redirect(p.url(p.wizard.confirmation(wiz.id)))


# -- path_steps: Demande/NouvelleDemande/FACTURE/ADHESION[/Recapitulatif|/Valider|/Confirmation] ----
PATH = "/demande/nouvelledemande/facture/adhesion"


@bp.get(PATH)
@family("path_steps")
def path_step1():
    return step1()


@bp.post(PATH)
@family("path_steps")
def path_answer():
    return answer(_to_recap, _to_confirmation)


@bp.get(PATH + "/<any(recapitulatif, confirmation):page>")
@family("path_steps")
def path_page(page: str):
    wiz = _wizard(g.query) if g.session else None
    return recap(wiz) if page == "recapitulatif" else confirmation(wiz)


@bp.post(PATH + "/valider")
@family("path_steps")
def path_valider():
    return valider(_to_confirmation)


# -- query_steps: Demarches/FactureEnLigne/Adhesion?etape=N --------------------------------
QUERY = "/demarches/factureenligne/adhesion"


@bp.route(QUERY, methods=["GET", "POST"])
@family("query_steps")
def query_steps():
    step = g.query.get("etape", "1")
    if request.method == "GET":
        wiz = _wizard(g.query) if g.session else None
        return {"2": lambda: recap(wiz), "3": lambda: confirmation(wiz)}.get(step, step1)()
    if step == "2":
        return valider(_to_confirmation)
    return answer(_to_recap, _to_confirmation)


# -- postback: Demarche/Saisie/AdhesionFactureEnLigne, every step POSTs here ------------------
POSTBACK = "/demarche/saisie/adhesionfactureenligne"


@bp.get(POSTBACK)
@family("postback")
def postback_start():
    return step1()


@bp.post(POSTBACK)
@family("postback")
def postback_step():
    # the URL never changes: the posted step (hidden ``Etape``) says which page answers
    if g.form.get("Etape") == "2":
        return valider(confirmation)
    return answer(recap, confirmation)
