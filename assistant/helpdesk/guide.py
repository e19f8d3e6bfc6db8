"""An illustrated French guide to the six steps and to paying an invoice, made from a rehearsal.

One source of truth: the step list of :mod:`flows.adhesion` (number, title = the help page's
instruction) and the payment journey of :mod:`flows.payment`. The adhesion flow is played as a
rehearsal (« VALIDER » is never clicked) and the payment journey stops on the payment provider's
page (nobody types a card). Just before each documented control is used
(:func:`assistant.pages.base.watch_actions`), the page is photographed with the page object's
personal data masked, plus every personal value already read on the account (names, the
identifiant, invoice amounts and numbers); the control's box is kept, and the guide draws it
outlined and numbered over the image (an inline SVG). In a rehearsal « VALIDER » is not clicked:
its picture is taken on « Le récapitulatif » with the recap's ``validate_button``.

Out: ``guide.html`` (self-contained: images inlined as data URIs), ``guide.pdf`` (Chromium's own
printing) and ``guide.json`` (the steps, pages and controls: what a monitor compares). Nothing is
written unless both journeys went through and no personal value is found in the guide's text: a
failed rehearsal leaves the previous guide as it was and gives the report of the failed step.
"""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from loguru import logger

from flows.adhesion import FLOW as ADHESION
from flows.payment import PaymentRun, find_invoice, payment_flow

from ..browser import CONTEXT_OPTIONS, open_browser
from ..config import Settings, tenant_base_url
from ..errors import AssistantError, PortalRefused
from ..invoices.french import format_date
from ..pages.base import PortalPage
from ..pages.invoices import InvoicesPage
from ..pages.payfip import PayfipPage
from ..pages.recap import RecapPage
from ..pages.watch import watch_actions
from ..report import write_all
from ..report_dir import REPORT, Writer, ready, replaced, write_atomic
from ..results import RunReport
from ..runner import Progress, Runner
from ..steps import Flow, Step
from .contacts import ALLO_AGGLO, GRAND_PERIGUEUX, SERVICE_ENFANCE
from .pictures import Recorder, Shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TEMPLATES = Path(__file__).with_name("templates")
#: the guide's folder: its three files are replaced only where guide.json says an earlier guide made them
GUIDE = Writer("Dossier du guide", "--out", re.compile(r"guide\.(html|pdf|json)"), ("guide.json",))
#: each rehearsal's report folder: new, empty or the previous guide's report (written over)
GUIDE_REPORTS = replace(REPORT, alone="keep")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# the help page's own words around the steps (seed: « Comment accéder à ma facture en ligne ? »)
INTRO = ("Pour accéder et payer votre facture en ligne depuis votre espace famille, vous devez activer le "
         "service sur votre compte. Pour cela, il vous suffit de suivre les étapes suivantes :")
AFTER = ("Vous devez recevoir un courriel de confirmation. Une fois la procédure réalisée, vous pouvez voir "
         "et payer vos factures en ligne.")
LOGIN_INSTRUCTION = ("Ouvrez votre espace famille, saisissez votre identifiant et votre mot de passe, "
                     "puis cliquez sur « Connexion »")


class GuideFailed(AssistantError):
    """The guide could not be made; ``report`` is the failed run's report (no half guide is written)."""

    def __init__(self, message: str, *, outcome: str, report: RunReport | None = None,
                 report_html: Path | None = None):
        super().__init__(message)
        self.outcome = outcome
        self.report = report
        self.report_html = report_html


@dataclass
class GuideResult:
    html: Path
    pdf: Path
    manifest: Path
    shots: list[Shot]
    reports: dict[str, Path] = field(default_factory=dict)


def _play(flow: Flow, settings: Settings, browser: "Browser", section: str, *, rehearse: bool,
          report_dir: Path, progress: Progress | None,
          extra: Callable[[Recorder, PortalPage, Step], None] | None = None) -> tuple[RunReport, Recorder, Path]:
    """Play ``flow`` once with a recorder watching the controls; write its report."""
    recorder = Recorder(section, settings, progress)
    unwatch: list[Callable[[], None]] = []

    def observe(shown: PortalPage | None, step: Step, result) -> None:
        if shown is not None:
            recorder.learn(shown)
        if extra is not None and shown is not None and result.status == "ok":
            extra(recorder, shown, step)

    settings = replace(settings, report_dir=report_dir)
    # watched from the very first page: the login's controls are pictures too
    runner = Runner(settings, progress=recorder.progress, observe=observe,
                    on_page=lambda page: unwatch.append(watch_actions(page, recorder.hook)))
    try:
        report = runner.run(flow, rehearse=rehearse, browser=browser)
    finally:
        for stop in unwatch:
            stop()
    paths = write_all(report, report_dir)
    return report, recorder, paths["html"]


def _fail(report: RunReport, html: Path, what: str) -> GuideFailed:
    failed = next((s for s in report.steps if s.status == "failed"), None)
    where = f"étape {failed.number} « {failed.title} »" if failed else (report.stopped_at or "parcours incomplet")
    return GuideFailed(f"Guide non produit : {what} a échoué ({where}) : {report.message}",
                       outcome=report.outcome, report=report, report_html=html)


def _adhesion_shots(settings: Settings, browser: "Browser", report_dir: Path,
                    progress: Progress | None) -> tuple[list[Shot], set[str], Path]:
    last = ADHESION.steps[-1]

    def validate_picture(recorder: Recorder, shown: PortalPage, step: Step) -> None:
        # « VALIDER » is not clicked in a rehearsal: its picture is the recap, VALIDER outlined
        if isinstance(shown, RecapPage) and last.number not in recorder.shots:
            recorder.take(last, shown, shown.validate_button, "VALIDER")

    report, recorder, html = _play(ADHESION, settings, browser, "adhesion", rehearse=True, report_dir=report_dir,
                                   progress=progress, extra=validate_picture)
    if report.outcome in ("already_done", "pending"):
        raise GuideFailed("Guide non produit : le compte de la répétition a déjà adhéré ou a une demande en cours, "
                          "les étapes 3 à 6 ne s’affichent pas. Utiliser un compte de test qui n’a pas adhéré.",
                          outcome="config_error", report=report, report_html=html)
    if report.outcome != "rehearsed":
        raise _fail(report, html, "la répétition des six étapes")
    wanted = [ADHESION.login.number, *(s.number for s in ADHESION.steps)]
    missing = [n for n in wanted if n not in recorder.shots]
    if missing:
        raise GuideFailed(f"Guide non produit : aucune image pour l’étape {missing[0]} (contrôle non utilisé).",
                          outcome="portal_changed", report=report, report_html=html)
    shots = [recorder.shots[n] for n in wanted]
    shots[0] = replace(shots[0], title=LOGIN_INSTRUCTION)
    return shots, recorder.personal, html


def first_payable(invoices: InvoicesPage, run: PaymentRun) -> None:
    """Step 2 on whichever invoice is left to pay (the guide shows where « Payer » is, nobody pays)."""
    table = invoices.table
    # an invoice whose status says it is to pay (never one whose status could not be read, nor one being
    # debited) and whose row has its own « Payer » control (a link or a button without an address)
    payable = next((inv for inv in table.read() if inv.to_pay and inv.number and table.pay_link(inv.id).count()),
                   None)
    if payable is None:
        raise PortalRefused("Aucune facture à payer avec « Payer » sur le compte utilisé : la partie « Payer une "
                            "facture » du guide a besoin d’un compte qui adhère et a une facture à payer.",
                            page=InvoicesPage.TITLE, url=invoices.page.url, control="Payer")
    run.number = payable.number
    find_invoice(invoices, run)


def _payment_shots(settings: Settings, browser: "Browser", report_dir: Path,
                   progress: Progress | None) -> tuple[list[Shot], set[str], Path]:
    documented = payment_flow("")
    hand_over = documented.steps[2]

    def provider_page(recorder: Recorder, shown: PortalPage, step: Step) -> None:
        if isinstance(shown, PayfipPage) and hand_over.number not in recorder.shots:
            # the provider's page carries the family's payment data: described, not photographed
            recorder.shots[hand_over.number] = Shot(
                "paiement", hand_over.number, hand_over.title, PayfipPage.TITLE, None, None, 0, 0,
                note="La page de paiement sécurisé (PayFiP) s’ouvre : saisissez votre carte et validez. "
                     "Cette page n’est pas reproduite ici : elle porte vos données de paiement.")

    steps = (documented.steps[0], replace(documented.steps[1], check=first_payable), hand_over)
    flow = replace(documented, steps=steps)
    report, recorder, html = _play(flow, settings, browser, "paiement", rehearse=False, report_dir=report_dir,
                                   progress=progress, extra=provider_page)
    if report.outcome != "handed_off":
        raise _fail(report, html, "le parcours « Payer une facture »")
    wanted = [s.number for s in steps]
    missing = [n for n in wanted if n not in recorder.shots]
    if missing:
        raise GuideFailed(f"Guide non produit : aucune image pour l’étape {missing[0]} du paiement.",
                          outcome="portal_changed", report=report, report_html=html)
    return [recorder.shots[n] for n in wanted], recorder.personal, html


def _public_address(settings: Settings) -> str:
    """The portal's address for families: the real one when the rehearsal ran on the replica."""
    host = urlsplit(settings.base_url).hostname or ""
    return tenant_base_url(settings.tenant) if host in LOOPBACK else settings.base_url


def render_html(adhesion: list[Shot], payment: list[Shot], settings: Settings) -> str:
    """The guide as one self-contained French HTML page."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    contacts = [SERVICE_ENFANCE, ALLO_AGGLO] if settings.tenant == GRAND_PERIGUEUX else []
    return env.get_template("guide.html").render(
        adhesion=adhesion, payment=payment, intro=INTRO, after=AFTER, address=_public_address(settings),
        contacts=contacts, made=format_date(date.today()))


def _visible_text(html: str) -> str:
    """The guide's text without its inlined images."""
    return re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", html)


def leaked(text: str, personal: set[str]) -> list[str]:
    """Which personal values appear in ``text`` (spaces compared loosely, case folded)."""
    def squash(value: str) -> str:
        return re.sub(r"[\s\u00a0\u202f]+", " ", value).strip().casefold()

    folded = squash(text)
    return sorted(v for v in personal if len(v.strip()) >= 3 and squash(v) in folded)


def _refuse_leaks(html: str, shots: list[Shot], personal: set[str]) -> None:
    """:class:`GuideFailed` when a value of the account is in the guide's text or left unmasked on a picture."""
    where = [("le texte du guide", leaked(_visible_text(html), personal))]
    where += [(f"la capture de l’étape {s.number} ({s.section})", leaked(s.shown, personal)) for s in shots]
    for place, found in where:
        if found:
            # never written: a value of the account would reach families
            raise GuideFailed(f"Guide non produit : {len(found)} donnée(s) personnelle(s) du compte dans {place}.",
                              outcome="portal_changed")


def _print_pdf(browser: "Browser", html: str, path: Path) -> None:
    """Chromium's own printing of the guide (headless), A4 with backgrounds."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        page.emulate_media(media="print")
        page.pdf(path=str(path), format="A4", print_background=True,
                 margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"})
    finally:
        context.close()


def generate(settings: Settings, out_dir: Path, *, payment_settings: Settings | None = None,
             browser: "Browser | None" = None, progress: Progress | None = None) -> GuideResult:
    """Rehearse, photograph, write ``guide.html``, ``guide.pdf`` and ``guide.json`` in ``out_dir``.

    ``settings`` logs in with an account that has not adhered (the six steps show), and
    ``payment_settings`` (default: the same) with one that adheres and has an invoice to pay.
    Raises :class:`GuideFailed` (nothing written in ``out_dir``) with the failed run's report.
    """
    reports = Path(settings.report_dir or out_dir / "rapports")
    out_dir = ready(out_dir, GUIDE)[0]  # a file, or someone's own guide.html, is refused before any login
    for section in ("adhesion", "paiement"):
        ready(reports / section, GUIDE_REPORTS)
    html_path, pdf_path, json_path = out_dir / "guide.html", out_dir / "guide.pdf", out_dir / "guide.json"
    # the PDF is printed beside guide.pdf and takes its place just after guide.html, just before guide.json
    with replaced(pdf_path) as pdf_tmp:
        with ExitStack() as stack:
            if browser is None:
                # always headless: Chromium prints PDFs headless only
                browser = stack.enter_context(open_browser(settings.chromium, headless=True))
            adhesion, personal, adhesion_report = _adhesion_shots(settings, browser, reports / "adhesion", progress)
            payment, personal_pay, payment_report = _payment_shots(payment_settings or settings, browser,
                                                                   reports / "paiement", progress)
            personal |= personal_pay
            html = render_html(adhesion, payment, settings)
            shots = adhesion + payment
            _refuse_leaks(html, shots, personal)
            _print_pdf(browser, html, pdf_tmp)
        write_atomic(html_path, html)
    manifest = {
        "made_at": datetime.now().isoformat(timespec="seconds"), "portal": _public_address(settings),
        "steps": [{"section": s.section, "number": s.number, "title": s.title, "page": s.page, "control": s.control,
                   "illustrated": s.image is not None} for s in shots],
    }
    write_atomic(json_path, json.dumps(manifest, ensure_ascii=False, indent=2))
    logger.info("guide written: {} steps, {} pictures", len(shots), sum(s.image is not None for s in shots))
    return GuideResult(html_path, pdf_path, json_path, shots,
                       {"adhesion": adhesion_report, "paiement": payment_report})
