"""Cookie-consent overlays in front of the page: refused (or closed), never accepted, noted.

The overlays imitate the public markup of common consent managers and a home-made banner; they
cover the whole page, so a click underneath cannot happen until they are gone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from assistant.config import Settings, Timeouts
from assistant.errors import NeedsHuman
from assistant.pages import consent
from assistant.pages.base import PortalPage

SETTINGS = Settings(base_url="http://127.0.0.1:9/commune/espace-citoyens/",
                    timeouts=Timeouts(action=2_000, navigation=3_000, wait_modal=3_000))
COVER = "position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:1000"
CHOICE = ("document.querySelectorAll('[data-choice]').forEach(b => b.addEventListener('click', () => {"
          "window.choice = b.dataset.choice; b.closest('[data-root]').remove(); }));")

TARTEAUCITRON = f"""<div id="tarteaucitronRoot" data-root style="{COVER}"><div id="tarteaucitronAlertBig">
<span>Ce site utilise des cookies et vous donne le contrôle sur ce que vous souhaitez activer</span>
<button id="tarteaucitronPersonalize2" data-choice="accept">✓ Tout accepter</button>
<button id="tarteaucitronAllDenied2" data-choice="deny">✗ Tout refuser</button>
<button id="tarteaucitronCloseAlert" data-choice="custom">Personnaliser</button></div></div>"""

AXEPTIO_SHADOW = f"""<div id="axeptio_overlay" data-root style="{COVER}"></div><script>
const host = document.getElementById('axeptio_overlay'); const root = host.attachShadow({{mode: 'open'}});
root.innerHTML = `<div class="axeptio_widget"><p>Ce site utilise des traceurs pour mesurer l’audience.</p>
<button class="axeptio_btn_acceptAll">OK pour moi</button><button class="axeptio_btn_dismiss">Non merci</button></div>`;
root.querySelector('.axeptio_btn_acceptAll').onclick = () => {{ window.choice = 'accept'; host.remove(); }};
root.querySelector('.axeptio_btn_dismiss').onclick = () => {{ window.choice = 'deny'; host.remove(); }};
</script>"""

DIDOMI = f"""<div id="didomi-host" data-root><div id="didomi-popup" style="{COVER}" role="dialog" aria-label="Consentement">
<p>Nous et nos partenaires utilisons des cookies pour améliorer votre expérience.</p>
<button data-choice="accept">Accepter &amp; Fermer</button>
<button class="didomi-continue-without-agreeing" data-choice="deny">Continuer sans accepter →</button>
<button data-choice="more">En savoir plus</button></div></div>"""

HOME_MADE = f"""<div class="bandeau-cookies" data-root style="{COVER}"><p>Nous utilisons des cookies de mesure d’audience.</p>
<a href="#" data-choice="accept">J’accepte</a><button aria-label="Fermer" data-choice="close">×</button></div>"""

FORM = "<form onsubmit='return false'><label>Identifiant <input id='u'></label><button id='go'>Connexion</button></form>"


class AnyPage(PortalPage):
    TITLE = "page d’essai"


def serve(page: Page, overlay: str) -> AnyPage:
    page.set_content(f"<html lang='fr'><body>{FORM}{overlay}<script>{CHOICE}</script></body></html>")
    return AnyPage(page, SETTINGS)


@pytest.mark.parametrize(("overlay", "choice", "said"), [
    (TARTEAUCITRON, "deny", "✗ Tout refuser"),
    (AXEPTIO_SHADOW, "deny", "Non merci"),
    (DIDOMI, "deny", "Continuer sans accepter →"),
    (HOME_MADE, "close", "Fermer"),
])
def test_a_consent_overlay_is_refused_and_the_click_goes_on(page: Page, overlay, choice, said):
    portal = serve(page, overlay)
    page.fill("#u", "quelqu’un")  # the overlay is in front of the login form
    portal.click("Connexion")
    assert page.evaluate("window.choice") == choice
    (note,) = consent.notes(page.context)
    assert note.startswith(f"« {said} » sur le bandeau « {FIRST_WORDS[overlay]}")


FIRST_WORDS = {TARTEAUCITRON: "Ce site utilise des cookies", AXEPTIO_SHADOW: "Ce site utilise des traceurs",
               DIDOMI: "Nous et nos partenaires", HOME_MADE: "Nous utilisons des cookies"}


def test_an_overlay_that_only_accepts_is_never_accepted_and_stops_for_a_person(page: Page):
    only_accept = (f"<div class='cookie-wall' data-root style='{COVER}'><p>Acceptez les cookies pour continuer.</p>"
                   "<button data-choice='accept'>Accepter</button></div>")
    portal = serve(page, only_accept)
    with pytest.raises(NeedsHuman, match="« Acceptez les cookies pour continuer. Accepter »") as caught:
        portal.click("Connexion")
    assert caught.value.outcome == "needs_human"
    assert page.evaluate("window.choice") is None
    assert consent.notes(page.context) == []


def test_a_login_window_mentioning_cookies_is_never_closed(page: Page):
    login = ("<div role='dialog' aria-label='Mon espace perso' style='position:fixed;top:0;left:0;background:#fff'>"
             "<p>Un cookie de session est nécessaire.</p><label>Mot de passe <input type='password' id='p'></label>"
             "<button aria-label='Fermer' data-choice='close' onclick='window.choice=\"close\"'>×</button></div>")
    serve(page, login)
    page.fill("#p", "x")
    assert page.evaluate("window.choice") is None
    assert consent.notes(page.context) == []
