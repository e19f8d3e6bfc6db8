"""The agents' console, driven by Playwright in a real browser: token, Host check, CSRF, a rehearsal
with live steps, a diagnosis, an activation with its confirmation, a French error, one run per
family at a time, and a submitted password found nowhere afterwards."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from loguru import logger
from playwright.sync_api import expect

from assistant.console.server import Console, communes_for
from assistant.replica import Replica, ReplicaConfig
from support import ACCOUNTS

TIMEOUT = 45_000  # a run starts its own Chromium: generous on a loaded machine


@pytest.fixture
def console(tmp_path):
    """A replica and a console offering it, both in this process; the console's log in a file."""
    log = tmp_path / "console.log"
    logger.enable("assistant")
    sink = logger.add(log, level="DEBUG")
    with Replica(ReplicaConfig(wait_modal_ms=100, outbox_dir=tmp_path / "outbox")) as rep:
        with Console(tmp_path / "runs", communes_for({}, rep)) as con:
            con.replica, con.log = rep, log
            yield con
    logger.remove(sink)
    logger.disable("assistant")


def open_console(page, console):
    page.goto(console.url)
    expect(page.get_by_role("heading", name="Aider une famille")).to_be_visible()


def start(page, action: str, username: str, password: str):
    page.get_by_label("Commune").select_option(label="Réplique de démonstration (formation, familles fictives)")
    page.get_by_label("Identifiant de la famille").fill(username)
    page.get_by_label("Mot de passe de la famille").fill(password)
    page.get_by_role("button", name=re.compile(f"^{re.escape(action)}")).click()


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


# -- who may come in -------------------------------------------------------------------------------
def test_token_is_required_and_then_kept_in_a_cookie(console, page):
    response = page.goto(console.origin + "/")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("Accès refusé")

    open_console(page, console)
    assert "token=" not in page.url  # the token leaves the address bar at once
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.goto(console.origin + "/api/runs").status == 200


def test_a_foreign_host_or_a_wrong_token_is_refused(console):
    token = console.security.token
    status, body = get(console.origin + "/", {"Host": f"evil.example:{console.security.port}",
                                             "Authorization": f"token {token}"})
    assert status == 403 and "Adresse refusée" in body
    assert get(console.origin + "/?token=faux")[0] == 403
    assert get(console.origin + "/", {"Authorization": f"token {token}"})[0] == 200
    assert get(console.origin.replace("127.0.0.1", "localhost") + "/", {"Authorization": f"token {token}"})[0] == 200


def test_a_post_without_the_forms_token_is_refused(console, page):
    open_console(page, console)
    answer = page.request.post(console.origin + "/runs", form={
        "commune": "replique", "action": "diagnostic", "identifiant": "famille.martin", "mot_de_passe": "x"})
    assert answer.status == 403 and "jeton de formulaire" in answer.text()
    assert console.manager.jobs == {}


# -- runs -----------------------------------------------------------------------------------------
def test_rehearsal_shows_each_step_live_with_its_screenshot(console, page):
    open_console(page, console)
    start(page, "Vérifier le portail", "famille.martin", ACCOUNTS["famille.martin"]["password"])

    expect(page.locator("#verdict-message")).to_contain_text("Répétition terminée", timeout=TIMEOUT)
    rows = page.locator("#steps > li")
    expect(rows).to_have_count(7)
    expect(rows.filter(has=page.locator("img"))).to_have_count(6)
    expect(rows.nth(6)).to_have_class("skipped")
    expect(rows.nth(3)).to_contain_text(re.compile(r"Puis sur « MODIFIER »\s*— réussie en \d+,\d\d s"))
    shot = rows.nth(1).locator("img")
    expect(shot).to_have_js_property("naturalWidth", 1280)  # the screenshot really loads
    assert console.replica.account("famille.martin")["adhesion"] == "NON"


def test_diagnosis_in_the_page(console, page):
    open_console(page, console)
    start(page, "Diagnostiquer un compte", "famille.petit", ACCOUNTS["famille.petit"]["password"])

    expect(page.locator("#verdict-message")).to_contain_text("en cours de traitement", timeout=TIMEOUT)
    expect(page.locator("#verdict-lines")).to_contain_text("Facture en ligne : demande en cours de traitement")
    expect(page.locator("#verdict-lines")).to_contain_text("05 24 13 83 38")
    expect(page.get_by_role("link", name="Rapport complet")).to_have_attribute("href", re.compile(r"report\.html$"))


def test_activation_waits_for_the_agents_confirmation_and_one_run_per_family(console, page, context):
    open_console(page, console)
    start(page, "Activer la facture en ligne", "famille.martin", ACCOUNTS["famille.martin"]["password"])

    dialog = page.get_by_role("alertdialog", name="Confirmation avant « VALIDER »")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    # live: the five first steps are shown while the run waits, and nothing is sent yet
    expect(page.locator("#steps > li.ok")).to_have_count(6)
    expect(page.locator("#verdict")).to_be_hidden()
    assert console.replica.account("famille.martin")["adhesion"] == "NON"

    other = context.new_page()
    open_console(other, console)
    start(other, "Diagnostiquer un compte", "famille.martin", ACCOUNTS["famille.martin"]["password"])
    expect(other.get_by_role("alert")).to_contain_text("Une exécution est déjà en cours pour cette famille")
    expect(other.get_by_label("Identifiant de la famille")).to_have_value("")  # never sent back

    dialog.get_by_role("button", name="Oui, cliquer « VALIDER »").click()
    expect(page.locator("#verdict-message")).to_contain_text("La facture en ligne est activée", timeout=TIMEOUT)
    assert console.replica.account("famille.martin")["adhesion"] == "OUI"
    assert len([e for e in console.replica.audit if e.route.endswith("/Valider")]) == 1


def test_refused_login_is_told_in_french_and_a_person_is_offered_the_browser(console, page):
    open_console(page, console)
    start(page, "Diagnostiquer un compte", "famille.martin", "Pas-le-bon-1")
    expect(page.locator("#verdict-message")).to_contain_text(
        "Le portail refuse la connexion (« Identifiant ou mot de passe incorrect. »)", timeout=TIMEOUT)
    expect(page.locator("#state")).to_have_text("Terminé avec un problème.")
    assert "Pas-le-bon-1" not in console.log.read_text(encoding="utf-8")
    assert not any(b"Pas-le-bon-1" in p.read_bytes() for p in console.manager.runs_dir.rglob("*") if p.is_file())

    open_console(page, console)
    start(page, "Diagnostiquer un compte", "famille.durand", ACCOUNTS["famille.durand"]["password"])
    expect(page.locator("#verdict-message")).to_contain_text("nouveau mot de passe", timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Ouvrir le navigateur pour finir à la main")).to_be_visible()


def test_missing_credentials_are_a_french_message(console, page):
    open_console(page, console)
    page.get_by_role("button", name=re.compile("^Diagnostiquer")).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Identifiant et mot de passe de la famille sont nécessaires pour cette action.")


def test_invoices_and_their_pdfs_and_the_password_is_nowhere_afterwards(console, page):
    real = ACCOUNTS["famille.bernard"]["password"]
    open_console(page, console)
    start(page, "Factures", "famille.bernard", real)
    expect(page.locator("#invoices tbody tr")).to_have_count(2, timeout=TIMEOUT)
    table = page.locator("#invoices")
    expect(table).to_contain_text("260201")
    with page.expect_download() as download:
        table.get_by_role("link", name="PDF").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    pages = [page.content()]
    run_ids = [job.id for job in console.manager.jobs.values()]
    for path in ["/", "/api/runs", *(f"/runs/{i}" for i in run_ids), *(f"/runs/{i}/events" for i in run_ids)]:
        pages.append(page.request.get(console.origin + path).text())

    files = [p for p in (console.manager.runs_dir).rglob("*") if p.is_file()]
    blobs = [p.read_bytes() for p in files]
    for trace in (p for p in files if p.suffix == ".zip"):
        with zipfile.ZipFile(trace) as archive:
            blobs += [archive.read(name) for name in archive.namelist()]
    log = console.log.read_text(encoding="utf-8")
    assert "fill « Mot de passe »" in log  # the log speaks of the field, never of its value
    assert any(name.endswith(".pdf") for name in map(str, files))  # a real run, with its files
    assert not any(real in text for text in pages)
    assert not any(real.encode() in blob for blob in blobs)
    assert real not in log
    history = (page.request.get(console.origin + "/api/runs").text())
    assert "famille.martin" not in history and "famille.bernard" not in history
