"""The page objects on hand-written markup they have never seen: other ids, classes, structure,
the same French labels (as another tenant or a portal update could serve). Served with
``page.route`` on a loopback address nothing listens on."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from assistant.config import Settings, Timeouts
from assistant.errors import LoginRejected, NeedsHuman, PasswordChangeRequired
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.invoices import InvoicesPage
from assistant.pages.password_change import PasswordChangePage
from assistant.pages.recap import RecapPage

BASE = "http://127.0.0.1:9/autre-commune/espace-citoyens/"
SETTINGS = Settings(base_url=BASE, timeouts=Timeouts.for_replica()).with_credentials("dupont", "Secret-123")


def doc(body: str, script: str = "") -> str:
    return (f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Portail</title><base href='{BASE}'></head>"
            f"<body><div class='wrap'>{body}</div><script>{script}</script></body></html>")


HOME = doc("""
<div class="x-login"><h3>Accès</h3>
<form class="f1" method="post" action="Home/Logon">
  <p class="msg" role="alert" {error}>Nom d’utilisateur ou mot de passe erroné</p>
  <label>Nom d’utilisateur <input class="in-a" name="login_x" type="text"></label>
  <label>Mot&nbsp;de&nbsp;passe <input class="in-b" name="pwd_x" type="password"></label>
  <input type="submit" value="Se connecter">
</form></div>""")

DASHBOARD = doc("""
<h2 class="t">Mon&nbsp;tableau de bord</h2><div class="hello">Bonjour Monsieur DUPONT</div>
<ul><li><a href="FichePersonne/DetailPersonne?idDynamic=1">Paul DUPONT</a></li></ul>
<div class="tiles"><a class="tile" href="MonCompte"><span>MES FACTURES</span> <em>Voir et régler</em></a></div>""")

INVOICES = doc("""
<h2>Mes factures</h2>
<div><a class="adh" href="Demande/Autre/ADH">Adhésion à la facture / compte en ligne</a></div>""".replace(
    "facture / compte", "facture/compte"))

STEP1 = doc("""
<h3>Ma demande</h3>
<dl class="lecture"><dt>Souhaitez-vous adhérer à la facture en ligne&nbsp;?</dt><dd>NON</dd></dl>
<a href="#" class="m" id="go-edit">Modifier</a>
<form class="edit" method="post" action="Demande/Autre/ADH" style="display:none">
  <span id="q">« Souhaitez-vous adhérer à la facture en ligne ? »</span>
  <div role="radiogroup" aria-labelledby="q">
    <label class="sw"><input type="radio" name="r" value="1" style="opacity:0;position:absolute"> Oui</label>
    <label class="sw"><input type="radio" name="r" value="0" style="opacity:0;position:absolute"> Non</label>
  </div>
  <a href="#" id="next">Aller à l'étape&nbsp;2</a>
</form>
<div id="wait" style="display:none"><p>Patientez…</p></div>""", """
document.getElementById('go-edit').onclick = e => { e.preventDefault();
  document.querySelector('dl.lecture').style.display='none'; e.target.style.display='none';
  document.querySelector('form.edit').style.display='block'; };
document.getElementById('next').onclick = e => { e.preventDefault();
  document.getElementById('wait').style.display='block';
  setTimeout(() => document.querySelector('form.edit').submit(), 300); };""")

RECAP = doc("""
<h3>Le Récapitulatif</h3>
<table><tr><th>Souhaitez-vous adhérer à la facture en ligne ?</th><td>{answer}</td></tr></table>
<form method="post" action="Demande/Autre/ADH/Fin"><input type="submit" class="vert" value="Valider"></form>""")

CONFIRMATION = doc("""<div class="ok"><b>Votre demande a été transmise.</b>
<div>N° : <span>DEM-4471</span></div><div>État : En cours de traitement</div></div>""")

STEP1_PENDING = doc("""<h3>Ma demande</h3><div class="info">Votre demande est en attente de traitement.</div>""")

PASSWORD_CHANGE = doc("""<h4>Modifier votre mot de passe</h4>
<label>Nouveau mot de passe <input type="password" name="n1"></label>""")


class FakePortal:
    """A tiny stand-in answering by path and method; it records what was posted."""

    def __init__(self, page: Page):
        self.page = page
        self.pages: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.posts: list[tuple[str, dict]] = []
        page.route(BASE + "**", self.answer)

    def serve(self, method: str, path: str, body: str, status: int = 200, ctype: str = "text/html; charset=utf-8"):
        self.pages[(method, path)] = (status, body, ctype)

    def redirect_on_post(self, path: str, target: str):
        self.pages[("POST", path)] = (302, target, "")

    def answer(self, route: Route) -> None:
        request = route.request
        path = urlsplit(request.url).path.split("/espace-citoyens/", 1)[1]
        if request.method == "POST":
            self.posts.append((path, parse_qs(request.post_data or "")))
        status, body, ctype = self.pages.get((request.method, path), (404, doc("<h1>Introuvable</h1>"), "text/html"))
        if status == 302:
            # a fulfilled 3xx on a form POST shows Chromium's error page first: redirect in the page instead
            route.fulfill(status=200, body=doc("", f"location.replace({json.dumps(BASE + body)})"),
                          headers={"Content-Type": "text/html; charset=utf-8"})
        else:
            route.fulfill(status=status, body=body, headers={"Content-Type": ctype})


@pytest.fixture
def portal(page: Page) -> FakePortal:
    return FakePortal(page)


def test_whole_journey_on_markup_never_seen(page: Page, portal: FakePortal):
    portal.serve("GET", "Home/AccueilPublic", HOME.format(error="hidden"))
    portal.redirect_on_post("Home/Logon", "CompteCitoyen")
    portal.serve("GET", "CompteCitoyen", DASHBOARD)
    portal.serve("GET", "MonCompte", INVOICES)
    portal.serve("GET", "Demande/Autre/ADH", STEP1)
    portal.redirect_on_post("Demande/Autre/ADH", "Demande/Autre/ADH/Recap")
    portal.serve("GET", "Demande/Autre/ADH/Recap", RECAP.format(answer="OUI"))
    portal.redirect_on_post("Demande/Autre/ADH/Fin", "Demande/Autre/ADH/Merci")
    portal.serve("GET", "Demande/Autre/ADH/Merci", CONFIRMATION)

    dashboard = HomePage(page, SETTINGS).open().login(SETTINGS.username, SETTINGS.password)
    assert isinstance(dashboard, DashboardPage)
    assert portal.posts[0][1] == {"login_x": ["dupont"], "pwd_x": ["Secret-123"]}
    assert dashboard.personal_values() == ["DUPONT", "Paul DUPONT"]
    invoices = dashboard.open_invoices()
    assert isinstance(invoices, InvoicesPage)
    adhesion = invoices.open_adhesion()
    assert adhesion.current_choice() == "NON"
    form = adhesion.modify().choose(True)
    expect(form.radio("OUI")).to_be_checked()
    recap = form.go_to_step_2()
    assert isinstance(recap, RecapPage) and recap.answer() == "OUI"
    assert portal.posts[1] == ("Demande/Autre/ADH", {"r": ["1"]})
    confirmation = recap.validate()
    assert isinstance(confirmation, ConfirmationPage)
    assert confirmation.request_number() == "DEM-4471"
    assert confirmation.status() == "En cours de traitement"
    assert [p for p, _ in portal.posts].count("Demande/Autre/ADH/Fin") == 1


def test_pending_message_is_read_on_other_markup(page: Page, portal: FakePortal):
    portal.serve("GET", "Demande/Autre/ADH", STEP1_PENDING)
    page.goto(BASE + "Demande/Autre/ADH")
    assert AdhesionPage(page, SETTINGS).wait_until_here().current_choice() == "EN_ATTENTE"


def test_wrong_password_message_on_other_markup(page: Page, portal: FakePortal):
    portal.serve("GET", "Home/AccueilPublic", HOME.format(error="hidden"))
    portal.serve("POST", "Home/Logon", HOME.format(error=""))
    home = HomePage(page, SETTINGS).open()
    with pytest.raises(LoginRejected, match="erroné"):
        home.login(SETTINGS.username, SETTINGS.password)


def test_password_change_on_other_markup(page: Page, portal: FakePortal):
    portal.serve("GET", "Home/AccueilPublic", HOME.format(error="hidden"))
    portal.redirect_on_post("Home/Logon", "Compte/NouveauMotDePasse")
    portal.serve("GET", "Compte/NouveauMotDePasse", PASSWORD_CHANGE)
    home = HomePage(page, SETTINGS).open()
    with pytest.raises(PasswordChangeRequired):
        home.login(SETTINGS.username, SETTINGS.password)
    assert PasswordChangePage(page, SETTINGS).is_here()


MODAL_HOME = doc("""<h1>Bienvenue</h1><button type="button" id="open">Mon espace perso</button><div id="slot"></div>""", """
document.getElementById('open').onclick = () => {
  document.getElementById('slot').innerHTML = `<div role="dialog" aria-label="Connexion">
    <form id="fm"><label>Identifiant <input name="u"></label>
    <label>Mot de passe <input name="p" type="password"></label>
    <span class="err" role="alert" hidden></span><button>Connexion</button></form></div>`;
  document.getElementById('fm').onsubmit = e => { e.preventDefault();
    fetch('Home/LogonAjax', {method: 'POST', body: new URLSearchParams(new FormData(e.target))})
      .then(r => r.json()).then(j => { const s = document.querySelector('.err');
        s.textContent = j.Message; s.hidden = false; }); };
};""")


@pytest.mark.parametrize("message", [
    "Votre compte est bloqué. Contactez la mairie.",
    "Trop de tentatives : réessayez plus tard ou contactez le service.",
])
def test_blocked_account_needs_a_human(page: Page, portal: FakePortal, message):
    portal.serve("GET", "Home/AccueilPublic", MODAL_HOME)
    portal.serve("POST", "Home/LogonAjax", json.dumps({"Status": "KO", "Message": message}), ctype="application/json")
    home = HomePage(page, SETTINGS).open()
    with pytest.raises(NeedsHuman, match="bloqué"):
        home.login(SETTINGS.username, SETTINGS.password)
    expect(page.get_by_role("alert")).to_have_text(message)


def test_external_sso_needs_a_human(page: Page, portal: FakePortal):
    portal.serve("GET", "Home/AccueilPublic", doc(
        "<h1>Espace Citoyens</h1><p><a href='https://connect.grandlyon.example/authorize'>Se connecter avec "
        "Grand Lyon Connect</a></p>"))
    home = HomePage(page, SETTINGS).open()
    with pytest.raises(NeedsHuman, match="service extérieur"):
        home.login(SETTINGS.username, SETTINGS.password)


def test_captcha_at_login_needs_a_human(page: Page, portal: FakePortal):
    portal.serve("GET", "Home/AccueilPublic", HOME.format(error="hidden").replace(
        "<input type=\"submit\"", "<label><input type=checkbox> Je ne suis pas un robot</label><input type=\"submit\""))
    home = HomePage(page, SETTINGS).open()
    with pytest.raises(NeedsHuman, match="captcha"):
        home.login(SETTINGS.username, SETTINGS.password)
    assert portal.posts == []
