"""What covers the page, decided as a person sees it: consent by its words (a plain fixed div, a shadow
root), informative dialogs closed and noted, anything else a stop for a person, never clicked through.

Every overlay here is hand-written, unlike the replica's markup: no vendor id or class, no dialog role
unless the case is about one, and element kinds the replica does not use (spans with onclick, <dialog>,
<section>, <aside>, shadow roots).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

from assistant.config import Settings, Timeouts
from assistant.errors import NeedsHuman, Obstructed
from assistant.pages import consent, dialogs
from assistant.pages.base import PortalPage

SETTINGS = Settings(base_url="http://127.0.0.1:9/commune/espace-citoyens/",
                    timeouts=Timeouts(action=2_000, navigation=3_000, wait_modal=3_000))
# every click of the page is recorded: the control's words, in order
RECORD = ("document.addEventListener('click', e => { const c = e.target.closest('button,a,span,[onclick],label,input');"
          " if (c) (window.clicks = window.clicks || []).push((c.getAttribute('aria-label') || c.innerText || c.value"
          " || '').trim()); }, true);")
GONE = "this.closest('[data-o]').remove()"
PAGE = ("<header style='position:fixed;top:0;left:0;right:0;height:70px;background:#eee'><a href='#'>Accueil</a>"
        " <a href='#'>Politique de confidentialité</a></header>"
        "<main style='padding-top:90px'><h1>Mon espace</h1><p>Votre espace famille.</p>"
        "<button id='go' onclick='window.done = true'>MODIFIER</button></main>")


class AnyPage(PortalPage):
    TITLE = "page d’essai"


def serve(page: Page, overlay: str, content: str = PAGE) -> AnyPage:
    """The page at a portal address (its origin tells the portal's links from those that leave it)."""
    html = f"<html lang='fr'><body style='margin:0'>{content}{overlay}<script>{RECORD}</script></body></html>"
    page.route(SETTINGS.url("**"), lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(SETTINGS.url("Essai"))
    return AnyPage(page, SETTINGS)


def clicks(page: Page) -> list[str]:
    return page.evaluate("window.clicks || []")


def acted(page: Page) -> bool:
    return bool(page.evaluate("window.done === true"))


# -- consent, by its words only ---------------------------------------------------------------------
PLAIN_WALL = (f"<div data-o style='position:fixed;inset:0;background:rgba(0,0,0,.6)'><div style='background:#fff;"
              "margin:20vh auto;width:420px;padding:16px'><p>Nous déposons des traceurs pour la mesure d’audience.</p>"
              f"<span onclick=\"{GONE}\">Accepter</span> <span onclick=\"{GONE}\">Je refuse</span></div></div>")
PLAIN_STRIP = ("<div data-o style='position:fixed;left:0;right:0;bottom:0;height:90px;background:#fff'>"
               "<p>Ce site utilise des cookies.</p>"
               f"<b role='button' tabindex='0' onclick=\"{GONE}\">Tout accepter</b> "
               f"<b role='button' tabindex='0' onclick=\"{GONE}\">Tout refuser</b></div>")
SHADOW = ("<div id='h'></div><script>(() => { const root = document.getElementById('h').attachShadow({mode: 'open'});"
          "root.innerHTML = `<style>.b{position:fixed;inset:auto 0 0 0;height:40vh;background:#fff}</style>"
          "<div class='b'><p>Vos données personnelles et nos partenaires : votre vie privée compte.</p>"
          "<button class='a'>OK pour moi</button><button class='r'>Continuer sans accepter</button></div>`;"
          "root.querySelectorAll('button').forEach(b => b.onclick = () => document.getElementById('h').remove());"
          "})();</script>")


@pytest.mark.parametrize(("overlay", "said"), [(PLAIN_WALL, "Je refuse"), (PLAIN_STRIP, "Tout refuser"),
                                               (SHADOW, "Continuer sans accepter")],
                         ids=["plain-wall", "plain-strip", "shadow-root"])
def test_a_consent_overlay_known_by_its_words_only_is_refused(page: Page, overlay, said):
    portal = serve(page, overlay)
    portal.click("MODIFIER")
    assert acted(page)
    if overlay is not SHADOW:  # (a click inside a shadow root is seen by the page as one on its host)
        assert clicks(page) == [said, "MODIFIER"]
    (note,) = consent.notes(page.context)
    assert note.startswith(f"« {said} » sur le bandeau « ")
    assert dialogs.notes(page.context) == []


def test_a_consent_overlay_without_refusal_is_closed_with_fermer_never_accepted(page: Page):
    overlay = (f"<aside data-o style='position:fixed;inset:10vh 20vw;background:#fff'><p>Ce portail utilise des "
               f"cookies.</p><span onclick=\"{GONE}\">J’accepte</span> <span onclick=\"{GONE}\">Accepter</span> "
               f"<span aria-label='Fermer' onclick=\"{GONE}\">✕</span></aside>")
    portal = serve(page, overlay)
    portal.click("MODIFIER")
    assert clicks(page) == ["Fermer", "MODIFIER"]
    assert consent.notes(page.context)[0].startswith("« Fermer » sur le bandeau « Ce portail utilise des cookies.")


def test_a_consent_overlay_offering_only_to_accept_stops_the_run_unaccepted(page: Page):
    overlay = (f"<div data-o style='position:fixed;inset:0;background:#fff'><p>Ce site utilise des cookies.</p>"
               f"<span onclick=\"{GONE}\">OK pour moi</span></div>")
    portal = serve(page, overlay)
    with pytest.raises(NeedsHuman, match=r"bandeau de cookies .*« OK pour moi ».*« Ce site utilise des cookies") as err:
        portal.click("MODIFIER")
    assert (err.value.outcome, clicks(page), acted(page)) == ("needs_human", [], False)
    assert "n’accepte jamais" in err.value.message


# -- informative dialogs ----------------------------------------------------------------------------
NEWS = "Nouveauté : le paiement par prélèvement arrive dans votre espace."
CLOSING = "Information : fermeture des services le 24 décembre."
INFOS = {
    "div-jai-compris": (f"<div data-o style='position:fixed;inset:0;background:rgba(0,0,0,.4)'><section "
                        f"style='background:#fff;width:50%;margin:25vh auto'><p>{NEWS}</p>"
                        f"<span onclick=\"{GONE}\">J’ai compris</span></section></div>", "J’ai compris"),
    "dialog-fermer": (f"<dialog id='d' data-o><p>{CLOSING}</p><form method='dialog'><button>Fermer</button></form>"
                      "</dialog><script>document.getElementById('d').showModal()</script>", "Fermer"),
    "alertdialog-x-and-ok": ("<div data-o role='alertdialog' aria-modal='true' style='position:fixed;top:30%;left:30%;"
                             f"background:#fff'><p>{NEWS}</p><a href='#' aria-label='Fermer' onclick=\"{GONE}\">×</a>"
                             f" <button onclick=\"{GONE}\">OK</button> <a href='/aide/nouveautes'>En savoir plus</a>"
                             "</div>", "Fermer"),
}


@pytest.mark.parametrize("case", sorted(INFOS))
def test_an_informative_dialog_is_closed_noted_and_the_action_goes_on(page: Page, case):
    overlay, said = INFOS[case]
    portal = serve(page, overlay)
    portal.click("MODIFIER")
    assert acted(page)
    (note,) = dialogs.notes(page.context)
    assert note.startswith(f"« {CLOSING if case == 'dialog-fermer' else NEWS}")
    assert note.endswith(f"(bouton « {said} »)")
    assert consent.notes(page.context) == []


def test_an_informative_dialog_that_does_not_go_is_named(page: Page):
    overlay = f"<div data-o style='position:fixed;inset:0;background:#fff'><p>{NEWS}</p><button>J’ai compris</button></div>"
    portal = serve(page, overlay)
    with pytest.raises(Obstructed, match="restée affichée après « J’ai compris »"):
        portal.click("MODIFIER")
    assert not acted(page)


# -- what a person must answer ----------------------------------------------------------------------
def _box(inner: str, *, role: str = "") -> str:
    return (f"<div data-o {role} style='position:fixed;inset:15vh 25vw;background:#fff;padding:12px'>{inner}</div>")


BLOCKING = {
    "off-site-link": (_box(f"<p>{NEWS}</p><a href='https://ailleurs.example/inscription'>S’inscrire</a> "
                           f"<button onclick=\"{GONE}\">Fermer</button>"), "choix"),
    "two-buttons": (_box(f"<p>{NEWS}</p><button onclick=\"{GONE}\">Découvrir</button> "
                         f"<button onclick=\"{GONE}\">Plus tard</button>"), "« Découvrir », « Plus tard »"),
    "ok-and-continue": (_box(f"<p>{NEWS}</p><button onclick=\"{GONE}\">OK</button> "
                             f"<button onclick=\"{GONE}\">Continuer</button>"), "choix"),
    "question": (_box(f"<p>Voulez-vous recevoir vos factures par courrier ?</p><button onclick=\"{GONE}\">OK</button>"),
                 "choix"),
    "field": (_box("<p>Merci de mettre à jour votre adresse.</p><label>Adresse <input name='a'></label>"
                   f"<button onclick=\"{GONE}\">Enregistrer</button>", role="role='dialog'"), "à remplir"),
    "survey": (_box("<h2>Donnez-nous votre avis</h2><label><input type='radio' name='n'> Satisfait</label>"
                    "<label><input type='radio' name='n'> Pas satisfait</label>"
                    f"<button onclick=\"{GONE}\">Envoyer</button>"), "questionnaire"),
    "attestation": (_box("<p>J’atteste sur l’honneur l’exactitude des informations de mon dossier.</p>"
                         "<label><input type='checkbox'> Je certifie</label>"
                         f"<button onclick=\"{GONE}\">Valider</button>"), "attester"),
    "second-factor": (_box("<p>Saisissez le code de vérification reçu par SMS.</p>"
                           "<label>Code <input inputmode='numeric'></label>"
                           f"<button onclick=\"{GONE}\">Vérifier</button>"), "code de vérification"),
}


@pytest.mark.parametrize("case", sorted(BLOCKING))
def test_anything_else_over_the_page_stops_for_a_person_unclicked(page: Page, case):
    overlay, said = BLOCKING[case]
    portal = serve(page, overlay)
    with pytest.raises(NeedsHuman, match=said) as err:
        portal.click("MODIFIER")
    assert (err.value.outcome, err.value.control, clicks(page), acted(page)) == ("needs_human", "MODIFIER", [], False)
    assert "« MODIFIER »" in err.value.message and err.value.next_action.startswith("La famille")
    assert dialogs.notes(page.context) == [] and consent.notes(page.context) == []


# -- what is not in the way ---------------------------------------------------------------------------
@pytest.mark.parametrize("frame", [
    f"<div style='position:fixed;inset:0;overflow:auto'>{PAGE}<form><label>Recherche <input></label></form></div>",
    ("<nav style='position:fixed;top:0;left:0;right:0;height:60px'><a href='#'>Accueil</a></nav>"
     "<div style='position:fixed;top:60px;bottom:0;left:0;right:0;overflow:auto'><h1>Mon espace</h1>"
     "<p>Cookies : voir nos mentions.</p><button aria-label='Fermer le menu'>×</button><label>Recherche <input>"
     "</label><button id='go' onclick='window.done = true'>MODIFIER</button></div>"),
], ids=["whole-page", "header-and-content"])
def test_a_page_laid_out_in_fixed_frames_has_nothing_over_it(page: Page, frame):
    portal = serve(page, "", content=frame)
    assert AnyPage(page, SETTINGS).clear_overlays() is False  # no control announced: the page as a whole
    portal.click("MODIFIER")
    assert (acted(page), clicks(page)) == (True, ["MODIFIER"])


def test_the_dialog_holding_the_control_is_the_pages_own(page: Page):
    own = ("<div role='dialog' aria-modal='true' style='position:fixed;inset:20vh 30vw;background:#fff'>"
           "<label>Commentaire <input></label><button onclick='window.done = true'>VALIDER</button></div>")
    portal = serve(page, own)
    portal.click("VALIDER")
    assert acted(page)


def test_an_overlay_in_the_way_of_the_click_only_is_sorted_too(page: Page):
    # not fixed, no role: found when it intercepts the click, then closed as the informative dialog it is
    content = PAGE + (f"<div data-o style='position:absolute;top:0;left:0;width:100%;height:2000px;background:#fffe'>"
                      f"<p>{NEWS}</p><span onclick=\"{GONE}\">J’ai compris</span></div>")
    portal = serve(page, "", content=content)
    portal.click("MODIFIER")
    assert acted(page)
    assert dialogs.notes(page.context)[0].startswith(f"« {NEWS}")


def test_a_normal_page_costs_one_look(page: Page, monkeypatch):
    portal = serve(page, "")
    calls = []
    for name in ("count", "evaluate", "evaluate_all", "is_visible", "all"):
        original = getattr(Locator, name)
        monkeypatch.setattr(Locator, name, lambda self, *a, _n=name, _o=original, **k: calls.append(_n) or _o(
            self, *a, **k))
    assert portal.clear_overlays(wait_modal=True) is False
    assert calls == ["evaluate_all"]
    assert page.locator("[data-assistant-overlay]").count() == 0


def test_a_backdrop_with_nothing_to_answer_is_left_to_the_clicks_own_wait(page: Page):
    fading = ("<div id='b' style='position:fixed;inset:0;background:rgba(0,0,0,.3)'></div>"
              "<script>setTimeout(() => document.getElementById('b').remove(), 400)</script>")
    portal = serve(page, fading)
    portal.click("MODIFIER")
    assert acted(page)
    assert dialogs.notes(page.context) == []
