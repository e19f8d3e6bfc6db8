"""``/tpa/paiement.web``: the State's PayFiP page in test mode, same loopback origin (stand-in)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Response, g, request

from ..portal import portal

bp = Blueprint("payfip", __name__, url_prefix="/tpa")


def _answer(answer) -> Response:
    status, body, ctype, headers = answer
    return Response(body, status, content_type=ctype, headers=headers)


@bp.route("/paiement.web", methods=["GET", "POST"])
def paiement():
    standin = portal().payfip
    form = None
    if request.method == "POST" and not request.environ.get("replica.malformed"):
        try:
            form = dict(parse_qsl(request.get_data().decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            form = None
    return _answer(standin.handle(request.method, g.query, form, request.host))


@bp.route("/<path:rest>", methods=["GET", "POST"])
def ailleurs(rest: str):
    return _answer(portal().payfip.not_found())
