"""Admin API for tests and monitors: ``/__replica__/faults``, ``/__replica__/skin``,
``/__replica__/audit``, ``/__replica__/accounts/<username>``. Not part of the portal.

Loopback clients only, no other site's Origin, and the run's admin token on every request
(``X-Replica-Token: …`` or ``Authorization: Bearer …``; ``Replica.admin_token``, printed by
``assistant replica``): a web page open in the agent's browser can neither switch maintenance on
nor read the demo families.

A body that is not what an endpoint takes (not JSON, not UTF-8, an object where a string belongs,
a number out of bounds) is answered 400 with a French ``error``, never a 500.
"""

from __future__ import annotations

import json

from flask import Blueprint, request

from ..faults import Faults
from ..guard import ADMIN_HEADER, cross_site, has_admin_token
from ..portal import portal
from ..skins import ASPECTS, SKINS, Skin

bp = Blueprint("admin", __name__, url_prefix="/__replica__")


@bp.before_request
def _operator_only():
    p = portal()
    client = request.remote_addr or ""
    if not (client.startswith("127.") or client in ("::1", "::ffff:127.0.0.1")):
        return p.json({"error": "loopback only"}, 403)
    if cross_site(p.cfg.host):
        return p.json({"error": "cross-site request"}, 403)
    if not has_admin_token(p.admin_token):
        return p.json({"error": f"admin token required ({ADMIN_HEADER} header)"}, 401)
    return None


def _body():
    """The request's JSON; a French ValueError when it is not UTF-8 JSON."""
    try:
        return json.loads(request.get_data().decode("utf-8") or "null")
    except UnicodeDecodeError:
        raise ValueError("le corps de la requête n’est pas du texte UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"le corps de la requête n’est pas du JSON valide (ligne {exc.lineno}, colonne "
                         f"{exc.colno})") from None


def _skin_body(body) -> object:
    """A skin's JSON as :meth:`Skin.from_json` takes it: a preset's name, or an object whose values are
    strings, naming a preset (``name``) and aspects, or a composition's number (``composition``, an
    integer); a French ValueError otherwise."""
    if isinstance(body, str):
        return body
    if not isinstance(body, dict):
        raise ValueError("un nom d’habillage ou un objet JSON est attendu")
    for key, value in body.items():
        if key == "composition":
            continue  # Composition.from_seed says in French what is wrong with the number
        if key != "name" and key not in ASPECTS:
            raise ValueError(f"aspect inconnu « {key} » (au choix : name, composition, {', '.join(ASPECTS)})")
        if not isinstance(value, str):
            raise ValueError(f"« {key} » : une chaîne de caractères est attendue")
    return body


@bp.route("/faults", methods=["GET", "POST"])
def faults():
    p = portal()
    if request.method == "POST":
        try:
            p.faults = Faults.from_json(_body())
        except ValueError as exc:
            return p.json({"error": str(exc)}, 400)
    return p.json(p.faults.to_json())


@bp.route("/skin", methods=["GET", "POST"])
def skin():
    """GET: the skin served; POST ``"bootstrap"`` or ``{"name": …, aspect: value…}``: change it."""
    p = portal()
    if request.method == "POST":
        try:
            p.skin = Skin.from_json(_skin_body(_body()))
        except ValueError as exc:
            return p.json({"error": str(exc), "skins": list(SKINS)}, 400)
    return p.json(p.skin.to_json())


@bp.get("/audit")
def audit():
    p = portal()
    with p.state.lock:
        return p.json([e.to_json() for e in p.state.audit])


@bp.get("/accounts/<username>")
def account(username: str):
    p = portal()
    try:
        return p.json(p.state.account(username))
    except KeyError:
        return p.json({"error": "unknown account"}, 404)
