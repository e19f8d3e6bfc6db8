"""« Mes factures » [seen routes]: ``MonCompte``, ``MonCompte/DetailFacture`` (XHR fragment),
``MonCompte/TelechargerPdfFacture``; and the portal's side of the PayFiP hand-off [guess]:
``MonCompte/PayerFacture`` (302 to PayFiP) and ``MonCompte/RetourPaiement`` (PayFiP's return)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, g, request

from ..formats import remaining
from ..payfip import NUMCLI, PATH, RETURN_ROUTE, cents, mark_paid
from ..pdf import build_pdf, invoice_pdf_lines
from ..portal import portal
from .wizard import step1_values

bp = Blueprint("invoices", __name__)


@bp.get("/moncompte")
def mon_compte():
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    invoices = sorted(p.state.account(g.session.username)["invoices"],
                      key=lambda i: (i["issued"], i["IdFactureUnique"]), reverse=True)
    # the adhesion in a panel of this page (a tab, an accordion): step 1 is drawn here too
    inside = p.skin.adhesion_place in ("tab_panel", "accordion")
    return p.render("mon_compte.html", factures=invoices, erreur="", **(step1_values(p) if inside else {}))


def _invoice() -> dict | None:
    return portal().state.invoice(g.session.username, g.query.get("idfactureunique", ""))


@bp.get("/moncompte/detailfacture")
def detail_facture():
    p = portal()
    denied = p.require_login(xhr=True)
    if denied:
        return denied
    inv = _invoice()
    return p.render("detail_facture.html", facture=inv) if inv else p.error(404)


@bp.get("/moncompte/telechargerpdffacture")
def pdf_facture():
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    inv = _invoice()
    if inv is None:
        return p.error(404)
    stored = p.pdf_dir / f"{inv['number']}.pdf"
    body = stored.read_bytes() if stored.is_file() else build_pdf(*invoice_pdf_lines(inv))
    return Response(body, 200, content_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="Facture_{inv["number"]}.pdf"'})


@bp.get("/moncompte/payerfacture")
def payer():
    """An unpaid invoice of an adhering family goes to PayFiP; otherwise back to « Mes factures »."""
    p = portal()
    denied = p.require_login()
    if denied:
        return denied
    username = g.session.username
    inv = _invoice()
    if inv is None:
        return p.error(404)
    acc = p.state.account(username)
    if inv["paid"] or acc["adhesion"] != "OUI":
        return p.redirect(p.url("MonCompte"))
    origin = f"http://{request.host}"
    query = {
        "numcli": NUMCLI, "exer": inv["issued"][:4], "refdet": inv["number"],
        "objet": f"Facture {inv['number']}", "montant": str(cents(str(remaining(inv)))),
        "mel": acc["email"], "urlcl": origin + p.url(RETURN_ROUTE), "saisie": "T",
    }
    return p.redirect(origin + PATH + "?" + urlencode(query))


@bp.get("/moncompte/retourpaiement")
def retour_paiement():
    """PayFiP's return: a payment the stand-in really recorded marks the invoice paid."""
    p = portal()
    q = g.query
    if q.get("resultrans") == "P":
        tx = p.payfip.transaction(q.get("numauto", ""))
        if tx is None or tx.refdet != q.get("refdet") or str(tx.montant) != q.get("montant", ""):
            p.state.record(None, "GET", g.route, False, False, "payment return not confirmed by PayFiP")
        else:
            username, changed = mark_paid(p.state, tx.refdet, tx.montant)
            p.state.record(username, "GET", g.route, username is not None, changed,
                           f"invoice {tx.refdet} paid via PayFiP (test, {tx.numauto})")
    return p.redirect(p.url("MonCompte"))
