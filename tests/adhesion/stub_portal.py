"""A small stand-in of a portal nobody here has seen, for whole journeys on other markup.

Written by hand, unlike the replica: the login is a plain form, « Mes factures » a clickable tile
(a <div onclick> holding a counter and a sub-title), the adhesion either a tab of the invoices
page (its panel holds the question, no navigation) or a page of its own, the question answered
with a pluggable control (a drop-down list by default), a confirmation with or without a request
number. Served with ``context.route`` on a loopback address nothing listens on; it records the
forms posted. Import it as ``adhesion.stub_portal``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserContext, Route

BASE = "http://127.0.0.1:9/ville-essai/espace-citoyens/"
Q = "Souhaitez-vous adhérer à la facture en ligne ?"


def doc(body: str, script: str = "") -> str:
    return (f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Espace famille</title>"
            f"<base href='{BASE}'></head><body><div id='app'>{body}</div><script>{script}</script></body></html>")


NOT_FOUND = doc("<p>Page introuvable</p>")
HOME = doc("""<div class="cnx"><form class="f" method="post" action="Home/Logon">
<label>Identifiant <input name="u1" type="text"></label>
<label>Mot de passe <input name="p1" type="password"></label><button>Connexion</button></form></div>""")

DASHBOARD = doc("""<p class="hi">Bonjour Madame ESSAI</p><div class="grid">
<div class="tuile" onclick="location.href='MonCompte'"><img src="data:," alt=""><span class="n">2</span>
<span class="t">Mes factures</span><span class="s">Consulter et payer vos factures</span></div>
<div class="tuile" onclick="location.href='CompteCitoyen/MesDemandes'"><span class="t">Mes démarches</span></div>
</div><a href="Home/LogOff">Se déconnecter</a>""")


def read_mode(choice: str) -> str:
    """The family's answer as a badge beside the question."""
    return f"<div class='ro'><span class='k'>{Q}</span> <span class='badge'>{choice}</span></div>"


def select_form(choice: str) -> str:
    """The question as a drop-down list with a blank first option."""
    yes, no = (" selected" if choice == "Oui" else ""), (" selected" if choice == "Non" else "")
    return (f"<div class='row'><label for='adh-x'>{Q}</label><select id='adh-x' name='adh'>"
            f"<option value=''>-- Choisir --</option><option value='1'{yes}>Oui</option>"
            f"<option value='0'{no}>Non</option></select></div>")


EDIT = """document.querySelectorAll('.edit').forEach(b => b.addEventListener('click', e => {
  e.preventDefault(); document.querySelector('.ro-block').hidden = true; document.querySelector('form.saisie').hidden = false;
}));
document.querySelectorAll('[role=tab]').forEach(t => t.addEventListener('click', () => {
  document.querySelectorAll('[role=tab]').forEach(o => {
    o.setAttribute('aria-selected', String(o === t));
    document.getElementById(o.getAttribute('aria-controls')).hidden = o !== t;
  });
}));"""


@dataclass
class StubPortal:
    """Answers by path and method; ``choice`` is the family's state as the page words it (« Non »)."""

    context: BrowserContext
    choice: str = "Non"
    tab: bool = True
    number: str | None = None
    read: object = read_mode
    form: object = select_form
    posts: list[tuple[str, dict]] = field(default_factory=list)
    sent: str | None = None  # the answer posted at « Aller à l’étape 2 »

    def __post_init__(self) -> None:
        self.context.route(BASE + "**", self.answer)

    def adhesion(self) -> str:
        return (f"<div class='ro-block'>{self.read(self.choice)}<button type='button' class='edit'>Modifier</button></div>"
                f"<form class='saisie' method='post' action='Facturation/Adhesion' hidden>{self.form(self.choice)}"
                "<p><input type='submit' value=\"Aller à l'étape 2\"></p></form>")

    def invoices(self) -> str:
        rows = "<table class='fx'><tr class='compte' id='77'><td class='ligneCompte'>Cantine avril</td></tr></table>"
        if not self.tab:
            return doc(f"<h2>Mon compte</h2>{rows}<p><a href='Facturation/Adhesion'>Adhésion à la facture/compte en ligne</a></p>")
        return doc(f"""<div role="tablist"><button role="tab" aria-selected="true" aria-controls="pa">Mes factures</button>
<button role="tab" aria-selected="false" aria-controls="pb">Adhésion à la facture/compte en ligne</button></div>
<div role="tabpanel" id="pa">{rows}</div><div role="tabpanel" id="pb" hidden>{self.adhesion()}</div>""", EDIT)

    def page(self, method: str, path: str, form: dict) -> tuple[str, str | None]:
        """(body, or the path to redirect to)."""
        if path == "Home/AccueilPublic":
            return HOME, None
        if (method, path) == ("POST", "Home/Logon"):
            return "", "CompteCitoyen"
        if path == "CompteCitoyen":
            return DASHBOARD, None
        if path == "MonCompte":
            return self.invoices(), None
        if (method, path) == ("GET", "Facturation/Adhesion") and not self.tab:
            return doc(self.adhesion(), EDIT), None
        if (method, path) == ("POST", "Facturation/Adhesion"):
            self.sent = "OUI" if form.get("adh") == ["1"] else "NON"
            return "", "Facturation/Adhesion/Verif"
        if path == "Facturation/Adhesion/Verif":
            return doc(f"<table><tr><td>{Q}</td><td>{self.sent}</td></tr></table>"
                       "<form method='post' action='Facturation/Adhesion/Envoi'><button class='ok'>VALIDER</button></form>"), None
        if (method, path) == ("POST", "Facturation/Adhesion/Envoi"):
            self.choice = "Oui" if self.sent == "OUI" else self.choice
            return "", "Facturation/Adhesion/Fin"
        if path == "Facturation/Adhesion/Fin":
            number = f"<p>Référence : {self.number}</p>" if self.number else ""
            return doc(f"<div class='fin'><p>Votre demande a bien été enregistrée.</p>{number}</div>"), None
        return NOT_FOUND, None

    def answer(self, route: Route) -> None:
        request = route.request
        path = urlsplit(request.url).path.split("/espace-citoyens/", 1)[1]
        form = parse_qs(request.post_data or "") if request.method == "POST" else {}
        if request.method == "POST":
            self.posts.append((path, form))
        body, target = self.page(request.method, path, form)
        if target is not None:  # a redirect after a POST, done in the page (a fulfilled 3xx shows an error first)
            body = doc("", f"location.replace({json.dumps(BASE + target)})")
        route.fulfill(status=200 if body != NOT_FOUND else 404, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
