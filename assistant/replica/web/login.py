"""Public home and login, both generations [seen]: ``Home/Logon`` (classic form) and
``Home/RecupererModaleConnexion`` + ``Home/LogonAjax`` (modal, JSON); forced password change,
log off, session extension."""

from __future__ import annotations

from flask import Blueprint, g, request

from ..portal import SESSION_COOKIE, portal

bp = Blueprint("login", __name__)


@bp.get("/home/accueilpublic")
@bp.get("/home/logon")
def accueil_public(error: str = "", status: int = 200):
    p = portal()
    style = "classic" if g.route.lower() == "home/logon" else p.login_style
    return_url = g.query.get("returnurl", "") if request.method == "GET" else (g.get("form") or {}).get("ReturnUrl", "")
    return p.render("accueil_public.html", status=status, erreur=error, style=style, return_url=return_url)


def _safe_return(url: str) -> str | None:
    base = portal().base
    return url if url.lower().startswith(base.lower()) and "//" not in url[1:] else None


def _login(username: str, password: str) -> tuple[str, str | None]:
    """Open a session if the credentials are right: (status, the session's id or None)."""
    p = portal()
    acc = p.state.authenticate(username, password)
    g.account = username.strip().lower() or None
    if acc is None:
        p.audit(False, False, "login refused")
        return "KO", None
    p.state.close_session(request.cookies.get(SESSION_COOKIE))
    sess = p.state.open_session(acc["username"])
    g.session = sess
    p.audit(True, False, "login")
    return ("CHANGEMENT_MDP" if acc["must_change_password"] else "OK"), sess.id


@bp.post("/home/logon")
def logon():
    p = portal()
    form = g.form
    if "username" not in form or "password" not in form:
        p.audit(False, False, "malformed: missing username/password")
        return p.error(400)
    status, sid = _login(form["username"], form["password"])
    if sid is None:
        return accueil_public(error=p.skin.words()["login_error"])
    if status == "CHANGEMENT_MDP":
        target = p.url("Home/ChangementMotDePasse")
    else:
        target = _safe_return(form.get("ReturnUrl", "")) or p.url("CompteCitoyen")
    return p.with_session(p.redirect(target), sid)


@bp.post("/home/recuperermodaleconnexion")
def modale_connexion():
    p = portal()
    p.audit(True, False, "login modal fragment")
    return p.render("modale_connexion.html")


@bp.post("/home/logonajax")
def logon_ajax():
    p = portal()
    form = g.form
    status, sid = _login(form.get("username", ""), form.get("password", ""))
    if sid is None:
        return p.json({"Status": "KO", "Message": p.skin.words()["login_error"]})
    if status == "CHANGEMENT_MDP":
        target = p.url("Home/ChangementMotDePasse")
    else:
        target = _safe_return(form.get("returnUrl", "") or form.get("ReturnUrl", "")) or p.url("CompteCitoyen")
    return p.with_session(p.json({"Status": status, "LocationHref": target}), sid)


@bp.get("/home/changementmotdepasse")
def changement_mdp(errors: list[str] | None = None):
    p = portal()
    return p.require_login() or p.render("changement_mdp.html", erreurs=errors or [])


@bp.post("/home/changementmotdepasse")
def changement_mdp_post():
    p = portal()
    denied = p.require_login()
    if denied:
        p.audit(False, False, "no session")
        return denied
    old, new, confirm = (g.form.get(k, "") for k in ("ancienMotDePasse", "nouveauMotDePasse", "confirmationMotDePasse"))
    username = g.session.username
    errors = []
    if p.state.authenticate(username, old) is None:
        errors.append("Le mot de passe actuel est incorrect.")
    if len(new) < 8 or new.isalpha() or new.isdigit():
        errors.append("Le nouveau mot de passe doit contenir au moins 8 caractères, dont des lettres et des chiffres.")
    elif new == old:
        errors.append("Le nouveau mot de passe doit être différent de l’ancien.")
    if new != confirm:
        errors.append("La confirmation ne correspond pas au nouveau mot de passe.")
    if errors:
        p.audit(False, False, "password change refused")
        return changement_mdp(errors)
    p.state.change_password(username, new)
    p.audit(True, True, "password changed")
    return p.redirect(p.url("CompteCitoyen"))


@bp.get("/home/logoff")
def logoff():
    p = portal()
    sess = p.state.close_session(request.cookies.get(SESSION_COOKIE))
    g.session = None
    g.account = sess.username if sess else None
    p.audit(True, sess is not None, "logoff")
    return p.with_session(p.redirect(p.url("Home/AccueilPublic")), None)


@bp.get("/home/prolongersession")
def prolonger_session():
    p = portal()
    if g.session is None:
        return p.error(500)
    return p.json({"Status": "OK"})
