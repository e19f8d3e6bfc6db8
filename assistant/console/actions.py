"""The console's actions: the table the start page offers, and how each is played in its job's
thread, ending in the record the history keeps (outcome, exit code, French message, next action).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from flows.adhesion import FLOW
from flows.invoices import InvoiceOptions, listing_flow

from ..browser import CONTEXT_OPTIONS, open_browser
from ..config import Settings
from ..errors import BrowserUnavailable
from ..helpdesk.diagnostic import diagnose
from ..helpdesk.guide import generate
from ..outcomes import outcome as describe
from ..report import write_all
from ..results import RunReport
from ..runner import Runner
from .jobs import Action, Job

#: how long a headed browser is left to a person
HANDOVER_TIMEOUT_S = 20 * 60
NEEDS_PERSON = {"password_change_required", "needs_human"}

ACTIONS: dict[str, Action] = {a.key: a for a in (
    Action("verifier", "Vérifier le portail", "répétition des six étapes, « VALIDER » n’est jamais cliqué"),
    Action("diagnostic", "Diagnostiquer un compte", "lecture seule : connexion, facture en ligne, factures dues"),
    Action("activer", "Activer la facture en ligne", "les six étapes ; confirmation demandée avant « VALIDER »"),
    Action("factures", "Factures", "liste des factures et leurs PDF (lecture seule)"),
    Action("guide", "Guide", "guide illustré HTML + PDF (sur la réplique : familles de démonstration)",
           needs_credentials=False),
)}


def record_of(key: str, message: str) -> dict[str, Any]:
    """A run's record for an outcome key and its French message."""
    chosen = describe(key)
    return {"outcome": key, "exit_code": chosen.exit_code, "message": message, "next_action": chosen.next_action}


def from_report(report: RunReport, job: Job) -> dict[str, Any]:
    """A run's record from the runner's report, written into the job's folder (JSON, JUnit, HTML)."""
    paths = write_all(report, job.folder)
    return {"outcome": report.outcome, "exit_code": report.exit_code, "message": report.message,
            "next_action": report.next_action, "report": paths["html"].name,
            "steps": [{"number": s.number, "title": s.title, "status": s.status, "duration_s": s.duration_s,
                       "error": s.error, "screenshot": s.screenshot} for s in report.steps]}


def play(job: Job, settings: list[Settings]) -> dict[str, Any]:
    """Play the job's action (one settings per family account, credentials included); its record."""
    key, first = job.action.key, settings[0]
    if key == "diagnostic":
        diagnosis, report = diagnose(first, progress=job.progress)
        record = from_report(report, job)
        record["diagnosis"] = diagnosis.to_dict()
        record["diagnosis"]["report"] = record["report"]
        record["diagnosis"]["lines"] = diagnosis.lines_fr()
        record["message"] = diagnosis.verdict
        return record
    if key == "verifier":
        return from_report(Runner(first, progress=job.progress).run(FLOW, rehearse=True), job)
    if key == "activer":
        return from_report(Runner(first, progress=job.progress, confirm=job.confirm).run(FLOW), job)
    if key == "factures":
        flow = listing_flow(InvoiceOptions(download_dir=job.folder / "factures"))
        report = Runner(first, progress=job.progress).run(flow)
        record = from_report(report, job)
        record["invoices"] = [{**inv.cells_fr(), "pdf": f"factures/{inv.pdf}" if inv.pdf else None}
                              for inv in getattr(report.result, "listed", [])]
        return record
    if key == "guide":
        out = job.folder / "guide"
        result = generate(replace(first, report_dir=out / "rapports"), out,
                          payment_settings=settings[-1], progress=job.progress)
        pictures = sum(s.image is not None for s in result.shots)
        record = record_of("done", f"Guide écrit : {len(result.shots)} étapes, {pictures} captures.")
        record.update(next_action="Télécharger le guide (HTML ou PDF) et l’envoyer à la famille.",
                      files={"Guide (HTML)": "guide/guide.html", "Guide (PDF)": "guide/guide.pdf"},
                      report="guide/guide.html")
        return record
    raise AssertionError(f"unknown action {key}")


#: the « Finir à la main » run: a visible browser on the portal, for a person
BY_HAND = Action("main", "Finir à la main", "navigateur visible, une personne agit", needs_credentials=False)


def by_hand(job: Job, settings: Settings) -> dict[str, Any]:
    """Open a visible browser on the portal's home and wait until the person closes it; its record."""
    try:
        with open_browser(settings.chromium, headless=False) as browser:
            context = browser.new_context(**CONTEXT_OPTIONS)
            page = context.new_page()
            page.goto(settings.url("Home/AccueilPublic"), timeout=settings.timeouts.navigation)
            job.emit("note", message="Le navigateur est ouvert sur le portail : la famille ou l’agent termine à la "
                                     "main (nouveau mot de passe, captcha, connexion extérieure), puis ferme la fenêtre.")
            page.wait_for_event("close", timeout=HANDOVER_TIMEOUT_S * 1000)
        return record_of("done", "Navigateur fermé : relancer le diagnostic pour vérifier.")
    except BrowserUnavailable as exc:
        return record_of("needs_human", f"Impossible d’ouvrir un navigateur visible sur ce poste : {exc.message}")
    except PlaywrightError as exc:
        first = (exc.message or str(exc)).splitlines()[0]
        if "closed" in first.lower():
            return record_of("done", "Navigateur fermé : relancer le diagnostic pour vérifier.")
        return record_of("needs_human", f"Le navigateur visible n’a pas pu servir : {first}")
