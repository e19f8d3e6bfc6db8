"""What the portal's blueprints share: the tenant prefix, the parent blueprint, static files."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Response

from ..portal import portal

# every portal route sits under /{tenant}/espace-citoyens/ (the converter only accepts the run's tenant)
PORTAL_PREFIX = "/<tenant:tenant>/espace-citoyens"
# called without any anti-forgery token by public third-party clients of the real portal,
# so the portal cannot be checking one there [seen]
TOKEN_EXEMPT = {"portal.login.modale_connexion", "portal.login.logon_ajax"}

_static_cache: dict[Path, tuple[bytes, str]] = {}


def portal_blueprint() -> Blueprint:
    """The parent of the portal's blueprints: tenant prefix, landing page, static files."""
    bp = Blueprint("portal", __name__, url_prefix=PORTAL_PREFIX)

    @bp.url_value_preprocessor
    def _drop_tenant(endpoint, values):  # the tenant is the run's; views do not take it
        if values:
            values.pop("tenant", None)

    @bp.get("/")
    def landing():
        return portal().render("landing.html")

    @bp.get("/content/<name>")
    def static_file(name: str):
        """``Content/<file>`` [guess path]: images, portal.css, portal.js (cached in memory)."""
        p = portal()
        target = p.static_dir / name
        if name.startswith(".") or not target.is_file():
            return p.error(404)
        if target not in _static_cache:
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype.endswith("javascript"):
                ctype += "; charset=utf-8"
            _static_cache[target] = (target.read_bytes(), ctype)
        body, ctype = _static_cache[target]
        return Response(body, 200, content_type=ctype, headers={"Cache-Control": "private, max-age=300"})

    return bp
