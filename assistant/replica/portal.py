"""The portal of one replica run, as the Flask views see it: state, skin, faults, rendering.

The views (``web/``) reach it with :func:`portal`; what belongs to the current request
(session, anti-forgery cookie token, tenant-relative route, parsed form) sits in ``flask.g``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, g, jsonify, redirect, request
from flask.json.provider import DefaultJSONProvider
from jinja2 import BytecodeCache, Environment, FileSystemLoader, pass_context, select_autoescape

from .config import ReplicaConfig
from .faults import Faults, normalise_route
from .payfip import PayfipStandIn
from .formats import french_amount, french_date, meaning, remaining, status_word
from .routes import CONSENT_COOKIES, WizardRoutes
from .skin_words import DETAIL_WORDS
from .skins import Skin
from .state import PortalState, Session

SESSION_COOKIE = "ASP.NET_SessionIdEC"
TOKEN_NAME = "__RequestVerificationToken"
TOKEN_HEADER = "RequestVerificationToken"
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


class _SharedBytecode(BytecodeCache):
    """Templates compiled once per process, not once per replica (tests start dozens of them)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()
# the pages of the private layout: the first one after the login shows the composition's dialog
_PRIVATE = {"tableau_de_bord.html", "mes_demandes.html", "mon_compte.html", "detail_personne.html",
            "adhesion_etape1.html", "adhesion_recapitulatif.html", "adhesion_confirmation.html"}


@pass_context
def _amount(ctx, amount: str, euro: bool = False) -> str:
    """``1 234,56 €`` as the composition writes amounts (group separator, currency or none);
    ``euro``: with « € » whatever the composition (the detail fragment's amount shows it [seen])."""
    w = ctx["w"]
    return french_amount(amount, w["group_sep"], w["currency"] or ("\u00a0€" if euro else ""))


@pass_context
def _status(ctx, inv: dict) -> str:
    """An invoice's status word in the composition's vocabulary and case."""
    skin = ctx["skin"]
    return status_word(inv, skin.status_words, skin.status_case)


@pass_context
def _detail_status(ctx, inv: dict) -> str:
    """The detail fragment's status: the table's word (detail_status=as_table), else its own word for what
    the table's means (« Payée », « À payer », « Prélèvement en cours »)."""
    skin = ctx["skin"]
    if skin.detail_status == "as_table":
        return status_word(inv, skin.status_words, skin.status_case)
    return DETAIL_WORDS[meaning(inv, skin.status_words)]


class Portal:
    """One replica run's portal: what every view needs (render, redirect, audit, login guard)."""

    def __init__(self, cfg: ReplicaConfig, state: PortalState, outbox: Path) -> None:
        self.cfg = cfg
        self.state = state
        self.outbox = outbox
        self.faults: Faults = cfg.faults
        self.skin: Skin = cfg.skin  # type: ignore[assignment]  (ReplicaConfig made it a Skin)
        self.base = f"/{cfg.tenant}/espace-citoyens/"
        self.prefix = self.base.rstrip("/")
        self.static_dir = cfg.fixtures_dir / "static"
        self.pdf_dir = cfg.fixtures_dir / "pdf"
        self.env = Environment(loader=FileSystemLoader(str(cfg.fixtures_dir / "pages")), auto_reload=False,
                               autoescape=select_autoescape(["html"], default=True), bytecode_cache=_BYTECODE)
        self.env.filters["montant"] = _amount
        self.env.filters["date_fr"] = french_date
        self.env.filters["statut"] = _status
        self.env.filters["statut_detail"] = _detail_status
        self.env.filters["reste"] = remaining
        self.payfip = PayfipStandIn(self.env)  # the State's PayFiP page (test mode), same origin
        self.admin_token = secrets.token_urlsafe(32)  # the admin API's, new for every replica (guard.py)

    # -- what the skin decides --------------------------------------------------------------
    @property
    def wizard(self) -> WizardRoutes:
        return WizardRoutes(self.skin.routes)

    @property
    def login_style(self) -> str:
        """The login generation: the run's setting, else the composition's."""
        return self.cfg.login_style or self.skin.login

    def wait_ms(self) -> int:
        """The wait modal's duration: the fault, else the run's setting, else the skin's."""
        for value in (self.faults.wait_modal_ms, self.cfg.wait_modal_ms):
            if value is not None:
                return value
        return self.skin.wait_ms

    def consent_pending(self) -> str | None:
        """The consent tool to show (the visitor has not chosen yet), or None."""
        tool = self.skin.consent
        if tool == "none" or request.cookies.get(CONSENT_COOKIES[tool]):
            return None
        return tool

    # -- answers ------------------------------------------------------------------------------
    def url(self, route: str) -> str:
        return self.base + route

    def render(self, template: str, status: int = 200, **extra: Any) -> Response:
        sess: Session | None = g.get("session")
        g.token_used = True
        values = {
            "base": self.base,
            "static": self.base + "Content/",
            "tenant": self.cfg.tenant,
            "login_style": self.login_style,
            "wait_ms": self.wait_ms(),
            "session_timeout_s": self.state.session_timeout_s,
            "token": self.state.form_token(g.cookie_token, sess.username if sess else None),
            "user": self.state.account(sess.username) if sess else None,
            "skin": self.skin,
            "w": self.skin.words(),
            "u": self.wizard,
            "consent": self.consent_pending(),
            "notice": None,
            "flash": None,
            "current_url": g.get("original_path", request.path) + (
                "?" + request.query_string.decode("latin-1") if request.query_string else ""),
        }
        values.update(extra)
        if sess is not None and values["user"] is not None and template in _PRIVATE:
            due = sess.notice_due and self.skin.notice != "none"
            values["notice"], sess.notice_due = (self.skin.notice if due else None), False
            values["flash"], sess.flash = sess.flash, None
        body = self.env.get_template(template).render(**values)
        return Response(body, status, content_type=HTML)

    @staticmethod
    def redirect(location: str, status: int = 302) -> Response:
        return redirect(location, status)

    @staticmethod
    def json(data: Any, status: int = 200) -> Response:
        """The portal's JSON answer (:class:`PortalJSON`: the app's provider)."""
        resp = jsonify(data)
        resp.status_code = status
        return resp

    def error(self, status: int) -> Response:
        return self.render(f"erreur_{status}.html", status=status)

    def not_found(self) -> Response:
        """404 for a route the portal does not serve (a POST is audited as refused)."""
        if request.method == "POST":
            self.audit(False, False, "unknown route")
        return self.error(404)

    def audit(self, accepted: bool, changed: bool, detail: str = "", *, route: str | None = None) -> None:
        sess = g.get("session")
        account = sess.username if sess else g.get("account")
        self.state.record(account, request.method, route or g.get("route", ""), accepted, changed, detail)

    def require_login(self, xhr: bool = False) -> Response | None:
        """None if the session is valid, else the portal's answer to an anonymous request."""
        sess = g.get("session")
        if sess is None:
            if xhr:  # background calls of an expired session get HTTP 500 on the real portal
                return self.error(500)
            target = g.original_path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")
            return self.redirect(self.url("Home/AccueilPublic?ReturnUrl=" + quote(target, safe="")))
        if (self.state.account(sess.username)["must_change_password"]
                and normalise_route(g.route) != "home/changementmotdepasse"):
            return self.redirect(self.url("Home/ChangementMotDePasse"))
        return None

    def with_session(self, resp: Response, sid: str | None) -> Response:
        """``resp`` handing out the session cookie of ``sid``, or (None) ending the visitor's session cookie."""
        path = f"/{self.cfg.tenant}"
        if sid is None:
            resp.delete_cookie(SESSION_COOKIE, path=path, httponly=True)
        else:
            resp.set_cookie(SESSION_COOKIE, sid, path=path, httponly=True, samesite="Lax")
        return resp


class PortalJSON(DefaultJSONProvider):
    """Flask's JSON as the portal's answers are quoted [seen]: keys in their order, French text unescaped,
    ``{"Status": "OK", "LocationHref": "…"}`` spaced that way, ``application/json; charset=utf-8``."""

    ensure_ascii = False
    sort_keys = False
    mimetype = JSON

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs["separators"] = (", ", ": ")
        return super().dumps(obj, **kwargs)


def portal() -> Portal:
    """The portal of the app serving the current request."""
    return current_app.extensions["replica"]
