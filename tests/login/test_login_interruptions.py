"""Interruptions on the replica's pages, through the runner: overlays injected by the test (written here,
unlike the replica's own markup) on the public home, after the login, or on « Mes factures ».

A consent banner known by its words only is refused at the login; an announcement after the login is
closed, noted in the report, and the journey goes on; a second factor, a survey or an attestation over
the page stops the run for a person (exit 5) before anything is written, with the page's HTML and
screenshot in the report, its buttons never clicked.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from flows import adhesion, status
from support import run_on_replica

CLICKED = "/essai-clic"  # a click on the injected overlay's buttons asks for this address (a 404, recorded)
# Shown once per tab on the pages whose address matches __PATH__; each of its [data-gone] controls closes it.
INJECT = """(() => {
  const show = () => {
    if (!new RegExp(__PATH__, 'i').test(location.pathname) || sessionStorage.getItem('essai-vu')) return;
    document.body.insertAdjacentHTML('beforeend', __HTML__);
    const box = document.querySelector('[data-essai]');
    box.querySelectorAll('[data-gone]').forEach(b => b.addEventListener('click', () => {
      fetch(__CLICKED__ + '?b=' + encodeURIComponent(b.textContent.trim())).catch(() => {});
      sessionStorage.setItem('essai-vu', '1'); box.remove(); }));
  };
  // as soon as the page has a body: over the page before any of its content can be used
  if (document.body) show();
  else new MutationObserver((changes, seen) => { if (document.body) { seen.disconnect(); show(); } })
    .observe(document, {childList: true, subtree: true});
})();"""
COVER = "position:fixed;inset:0;background:rgba(20,20,20,.5);z-index:99999"
NEWS = "Nouveauté : vos attestations fiscales sont disponibles dans votre espace."


def inject(context, path: str, html: str) -> list[str]:
    """Show ``html`` over every page whose address matches ``path``; the words of the overlay's buttons clicked."""
    clicked: list[str] = []
    context.add_init_script(INJECT.replace("__PATH__", json.dumps(path)).replace("__HTML__", json.dumps(html))
                            .replace("__CLICKED__", json.dumps(CLICKED)))
    context.on("request", lambda request: clicked.append(unquote(request.url.split("?b=")[-1]))
               if CLICKED in request.url else None)
    return clicked


def posts_after_login(rep) -> list[str]:
    return [e.route for e in rep.audit if e.method == "POST" and "logon" not in e.route.lower()]


@pytest.mark.parametrize("style", ["classic", "modal"])
def test_a_consent_banner_known_by_its_words_only_is_refused_at_the_login(make_replica, context, run_flow, tmp_path,
                                                                          style):
    replica = make_replica(login_style=style)  # the newer generation's login window is left to the login
    banner = ("<div data-essai style='position:fixed;left:0;right:0;bottom:0;padding:18px;background:#fff'>"
              "<p>Ce portail dépose des traceurs de mesure d’audience sur votre appareil.</p>"
              "<em data-gone onclick=''>Accepter</em> <em data-gone onclick=''>Refuser</em></div>")
    clicked = inject(context, r"/Home/AccueilPublic", banner)
    report = run_on_replica(run_flow, replica, tmp_path, status.FLOW)
    assert (report.outcome, report.exit_code) == ("not_adhered", 0), report.message
    assert clicked == ["Refuser"]
    assert report.consent_refused.startswith("« Refuser » sur le bandeau « Ce portail dépose des traceurs")


def test_an_announcement_after_the_login_is_closed_noted_and_the_journey_goes_on(replica, context, run_flow, tmp_path):
    announcement = (f"<div data-essai style='{COVER}'><article style='background:#fff;width:460px;margin:22vh auto;"
                    f"padding:20px'><h3>{NEWS}</h3><p>Retrouvez-les dans « Mes documents ».</p>"
                    "<span data-gone onclick='' style='cursor:pointer'>J’ai compris</span></article></div>")
    clicked = inject(context, r"/CompteCitoyen/?$", announcement)
    report = run_on_replica(run_flow, replica, tmp_path, adhesion.FLOW, rehearse=True)
    assert (report.outcome, report.exit_code) == ("rehearsed", 0), report.message
    assert clicked == ["J’ai compris"]
    assert report.dialogs_closed.startswith(f"« {NEWS} Retrouvez-les")
    assert report.dialogs_closed.endswith("» (bouton « J’ai compris »)")
    saved = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert saved["dialogs_closed"] == report.dialogs_closed
    assert "Fenêtre d’information fermée" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")


STOPS = {
    "second-factor": (r"/CompteCitoyen/?$", "<p>Pour votre sécurité, saisissez le code reçu par SMS.</p>"
                      "<label>Code à 6 chiffres <input autocomplete='one-time-code'></label>"
                      "<u data-gone>Vérifier</u>", 0, "code de vérification"),
    "survey": (r"/MonCompte/?$", "<h4>Donnez-nous votre avis sur le portail</h4><p>"
               "<label><input type='radio' name='avis'> Très satisfait</label> "
               "<label><input type='radio' name='avis'> Peu satisfait</label></p><u data-gone>Envoyer</u>",
               2, "questionnaire"),
    "attestation": (r"/MonCompte/?$", "<p>J’atteste avoir pris connaissance du règlement de facturation.</p>"
                    "<label><input type='checkbox'> Je l’atteste</label> <u data-gone>Continuer</u>",
                    2, "attester"),
}


@pytest.mark.parametrize("case", sorted(STOPS))
def test_a_window_a_person_must_answer_stops_the_adhesion_before_any_write(replica, context, run_flow, tmp_path,
                                                                          case):
    path, inner, step, said = STOPS[case]
    clicked = inject(context, path, f"<div data-essai style='{COVER}'><form style='background:#fff;width:420px;"
                                    f"margin:20vh auto;padding:16px' onsubmit='return false'>{inner}</form></div>")
    report = run_on_replica(run_flow, replica, tmp_path, adhesion.FLOW)  # a real run: it would write
    assert (report.outcome, report.exit_code) == ("needs_human", 5), report.message
    assert said in report.message and "La famille" in report.next_action
    assert (clicked, posts_after_login(replica)) == ([], [])
    failed = next(s for s in report.steps if s.status == "failed")
    assert failed.number == step
    assert (tmp_path / "report" / failed.screenshot).stat().st_size > 0
    html = (tmp_path / "report" / failed.html).read_text(encoding="utf-8")
    assert "data-essai" in html and said.split()[0] not in ("",)  # the page as it was, the window over it
