"""HTTP side of the replica: routing, sessions by cookie, anti-forgery, faults, rendering.

Serves the portal only under ``/{tenant}/espace-citoyens/`` (as www.espace-citoyens.net does),
plus a loopback-only admin API under ``/__replica__/`` for tests.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .faults import Faults, normalise_route
from .mail import write_confirmation
from .payfip import PayfipStandIn, PortalPayments
from .pdf import build_pdf
from .state import PortalState, Session, french_amount, french_date, load_data

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"
SESSION_COOKIE = "ASP.NET_SessionIdEC"
TOKEN_NAME = "__RequestVerificationToken"
TOKEN_HEADER = "RequestVerificationToken"
MAX_BODY = 64 * 1024
WIZARD_PATH = "Demande/NouvelleDemande/FACTURE/ADHESION"  # [guess] the adhesion démarche's route
WIZARD = WIZARD_PATH.lower()  # routes are matched lowercased, like ASP.NET's case-insensitive routing
LOGIN_ERROR = "Identifiant ou mot de passe incorrect."
# The modal-login endpoints are called without any anti-forgery token by public third-party
# clients of the real portal, so the portal cannot be checking one there.
TOKEN_EXEMPT = {"home/recuperermodaleconnexion", "home/logonajax"}


@dataclass
class ReplicaConfig:
    """How one replica run behaves (see fixtures/README.md)."""

    tenant: str = "grandperigueux"
    login_style: str = "classic"
    faults: Faults = field(default_factory=Faults)
    host: str = "127.0.0.1"
    port: int = 0
    outbox_dir: Path | None = None
    data_path: Path | None = None
    data: dict | None = None
    wait_modal_ms: int = 400
    session_timeout_s: float = 1200
    audit_path: Path | None = None
    fixtures_dir: Path = FIXTURES_DIR

    def __post_init__(self) -> None:
        if self.login_style not in ("classic", "modal"):
            raise ValueError("login_style must be 'classic' or 'modal'")
        if not self.tenant or not all(c.isalnum() or c == "-" for c in self.tenant):
            raise ValueError("tenant must be a slug (letters, digits, hyphens)")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class Request:
    """One parsed HTTP request (query keys compared case-insensitively, as ASP.NET binds them)."""

    def __init__(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        self.method = method
        self.handler = handler
        parts = urlsplit(handler.path)
        self.path = parts.path
        self.raw_query = parts.query
        self.query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        self.headers = handler.headers
        self.client = handler.client_address[0]
        self.cookies: dict[str, str] = {}
        try:
            jar = SimpleCookie(handler.headers.get("Cookie", ""))
            self.cookies = {k: m.value for k, m in jar.items()}
        except CookieError:
            pass
        self.body = b""
        self.form: dict[str, str] | None = None
        self.malformed = ""

    def read_body(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            self.malformed = "chunked body"
            self.handler.close_connection = True
            return
        length = self.headers.get("Content-Length", "0").strip()
        if not length.isdigit():
            self.malformed = "invalid Content-Length"
            self.handler.close_connection = True
            return
        if int(length) > MAX_BODY:
            self.malformed = "body too large"
            self.handler.close_connection = True
            return
        self.body = self.handler.rfile.read(int(length))

    def parse_form(self) -> None:
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not self.body and not ctype:  # an empty POST (the modal fragment is fetched that way)
            self.form = {}
            return
        if ctype != "application/x-www-form-urlencoded":
            self.malformed = self.malformed or f"unexpected content type {ctype or '(none)'}"
            return
        try:
            pairs = parse_qsl(self.body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(self.body))
        except (UnicodeDecodeError, ValueError):
            self.malformed = "undecodable form"
            return
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            self.malformed = "repeated form field"
            return
        self.form = dict(pairs)

    @property
    def is_xhr(self) -> bool:
        return self.headers.get("X-Requested-With", "").lower() == "xmlhttprequest"


class PortalApp:
    """Routes one request to a page of the portal and renders it."""

    def __init__(self, cfg: ReplicaConfig, state: PortalState, outbox: Path) -> None:
        self.cfg = cfg
        self.state = state
        self.outbox = outbox
        self.faults = cfg.faults
        self.base = f"/{cfg.tenant}/espace-citoyens/"
        self.static_dir = cfg.fixtures_dir / "static"
        self.pdf_dir = cfg.fixtures_dir / "pdf"
        self.env = Environment(loader=FileSystemLoader(str(cfg.fixtures_dir / "pages")),
                               autoescape=select_autoescape(["html"], default=True))
        self.env.filters["montant"] = french_amount
        self.env.filters["date_fr"] = french_date
        # the State's PayFiP page (test mode) and the portal's side of the payment hand-off
        self.payfip = PayfipStandIn(self.env)
        self.payments = PortalPayments(self.payfip)
        self.routes: dict[tuple[str, str], Callable[[Request, dict], Response]] = {
            ("GET", ""): self.landing,
            ("GET", "home/accueilpublic"): self.accueil_public,
            ("GET", "home/logon"): self.accueil_public,
            ("POST", "home/logon"): self.logon,
            ("POST", "home/recuperermodaleconnexion"): self.modale_connexion,
            ("POST", "home/logonajax"): self.logon_ajax,
            ("GET", "home/changementmotdepasse"): self.changement_mdp,
            ("POST", "home/changementmotdepasse"): self.changement_mdp_post,
            ("GET", "home/logoff"): self.logoff,
            ("GET", "home/prolongersession"): self.prolonger_session,
            ("GET", "comptecitoyen"): self.tableau_de_bord,
            ("GET", "comptecitoyen/mesdemandes"): self.mes_demandes,
            ("GET", "fichepersonne/detailpersonne"): self.detail_personne,
            ("GET", "moncompte"): self.mon_compte,
            ("GET", "moncompte/detailfacture"): self.detail_facture,
            ("GET", "moncompte/telechargerpdffacture"): self.pdf_facture,
            ("GET", "moncompte/payerfacture"): lambda req, ctx: self.payments.pay(self, req, ctx),
            ("GET", "moncompte/retourpaiement"): lambda req, ctx: self.payments.back(self, req, ctx),
            ("GET", WIZARD): self.etape1,
            ("POST", WIZARD): self.etape1_post,
            ("GET", WIZARD + "/recapitulatif"): self.recapitulatif,
            ("POST", WIZARD + "/valider"): self.valider,
            ("GET", WIZARD + "/confirmation"): self.confirmation,
        }

    # -- helpers --------------------------------------------------------------------------
    def url(self, route: str) -> str:
        return self.base + route

    def wait_ms(self) -> int:
        w = self.faults.wait_modal_ms
        return self.cfg.wait_modal_ms if w is None else w

    def render(self, template: str, req: Request, ctx: dict, status: int = 200, **extra: Any) -> Response:
        sess: Session | None = ctx.get("session")
        cookie_token = ctx["cookie_token"]
        ctx["token_used"] = True
        values = {
            "base": self.base,
            "static": self.base + "Content/",
            "tenant": self.cfg.tenant,
            "login_style": self.cfg.login_style,
            "wait_ms": self.wait_ms(),
            "session_timeout_s": self.state.session_timeout_s,
            "token": self.state.form_token(cookie_token, sess.username if sess else None),
            "user": self.state.account(sess.username) if sess else None,
        }
        values.update(extra)
        body = self.env.get_template(template).render(**values).encode("utf-8")
        return Response(status, body)

    def redirect(self, location: str, status: int = 302) -> Response:
        return Response(status, b"", headers=[("Location", location)])

    def json(self, data: Any, status: int = 200) -> Response:
        return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                        "application/json; charset=utf-8")

    def error(self, status: int, req: Request, ctx: dict) -> Response:
        return self.render(f"erreur_{status}.html", req, ctx, status=status)

    def audit(self, ctx: dict, req: Request, accepted: bool, changed: bool, detail: str = "") -> None:
        sess = ctx.get("session")
        account = sess.username if sess else ctx.get("account")
        self.state.record(account, req.method, ctx["route"], accepted, changed, detail)

    def require_login(self, req: Request, ctx: dict, xhr: bool = False) -> Response | None:
        """None if the session is valid, else the portal's answer to an anonymous request."""
        sess = ctx.get("session")
        if sess is None:
            if xhr:  # background calls of an expired session get HTTP 500 on the real portal
                return self.error(500, req, ctx)
            target = req.path + (f"?{req.raw_query}" if req.raw_query else "")
            return self.redirect(self.url("Home/AccueilPublic?ReturnUrl=" + quote(target, safe="")))
        if (self.state.account(sess.username)["must_change_password"]
                and normalise_route(ctx["route"]) != "home/changementmotdepasse"):
            return self.redirect(self.url("Home/ChangementMotDePasse"))
        return None

    # -- entry point ----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = req.path
        if path.startswith("/__replica__/"):
            return self.admin(req)
        if path.lower().startswith("/tpa/"):  # PayFiP's stand-in: another service, same loopback origin
            return Response(*self.payfip.handle(req))
        prefix = self.base.rstrip("/")
        if path.lower() == prefix.lower():
            return self.redirect(self.base, 301)
        ctx: dict[str, Any] = {"cookie_token": req.cookies.get(TOKEN_NAME) or "", "route": ""}
        new_token = not ctx["cookie_token"]
        if new_token:
            ctx["cookie_token"] = self.state.form_token("c", None).split(".")[1][:32]
        resp = self._handle_tenant(req, ctx, prefix)
        # like ASP.NET, the cookie half of the token pair is issued with a page carrying a form token
        if new_token and ctx.get("token_used") and req.path.lower().startswith(prefix.lower() + "/"):
            resp.headers.append(("Set-Cookie", f"{TOKEN_NAME}={ctx['cookie_token']}; path=/{self.cfg.tenant}; HttpOnly"))
        return resp

    def _handle_tenant(self, req: Request, ctx: dict, prefix: str) -> Response:
        path = req.path
        if not path.lower().startswith(prefix.lower() + "/"):
            return self.error(404, req, ctx)
        rel = path[len(prefix) + 1:]
        route = normalise_route(rel)
        ctx["route"] = rel.strip("/") or "/"
        if route.startswith("content/"):
            return self.static(rel.split("/", 1)[1], req, ctx)
        faults = self.faults
        if req.method == "POST":
            req.read_body()
        if faults.maintenance:
            if req.method == "POST":
                self.audit(ctx, req, False, False, "maintenance")
            return self.render("maintenance.html", req, ctx, status=503)
        delay = faults.latency_for(route)
        if delay:
            time.sleep(delay / 1000)
        sid = req.cookies.get(SESSION_COOKIE)
        ctx["session"] = self.state.touch_session(sid, faults.expire_after_requests)
        if faults.fails_500(route):
            if req.method == "POST":
                self.audit(ctx, req, False, False, "fault: HTTP 500")
            return self.error(500, req, ctx)
        handler = self.routes.get((req.method, route))
        if handler is None:
            if req.method == "POST":
                self.audit(ctx, req, False, False, "unknown route")
            return self.error(404, req, ctx)
        if req.method == "POST":
            if not req.malformed:
                req.parse_form()
            if req.malformed:
                self.audit(ctx, req, False, False, f"malformed: {req.malformed}")
                return self.error(400, req, ctx)
            if route not in TOKEN_EXEMPT:
                sess = ctx.get("session")
                form_token = req.form.get(TOKEN_NAME) or req.headers.get(TOKEN_HEADER)
                if not self.state.check_token(req.cookies.get(TOKEN_NAME), form_token,
                                              sess.username if sess else None):
                    self.audit(ctx, req, False, False, "anti-forgery token missing or invalid")
                    return self.error(500, req, ctx)
        return handler(req, ctx)

    def static(self, name: str, req: Request, ctx: dict) -> Response:
        if "/" in name or "\\" in name or name.startswith("."):
            return self.error(404, req, ctx)
        target = self.static_dir / name
        if not target.is_file():
            return self.error(404, req, ctx)
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith("javascript"):
            ctype += "; charset=utf-8"
        return Response(200, target.read_bytes(), ctype, [("Cache-Control", "private, max-age=300")])

    # -- admin API (tests) ----------------------------------------------------------------
    def admin(self, req: Request) -> Response:
        if not (req.client.startswith("127.") or req.client in ("::1", "::ffff:127.0.0.1")):
            return self.json({"error": "loopback only"}, 403)
        route = req.path[len("/__replica__/"):].strip("/")
        if route == "faults" and req.method == "GET":
            return self.json(self.faults.to_json())
        if route == "faults" and req.method == "POST":
            req.read_body()
            try:
                faults = Faults.from_json(json.loads(req.body.decode("utf-8") or "null"))
            except (ValueError, UnicodeDecodeError) as exc:
                return self.json({"error": str(exc)}, 400)
            self.faults = faults
            return self.json(faults.to_json())
        if route == "audit" and req.method == "GET":
            with self.state.lock:
                return self.json([e.to_json() for e in self.state.audit])
        if route.startswith("accounts/") and req.method == "GET":
            try:
                return self.json(self.state.account(route.split("/", 1)[1]))
            except KeyError:
                return self.json({"error": "unknown account"}, 404)
        return self.json({"error": "unknown admin route"}, 404)

    # -- public pages ---------------------------------------------------------------------
    def landing(self, req: Request, ctx: dict) -> Response:
        return self.render("landing.html", req, ctx)

    def accueil_public(self, req: Request, ctx: dict, error: str = "", status: int = 200) -> Response:
        style = "classic" if ctx["route"].lower() == "home/logon" else self.cfg.login_style
        return self.render("accueil_public.html", req, ctx, status=status, erreur=error, style=style,
                           return_url=req.query.get("returnurl", "") if req.method == "GET" else
                           (req.form or {}).get("ReturnUrl", ""))

    def _safe_return(self, url: str) -> str | None:
        return url if url.lower().startswith(self.base.lower()) and "//" not in url[1:] else None

    def _login(self, req: Request, ctx: dict, username: str, password: str) -> tuple[str, Response | None]:
        """Open a session if the credentials are right: (status, cookie-bearing response or None)."""
        acc = self.state.authenticate(username, password)
        ctx["account"] = username.strip().lower() or None
        if acc is None:
            self.audit(ctx, req, False, False, "login refused")
            return "KO", None
        self.state.close_session(req.cookies.get(SESSION_COOKIE))
        sess = self.state.open_session(acc["username"])
        ctx["session"] = sess
        self.audit(ctx, req, True, False, "login")
        cookie = f"{SESSION_COOKIE}={sess.id}; path=/{self.cfg.tenant}; HttpOnly; SameSite=Lax"
        return ("CHANGEMENT_MDP" if acc["must_change_password"] else "OK"), Response(headers=[("Set-Cookie", cookie)])

    def logon(self, req: Request, ctx: dict) -> Response:
        form = req.form or {}
        if "username" not in form or "password" not in form:
            self.audit(ctx, req, False, False, "malformed: missing username/password")
            return self.error(400, req, ctx)
        status, resp = self._login(req, ctx, form["username"], form["password"])
        if resp is None:
            return self.accueil_public(req, ctx, error=LOGIN_ERROR)
        if status == "CHANGEMENT_MDP":
            target = self.url("Home/ChangementMotDePasse")
        else:
            target = self._safe_return(form.get("ReturnUrl", "")) or self.url("CompteCitoyen")
        return Response(302, b"", headers=resp.headers + [("Location", target)])

    def modale_connexion(self, req: Request, ctx: dict) -> Response:
        self.audit(ctx, req, True, False, "login modal fragment")
        return self.render("modale_connexion.html", req, ctx)

    def logon_ajax(self, req: Request, ctx: dict) -> Response:
        form = req.form or {}
        status, resp = self._login(req, ctx, form.get("username", ""), form.get("password", ""))
        if resp is None:
            return self.json({"Status": "KO", "Message": LOGIN_ERROR})
        if status == "CHANGEMENT_MDP":
            target = self.url("Home/ChangementMotDePasse")
        else:
            target = self._safe_return(form.get("returnUrl", "") or form.get("ReturnUrl", "")) or self.url("CompteCitoyen")
        out = self.json({"Status": status, "LocationHref": target})
        out.headers += resp.headers
        return out

    def changement_mdp(self, req: Request, ctx: dict, errors: list[str] | None = None) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        return self.render("changement_mdp.html", req, ctx, erreurs=errors or [])

    def changement_mdp_post(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            self.audit(ctx, req, False, False, "no session")
            return denied
        form = req.form or {}
        old, new, confirm = (form.get(k, "") for k in ("ancienMotDePasse", "nouveauMotDePasse", "confirmationMotDePasse"))
        sess = ctx["session"]
        errors = []
        if self.state.authenticate(sess.username, old) is None:
            errors.append("Le mot de passe actuel est incorrect.")
        if len(new) < 8 or new.isalpha() or new.isdigit():
            errors.append("Le nouveau mot de passe doit contenir au moins 8 caractères, dont des lettres et des chiffres.")
        elif new == old:
            errors.append("Le nouveau mot de passe doit être différent de l’ancien.")
        if new != confirm:
            errors.append("La confirmation ne correspond pas au nouveau mot de passe.")
        if errors:
            self.audit(ctx, req, False, False, "password change refused")
            return self.changement_mdp(req, ctx, errors)
        self.state.change_password(sess.username, new)
        self.audit(ctx, req, True, True, "password changed")
        return self.redirect(self.url("CompteCitoyen"))

    def logoff(self, req: Request, ctx: dict) -> Response:
        sess = self.state.close_session(req.cookies.get(SESSION_COOKIE))
        ctx["session"] = None
        ctx["account"] = sess.username if sess else None
        self.audit(ctx, req, True, sess is not None, "logoff")
        expired = f"{SESSION_COOKIE}=; path=/{self.cfg.tenant}; HttpOnly; expires=Thu, 01 Jan 1970 00:00:00 GMT"
        resp = self.redirect(self.url("Home/AccueilPublic"))
        resp.headers.append(("Set-Cookie", expired))
        return resp

    def prolonger_session(self, req: Request, ctx: dict) -> Response:
        if ctx.get("session") is None:
            return self.error(500, req, ctx)
        return self.json({"Status": "OK"})

    # -- private pages --------------------------------------------------------------------
    def tableau_de_bord(self, req: Request, ctx: dict) -> Response:
        return self.require_login(req, ctx) or self.render("tableau_de_bord.html", req, ctx)

    def mes_demandes(self, req: Request, ctx: dict) -> Response:
        return self.require_login(req, ctx) or self.render("mes_demandes.html", req, ctx)

    def detail_personne(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        members = self.state.account(ctx["session"].username)["members"]
        member = next((m for m in members if str(m["idDynamic"]) == req.query.get("iddynamic")), None)
        if member is None:
            return self.error(404, req, ctx)
        return self.render("detail_personne.html", req, ctx, membre=member)

    def mon_compte(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        invoices = sorted(self.state.account(ctx["session"].username)["invoices"],
                          key=lambda i: (i["issued"], i["IdFactureUnique"]), reverse=True)
        return self.render("mon_compte.html", req, ctx, factures=invoices)

    def _invoice(self, req: Request, ctx: dict) -> dict | None:
        return self.state.invoice(ctx["session"].username, req.query.get("idfactureunique", ""))

    def detail_facture(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx, xhr=True)
        if denied:
            return denied
        inv = self._invoice(req, ctx)
        return self.render("detail_facture.html", req, ctx, facture=inv) if inv else self.error(404, req, ctx)

    def pdf_facture(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        inv = self._invoice(req, ctx)
        if inv is None:
            return self.error(404, req, ctx)
        stored = self.pdf_dir / f"{inv['number']}.pdf"
        body = stored.read_bytes() if stored.is_file() else build_pdf(*invoice_pdf_lines(inv, self.cfg.tenant))
        disposition = f'attachment; filename="Facture_{inv["number"]}.pdf"'
        return Response(200, body, "application/pdf", [("Content-Disposition", disposition)])

    # -- adhesion wizard ------------------------------------------------------------------
    def _wizard(self, req: Request, ctx: dict, source: dict[str, str]):
        sess = ctx["session"]
        return sess.wizards.get(source.get("IdDemarche", source.get("iddemarche", "")))

    def etape1(self, req: Request, ctx: dict, error: str = "", wizard=None, status: int = 200) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        acc = self.state.account(ctx["session"].username)
        pending = acc["adhesion"] == "EN_ATTENTE"
        if wizard is None and not pending:
            wizard = self.state.open_wizard(ctx["session"])
        return self.render("adhesion_etape1.html", req, ctx, status=status, en_attente=pending,
                           actuel=acc["adhesion"], wizard=wizard, erreur=error)

    def etape1_post(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            self.audit(ctx, req, False, False, "no session")
            return denied
        form = req.form or {}
        wiz = self._wizard(req, ctx, form)
        if wiz is None:
            self.audit(ctx, req, False, False, "unknown wizard")
            return self.error(400, req, ctx)
        if wiz.request_number is not None:
            self.audit(ctx, req, False, False, f"wizard {wiz.id} already validated")
            return self.redirect(self.url(f"{WIZARD_PATH}/Confirmation?IdDemarche={wiz.id}"))
        if self.state.account(wiz.username)["adhesion"] == "EN_ATTENTE":
            self.audit(ctx, req, False, False, "adhesion request pending")
            return self.etape1(req, ctx)
        answer = form.get("AdhesionFactureEnLigne", "")
        if answer not in ("OUI", "NON"):
            self.audit(ctx, req, False, False, f"wizard {wiz.id}: no answer")
            return self.etape1(req, ctx, error="Veuillez répondre à la question.", wizard=wiz)
        wiz.answer = answer
        self.audit(ctx, req, True, False, f"wizard {wiz.id}: answer {answer}")
        return self.redirect(self.url(f"{WIZARD_PATH}/Recapitulatif?IdDemarche={wiz.id}"))

    def recapitulatif(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        wiz = self._wizard(req, ctx, req.query)
        if wiz is None or wiz.answer is None:
            return self.redirect(self.url(WIZARD_PATH))
        return self.render("adhesion_recapitulatif.html", req, ctx, wizard=wiz)

    def valider(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            self.audit(ctx, req, False, False, "no session")
            return denied
        wiz = self._wizard(req, ctx, req.form or {})
        if wiz is None or wiz.answer is None:
            self.audit(ctx, req, False, False, "VALIDER without a stored answer")
            return self.error(400, req, ctx)
        request, applied = self.state.validate_wizard(wiz)
        if applied:
            acc = self.state.account(wiz.username)
            write_confirmation(self.outbox, to=acc["email"], civility=acc["civilite"], name=acc["nom"],
                               number=request["number"], label=request["label"], answer=wiz.answer,
                               status=request["status"], when=datetime.now())
            self.audit(ctx, req, True, True, f"wizard {wiz.id}: request {request['number']} adhesion {wiz.answer}")
        else:
            self.audit(ctx, req, True, False, f"wizard {wiz.id}: duplicate VALIDER ignored")
        return self.redirect(self.url(f"{WIZARD_PATH}/Confirmation?IdDemarche={wiz.id}"))

    def confirmation(self, req: Request, ctx: dict) -> Response:
        denied = self.require_login(req, ctx)
        if denied:
            return denied
        wiz = self._wizard(req, ctx, req.query)
        if wiz is None or wiz.request_number is None:
            return self.redirect(self.url(WIZARD_PATH))
        acc = self.state.account(wiz.username)
        request = next(r for r in acc["requests"] if r["number"] == wiz.request_number)
        return self.render("adhesion_confirmation.html", req, ctx, demande=request)


def invoice_pdf_lines(inv: dict, tenant: str = "grandperigueux") -> tuple[list[str], str]:
    """The text lines and title of an invoice's PDF."""
    lines = [
        "Grand Périgueux - Espace Citoyens",
        f"Facture N° {inv['number']}",
        inv["label"],
        f"Date d'émission : {french_date(inv['issued'])}",
        f"Montant total : {french_amount(inv['amount'])}".replace("\u00a0", " "),
        f"Date limite de paiement : {french_date(inv['due'])}",
        f"Concerne : {inv['member']}",
        f"Référence : {inv['IdFactureUnique']}",
        "Document fictif produit par la réplique du portail (données de démonstration).",
    ]
    return lines, f"Facture {inv['number']}"


def _make_handler(app_ref: Callable[[], PortalApp]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: without TCP_NODELAY, Nagle + delayed ACK hold the
        # body ~40 ms on every keep-alive request (browsers and context.request keep connections alive)
        disable_nagle_algorithm = True
        server_version = "Microsoft-IIS/10.0"
        sys_version = ""
        timeout = 30

        def setup(self) -> None:
            super().setup()
            # headers and body leave in separate writes: without this, Nagle + delayed ACK add 40 ms
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self, method: str) -> None:
            req = Request(self, method)
            try:
                resp = app_ref().handle(req)
            except Exception as exc:  # the HTTP boundary: a replica bug answers 500 like IIS would
                print(f"replica: internal error on {method} {req.path}: {exc!r}", file=sys.stderr)
                resp = Response(500, "Erreur interne du serveur".encode("utf-8"), "text/plain; charset=utf-8")
                self.close_connection = True
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            if resp.content_type.startswith(("text/html", "application/json")):
                self.send_header("Cache-Control", "private, no-store")
            for name, value in resp.headers:
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):  # the client went away
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:  # silence stderr access log
            pass

    return Handler


class Replica:
    """The portal's stand-in on loopback: ``with Replica(cfg) as rep: rep.base_url``."""

    def __init__(self, cfg: ReplicaConfig | None = None) -> None:
        self.cfg = cfg or ReplicaConfig()
        data = self.cfg.data
        if data is None:
            data = load_data(self.cfg.data_path or self.cfg.fixtures_dir / "accounts.json")
        self.state = PortalState(data, self.cfg.session_timeout_s, self.cfg.audit_path)
        self._tmp_outbox: str | None = None
        if self.cfg.outbox_dir is None:
            self._tmp_outbox = tempfile.mkdtemp(prefix="replica-outbox-")
            self.outbox_dir = Path(self._tmp_outbox)
        else:
            self.outbox_dir = Path(self.cfg.outbox_dir)
        self.app = PortalApp(self.cfg, self.state, self.outbox_dir)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Replica":
        """Bind (OSError if the port is taken) and serve in a daemon thread."""
        server = ThreadingHTTPServer((self.cfg.host, self.cfg.port), _make_handler(lambda: self.app))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="replica-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tmp_outbox is not None:
            shutil.rmtree(self._tmp_outbox, ignore_errors=True)
            self._tmp_outbox = None

    def __enter__(self) -> "Replica":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("replica not started")
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self.cfg.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/{self.cfg.tenant}/espace-citoyens/"

    @property
    def audit(self):
        with self.state.lock:
            return list(self.state.audit)

    @property
    def duplicate_validations(self) -> int:
        return self.state.duplicate_validations

    @property
    def faults(self) -> Faults:
        return self.app.faults

    def set_faults(self, faults: Faults) -> None:
        self.app.faults = faults

    def account(self, username: str) -> dict:
        return self.state.account(username)

    def demo_credentials(self, username: str | None = None) -> tuple[str, str]:
        """(identifiant, mot de passe) of a demo family; by default the first one not yet adhered.

        KeyError names the unknown family; the demo data are fictional and listed in the README.
        """
        with self.state.lock:
            accounts = self.state.accounts
            if username is None:
                username = next(u for u, a in accounts.items()
                                if a["adhesion"] == "NON" and not a["must_change_password"])
            acc = accounts.get(username.strip().lower())
            if acc is None:
                raise KeyError(username)
            return acc["username"], acc["password"]

    def demo_usernames(self) -> list[str]:
        with self.state.lock:
            return [a["username"] for a in self.state.accounts.values()]
