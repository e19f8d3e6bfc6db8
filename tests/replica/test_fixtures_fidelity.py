"""Rendered pages checked against the public facts of docs/portal.md, with the stdlib HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from replica_helpers import WIZARD, Client

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


class Tree(HTMLParser):
    """Flat list of elements: (tag, attrs, text directly and deeply inside, parent tags)."""

    VOID = {"input", "img", "br", "meta", "link", "hr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": [e["tag"] for e in self.stack]}
        self.elements.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data

    def find(self, tag=None, **attrs) -> list[dict]:
        def ok(el):
            if tag and el["tag"] != tag:
                return False
            for k, v in attrs.items():
                k = k.rstrip("_")
                if k == "cls":
                    if v not in el["attrs"].get("class", "").split():
                        return False
                elif el["attrs"].get(k) != v:
                    return False
            return True
        return [el for el in self.elements if ok(el)]

    def one(self, tag=None, **attrs) -> dict:
        found = self.find(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]


def text(el: dict) -> str:
    return " ".join(el["text"].split())


def test_classic_login_form(shared):
    page = Tree(Client(shared).get("Home/AccueilPublic").text)
    form = page.one("form", id="idFormConnexion")
    assert form["attrs"]["action"] == "/grandperigueux/espace-citoyens/Home/Logon"
    assert form["attrs"]["method"] == "post"
    assert page.find("form")[0] is form  # woob's LoginPage submits the first form of the page
    assert page.one("input", id="username")["attrs"]["name"] == "username"
    assert page.one("input", id="password")["attrs"]["name"] == "password"
    assert page.one("input", id="password")["attrs"]["type"] == "password"
    token = page.one("input", name="__RequestVerificationToken")
    assert token["attrs"]["type"] == "hidden" and token["attrs"]["value"]
    assert text(page.one("button", type="submit")) == "Connexion"


def test_login_error_span_has_exact_class(shared):
    page = Tree(Client(shared).login(password="x").text)
    span = page.one("span", class_="erreurLogin")  # woob matches @class="erreurLogin" exactly
    assert text(span) == "Identifiant ou mot de passe incorrect."


def test_invoice_rows_and_detail_ids(shared):
    c = Client(shared)
    c.login()
    page = Tree(c.get("MonCompte").text)
    rows = page.find("tr", class_="compte")  # woob matches @class="compte" exactly
    assert [r["attrs"]["id"] for r in rows] == ["481203", "481202", "481201", "481204"]
    first_cells = page.find("td", cls="ligneCompte")[::8]
    assert [text(el) for el in first_cells][:2] == ["Séjour d’hiver - février 2026", "Restauration scolaire - janvier 2026"]
    assert [text(el) for el in page.find(class_="numero_facture")] == ["260103", "260102", "260101", "251201"]
    assert text(page.one("h1")) == "Mes factures"
    link = page.one("a", href="/grandperigueux/espace-citoyens/Demande/NouvelleDemande/FACTURE/ADHESION")
    assert text(link) == "Adhésion à la facture/compte en ligne"
    detail = Tree(c.get("MonCompte/DetailFacture?IdFactureUnique=481202").text)
    assert text(detail.one(id="hDetailFacture_Facture")) == "Facture - 260102 - Restauration scolaire - janvier 2026"
    assert text(detail.one(id="spanDetailFacture_DatEmissionFacture")) == "31/01/2026"
    assert detail.one(id="spanDetailFacture_MntTotalFacture")["text"] == "0,50\u00a0€"
    assert text(detail.one(id="spanDetailFacture_DatLimitePaiementFacture")) == "28/02/2026"


def test_dashboard_facts(shared):
    c = Client(shared)
    c.login()
    page = Tree(c.get("CompteCitoyen").text)
    assert "Bonjour Madame MARTIN" in text(page.one("p", cls="salutation"))
    members = [a for a in page.find("a") if "FichePersonne/DetailPersonne?idDynamic=" in a["attrs"].get("href", "")]
    assert len(members) == 4
    assert {el["attrs"]["src"].rsplit("/", 1)[1] for el in page.find("img")} == {
        "pere.png", "mere.png", "garcon.png", "fillette.png"}
    assert len(page.find("div", cls="dalle")) == 3
    menu = [text(a) for a in page.find("a") if "nav" in a["parents"]]
    assert menu == ["Mes factures", "Mes démarches", "Déconnexion"]
    assert text(page.one(id="divPatientez")) == "Merci de patienter..."
    assert text(page.one("button", type="button")) == "Prolonger ma session"


def test_wizard_chrome(shared):
    c = Client(shared)
    c.login()
    step1 = Tree(c.get(WIZARD).text)
    assert text(step1.one("button", cls="btnModifier")) == "MODIFIER"
    assert text(step1.one("legend")) == "Souhaitez-vous adhérer à la facture en ligne ?"
    for value in ("OUI", "NON"):
        radio = step1.one("input", type="radio", value=value)
        assert radio["attrs"]["name"] == "AdhesionFactureEnLigne"
        assert text(step1.one("label", **{"for": radio["attrs"]["id"]})) == value
        assert "fieldset" in radio["parents"]
    step2 = [el for el in step1.elements if text(el) == "Aller à l’étape 2" and el["tag"] not in ("p", "form", "main", "body", "html")]
    assert [el["tag"] for el in step2] == ["a"]  # an <a>, not a button
    wid, resp = c.answer("NON")
    recap = Tree(resp.text)
    assert "Le récapitulatif" in [text(h) for h in recap.find("h2")]
    button = recap.one("button", cls="btn-style3", type="submit")
    assert text(button) == "VALIDER" and button["attrs"]["type"] == "submit"
    form = recap.one("form", cls="formValidation")
    assert form["attrs"]["method"] == "post"
    assert recap.one("input", name="IdDemarche")["attrs"]["value"] == wid
    assert recap.one("input", name="__RequestVerificationToken")["attrs"]["value"]


def test_every_form_carries_a_token(shared):
    c = Client(shared)
    c.login()
    for path in ("Home/AccueilPublic", WIZARD):
        page = Tree(c.get(path).text)
        for form in page.find("form"):
            if form["attrs"].get("method") == "post":
                assert page.find("input", name="__RequestVerificationToken")


def test_no_test_hooks_in_fixtures():
    offenders = [p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".css", ".json", ".md"}
                 and "data-testid" in p.read_text(encoding="utf-8").replace("`data-testid`", "")]
    assert offenders == []


def test_templates_are_french_and_autoescaped(shared):
    c = Client(shared)
    html = c.login(username="<script>x</script>", password="x").text
    assert "<script>x</script>" not in html
    assert '<html lang="fr">' in html
