"""Private pages [seen routes]: the dashboard ``CompteCitoyen``, ``CompteCitoyen/MesDemandes``,
``FichePersonne/DetailPersonne?idDynamic=N``."""

from __future__ import annotations

from flask import Blueprint, g

from ..portal import portal

bp = Blueprint("private", __name__)


@bp.get("/comptecitoyen")
def tableau_de_bord():
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    unpaid = sum(1 for inv in p.state.account(g.session.username)["invoices"] if not inv["paid"])
    return p.render("tableau_de_bord.html", a_payer=unpaid)


@bp.get("/comptecitoyen/mesdemandes")
def mes_demandes():
    p = portal()
    return p.require_login() or p.render("mes_demandes.html")


@bp.get("/fichepersonne/detailpersonne")
def detail_personne():
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    members = p.state.account(g.session.username)["members"]
    member = next((m for m in members if str(m["idDynamic"]) == g.query.get("iddynamic")), None)
    if member is None:
        return p.error(404)
    return p.render("detail_personne.html", membre=member)
