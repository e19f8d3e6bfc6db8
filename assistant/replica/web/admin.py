"""Admin API for tests and monitors: ``/__replica__/faults``, ``/__replica__/skin``,
``/__replica__/audit``, ``/__replica__/accounts/<username>``. Not part of the portal.

Loopback clients only, no other site's Origin, and the run's admin token on every request
(``X-Replica-Token: …`` or ``Authorization: Bearer …``; ``Replica.admin_token``, printed by
``assistant replica``): a web page open in the agent's browser can neither switch maintenance on
nor read the demo families."""

from __future__ import annotations

import json

from flask import Blueprint, request

from ..faults import Faults
from ..guard import ADMIN_HEADER, cross_site, has_admin_token
from ..portal import portal
from ..skins import SKINS, Skin

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
    return json.loads(request.get_data().decode("utf-8") or "null")


@bp.route("/faults", methods=["GET", "POST"])
def faults():
    p = portal()
    if request.method == "POST":
        try:
            p.faults = Faults.from_json(_body())
        except (ValueError, UnicodeDecodeError) as exc:
            return p.json({"error": str(exc)}, 400)
    return p.json(p.faults.to_json())


@bp.route("/skin", methods=["GET", "POST"])
def skin():
    """GET: the skin served; POST ``"bootstrap"`` or ``{"name": …, aspect: value…}``: change it."""
    p = portal()
    if request.method == "POST":
        try:
            p.skin = Skin.from_json(_body())
        except (ValueError, UnicodeDecodeError) as exc:
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
