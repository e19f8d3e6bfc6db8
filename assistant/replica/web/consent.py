"""``POST /cmp/consentement``: the consent tool's log (stand-in for the CMP's own service).

The banner's buttons post the visitor's choice here (portal.js with ``fetch``, or the plain form
without JavaScript); the choice is kept in the tool's cookie and **recorded in the audit log**
(``consent: tracking accepted`` / ``refused``), so a test can prove a client never accepted.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, request

from ..portal import portal
from ..skins import CONSENT_COOKIES

bp = Blueprint("consent", __name__, url_prefix="/cmp")
CHOICES = {"accepte": "accepted", "refuse": "refused"}
THIRTEEN_MONTHS_S = 13 * 30 * 24 * 3600  # the CNIL's longest life for a consent cookie


@bp.post("/consentement")
def consentement():
    p = portal()
    try:
        form = dict(parse_qsl(request.get_data().decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        form = {}
    choice, tool, back = form.get("choix", ""), form.get("outil", ""), form.get("retour", "")
    if choice not in CHOICES or tool not in CONSENT_COOKIES:
        p.state.record(None, "POST", "cmp/consentement", False, False, "consent: malformed choice")
        return p.json({"error": "choix ou outil inconnu"}, 400)
    p.state.record(None, "POST", "cmp/consentement", True, False, f"consent: tracking {CHOICES[choice]} ({tool})")
    if request.headers.get("X-Requested-With", "").lower() == "xmlhttprequest":
        resp = p.json({"Status": "OK"})
    else:  # without JavaScript: back to the page the banner covered
        safe = back if back.startswith("/") and not back.startswith("//") else p.base
        resp = p.redirect(safe, 303)
    resp.set_cookie(CONSENT_COOKIES[tool], choice, max_age=THIRTEEN_MONTHS_S, path="/", samesite="Lax")
    return resp
