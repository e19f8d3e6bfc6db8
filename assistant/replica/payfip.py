"""A local stand-in for the State's PayFiP page, and the portal's side of the payment hand-off.

PayFiP [seen URL shape]: ``/tpa/paiement.web?numcli=…&exer=…&refdet=…&objet=…&montant=…&mel=…
&urlcl=…&saisie=…`` (``montant`` in cents; ``saisie`` T = test, X = activation, W = production).
The stand-in serves that path on the replica's own origin and accepts the test mode only
(``saisie=T``). It shows the card fields, « Valider » and « Annuler »; a person's « Valider »
records a test transaction and sends the browser back to ``urlcl`` with PayFiP's result
parameters (``resultrans`` P paid / A abandoned, ``numauto``, ``dattrans``, ``heurtrans``).

The portal's side [guess] lives in web/invoices.py: « Payer » on « Mes factures » is
``MonCompte/PayerFacture?IdFactureUnique=ID``, which redirects to PayFiP; PayFiP's return is
``MonCompte/RetourPaiement``, which marks the invoice paid only for a transaction the stand-in really
recorded (as the real portal checks with PayFiP, see :func:`mark_paid`), then shows « Mes factures ».

Like the rest of the replica, nothing here imports the assistant. Card numbers are never stored:
a transaction only remembers whether the card fields were filled in.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from .formats import remaining

PATH = "/tpa/paiement.web"
PARAMS = ("numcli", "exer", "refdet", "objet", "montant", "mel", "urlcl", "saisie")
NUMCLI = "024301"  # fictional PayFiP client number of the replica's collectivité
RETURN_ROUTE = "MonCompte/RetourPaiement"
# (status, body, content type, headers): web/payfip.py wraps it into a Flask Response
Answer = tuple[int, bytes, str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Transaction:
    """One test transaction as PayFiP would report it to the collectivité."""

    numauto: str
    refdet: str
    montant: int
    result: str  # "P" paid, "A" abandoned
    card_filled: bool
    when: str


class PayfipStandIn:
    """PayFiP's payment page in test mode, on loopback (thread-safe)."""

    def __init__(self, env) -> None:
        self.env = env  # the replica's Jinja2 environment (fixtures/pages)
        self.lock = threading.Lock()
        self.transactions: list[Transaction] = []

    # -- HTTP (the Flask view in web/payfip.py passes the request's data in) -----------------
    def handle(self, method: str, query: dict[str, str], form: dict[str, str] | None, host: str) -> Answer:
        """Answer ``GET``/``POST /tpa/paiement.web``; ``form`` None when the POST body is unreadable."""
        if method == "GET":
            params = {k: v for k, v in query.items() if k in PARAMS}
            problem = self._check(params, host)
            if problem:
                return self._page(400, erreur=problem)
            return self._page(200, params=params)
        if form is None:
            return self._page(400, erreur="Formulaire illisible.")
        params = {k: form.get(k, "") for k in PARAMS}
        problem = self._check(params, host)
        if problem:
            return self._page(400, erreur=problem)
        action = form.get("action", "")
        if action not in ("valider", "annuler"):
            return self._page(400, erreur="Choisissez « Valider » ou « Annuler ».")
        card_filled = any(form.get(k, "").strip() for k in ("numcarte", "dateexp", "cvv"))
        now = datetime.now()
        tx = Transaction(numauto=f"T{secrets.token_hex(3).upper()}", refdet=params["refdet"],
                         montant=int(params["montant"]), result="P" if action == "valider" else "A",
                         card_filled=card_filled, when=now.isoformat(timespec="seconds"))
        with self.lock:
            self.transactions.append(tx)
        back = {**{k: params[k] for k in PARAMS if k != "urlcl"}, "resultrans": tx.result,
                "numauto": tx.numauto if tx.result == "P" else "", "dattrans": now.strftime("%d%m%Y"),
                "heurtrans": now.strftime("%H%M")}
        sep = "&" if "?" in params["urlcl"] else "?"
        return 303, b"", "text/html; charset=utf-8", [("Location", params["urlcl"] + sep + urlencode(back))]

    def not_found(self) -> Answer:
        return self._page(404, erreur="Page introuvable.")

    def _check(self, p: dict[str, str], host: str) -> str:
        missing = [k for k in PARAMS if not p.get(k)]
        if missing:
            return f"Paramètres manquants : {', '.join(missing)}."
        if p["saisie"] != "T":
            return "Cette page de démonstration n’accepte que le mode test (saisie=T)."
        if not (p["numcli"].isdigit() and len(p["numcli"]) == 6 and p["exer"].isdigit() and len(p["exer"]) == 4):
            return "Collectivité ou exercice invalide."
        if not p["montant"].isdigit() or int(p["montant"]) <= 0:
            return "Montant invalide."
        url = urlsplit(p["urlcl"])
        host = host.lower()
        # the stand-in only sends people back to the replica itself (no open redirect)
        if url.scheme not in ("http", "https") or url.netloc.lower() != host:
            return "Adresse de retour invalide."
        return ""

    def _page(self, status: int, *, erreur: str = "", params: dict[str, str] | None = None) -> Answer:
        params = params or {}
        montant = ""
        if params.get("montant", "").isdigit():
            cents = int(params["montant"])
            montant = f"{cents // 100:,}".replace(",", "\u00a0") + f",{cents % 100:02d}\u00a0€"
        body = self.env.get_template("payfip_paiement.html").render(
            erreur=erreur, p=params, montant=montant, champs=[k for k in PARAMS]).encode("utf-8")
        return status, body, "text/html; charset=utf-8", [("Cache-Control", "no-store")]

    # -- what the collectivité can ask ---------------------------------------------------
    def transaction(self, numauto: str) -> Transaction | None:
        with self.lock:
            return next((t for t in self.transactions if t.numauto == numauto and t.result == "P"), None)


def cents(amount: str) -> int:
    """``"1234.56"`` -> ``123456``."""
    return int((Decimal(amount) * 100).to_integral_value())


def mark_paid(state, number: str, amount_cents: int) -> tuple[str | None, bool]:
    """Mark invoice ``number`` paid if what was left to pay on it matches: (account, changed now)."""
    with state.changing() as accounts:
        for username, acc in accounts.items():
            for inv in acc["invoices"]:
                if inv["number"] == number and cents(str(remaining(inv) or Decimal(inv["amount"]))) == amount_cents:
                    changed = not inv["paid"]
                    inv["paid"] = True
                    return username, changed
    return None, False
