"""Voir vos factures en ligne (the seed's promise, once online invoicing is on; paying: :mod:`flows.payment`).

Consulter (``assistant factures``), read-only:

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Lisez chaque facture (la liste, puis le détail de chacune)
3. Téléchargez chaque facture en PDF

Step 3 is played with ``--download DOSSIER`` only.

Fast path: after the browser login, details and PDFs are fetched in the background by the page
« Mes factures » itself (the browser session's cookies) a few at a time (:mod:`assistant.fetch`,
which also holds the one new login a read-only run may do). An answer that is
not what the portal normally sends makes the flow fall back to the browser's own clicks (a click
on the row, a click on « Télécharger »), and the log says so. A PDF answered by an HTML page means
the session ended: the flow logs in again once (reading only) and asks again, then gives up with a
clear error; files are written under a temporary name and renamed, so none is ever left half-done.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from loguru import logger
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from functools import partial

from assistant.downloads import Wanted, check_writable, looks_like_pdf, store, wanted_files
from assistant.errors import PortalChanged, SessionExpired
from assistant.fetch import Fetched, Get, PortalSession
from assistant.invoices.model import Invoice, InvoiceOptions, InvoiceRun
from assistant.invoices.output import summary
from assistant.pages.interruptions import check_interruptions
from assistant.pages.invoice_detail import is_detail_html, parse_detail_html
from assistant.pages.invoices import InvoicesPage
from assistant.steps import EndFlow, Flow, Step

from .adhesion import STEP_1
from .login import LOGIN

__all__ = ["InvoiceOptions", "InvoiceRun", "back_to_list", "listing_flow", "read_invoices"]

XHR = {"X-Requested-With": "XMLHttpRequest"}  # the portal's own background calls send it [seen: portal JS]


def _session(page: InvoicesPage, run: InvoiceRun) -> PortalSession:
    return PortalSession(page, run, where=InvoicesPage.TITLE, concurrency=run.options.concurrency)


def _back_to_invoices(session: PortalSession) -> InvoicesPage:
    """Make sure the browser shows « Mes factures » (logging in again once if the session ended)."""
    page = InvoicesPage(session.page, session.settings)
    if page.is_here():
        return page
    return session.retrying("retour à « Mes factures »", lambda: InvoicesPage.open(session.page, session.settings))


def back_to_list(page: InvoicesPage, run: InvoiceRun) -> None:
    """After reading details, the browser on « Mes factures » again (its links are there)."""
    if not page.url_matches():
        _back_to_invoices(_session(page, run))


def _same_portal(url: str | None, session: PortalSession) -> bool:
    return bool(url) and url.startswith(session.settings.origin + "/")


def _unexpected(run: InvoiceRun, what: str, answers: list[tuple[str, Fetched]]) -> None:
    """Note each unexpected fast answer; the browser's clicks will do those."""
    run.fallbacks += [f"{name} : {answer.why()}" for name, answer in answers]
    if answers:
        logger.warning("fast path: {} {} answer(s) unexpected ({}); falling back to the browser's clicks",
                       len(answers), what, run.fallbacks[-1])


# -- step 2: read every invoice -------------------------------------------------------------------
def read_details(page: InvoicesPage, run: InvoiceRun, invoices: list[Invoice]) -> None:
    """Fill each invoice from its detail: fast path first, the browser's clicks for the rest."""
    session, todo = _session(page, run), list(invoices)
    if run.options.fast and todo:
        # [seen] the detail route, fetched in the background like the portal's own JS does
        answers = session.fetch_all([Get(page.settings.url(f"MonCompte/DetailFacture?IdFactureUnique="
                                                             f"{quote(inv.id)}"), XHR) for inv in todo])
        todo, odd = [], []
        for inv, answer in zip(invoices, answers):
            text = answer.body.decode("utf-8", errors="replace") if answer.ok else ""
            if text and is_detail_html(text):
                inv.merge(parse_detail_html(text))
            else:
                odd.append((f"détail {inv.number or inv.id}", answer))
                todo.append(inv)
        _unexpected(run, "detail", odd)
    for inv in todo:
        panel = session.retrying(f"détail de la facture {inv.number or inv.id}",
                                 lambda inv=inv: _back_to_invoices(session).table.open_detail(inv))
        inv.merge(panel.read())


def read_invoices(page: InvoicesPage, run: InvoiceRun) -> None:
    """Read the table, then every invoice's detail; keep the unpaid ones only if asked. A field that does
    not read is named on its invoice (never a default), and the page's HTML is kept in the report."""
    invoices = page.table.read()
    if run.options.unpaid_only:
        # the table's status already tells paid ones apart; an unreadable status is kept (never hidden)
        invoices = [inv for inv in invoices if inv.to_pay is not False]
    read_details(page, run, invoices)
    if run.options.unpaid_only:
        invoices = [inv for inv in invoices if inv.to_pay is not False]
    run.invoices = [inv.finish() for inv in invoices]
    for inv in run.invoices:
        for name, problem in inv.problems.items():
            logger.warning("invoice {}: {} unreadable ({})", inv.number or inv.id, name, problem)
    if any(problem != "absent" for inv in run.invoices for problem in inv.problems.values()):
        run.keep_page = True  # the runner keeps this step's HTML: what the page showed, for whoever reads the report
    if run.options.download_dir is None:
        raise EndFlow("listed", summary(run))
    back_to_list(page, run)


# -- step 3: download the PDFs --------------------------------------------------------------------
Answered = list[tuple[Invoice, Path, Fetched]]


def _fetch_pdfs(session: PortalSession, run: InvoiceRun, wanted: Wanted) -> tuple[Answered, Answered]:
    """Fetch and store each PDF; return those answered by an HTML page (the session ended), then
    the other unexpected answers."""
    expired, odd = [], []
    gets = [Get(inv.download_url if _same_portal(inv.download_url, session) else
                session.settings.url(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={quote(inv.id)}"))  # [seen]
            for inv, _ in wanted]
    for (inv, target), answer in zip(wanted, session.fetch_all(gets)):
        if answer.ok and looks_like_pdf(answer.body):
            store(run, inv, target, answer.body)
        elif answer.is_login_page or (answer.ok and answer.body.lstrip()[:1] == b"<"):
            expired.append((inv, target, answer))
        else:
            odd.append((inv, target, answer))
    return expired, odd


def _download_by_click(session: PortalSession, inv: Invoice) -> bytes:
    """The browser's own « Télécharger »; the file is read from Playwright's download."""
    table = _back_to_invoices(session).table
    try:
        with session.page.expect_download(timeout=session.settings.timeouts.navigation) as info:
            table.click(table.download_link(inv.id), f"Télécharger ({inv.number or inv.id})")
        path = info.value.path()
    except PlaywrightTimeout as exc:
        check_interruptions(session.page, session.settings)
        raise PortalChanged(f"« Télécharger » n’a donné aucun fichier pour la facture {inv.number or inv.id}.",
                            page=InvoicesPage.TITLE, url=session.page.url, control="Télécharger") from exc
    data = Path(path).read_bytes()
    if not looks_like_pdf(data):
        raise PortalChanged(f"Le fichier de la facture {inv.number} n’est pas un PDF : rien n’a été enregistré.",
                            page=InvoicesPage.TITLE, url=session.page.url, control="Télécharger")
    return data


def download_invoices(page: InvoicesPage, run: InvoiceRun) -> None:
    """Save each PDF as ``<number>_<issue-date>.pdf``; skip files already there and intact."""
    assert run.options.download_dir is not None
    session, by_click = _session(page, run), wanted_files(run, run.options.download_dir)
    if run.options.fast and by_click:
        expired, odd = _fetch_pdfs(session, run, by_click)
        by_click = [(inv, target) for inv, target, _ in odd]
        _unexpected(run, "PDF", [(f"PDF {inv.number}", answer) for inv, _, answer in odd])
        if expired:
            # an HTML page where a PDF was expected: the session ended. Log in again once, ask again.
            session.relogin(f"page HTML au lieu du PDF de la facture {expired[0][0].number}")
            still, odd = _fetch_pdfs(session, run, [(inv, target) for inv, target, _ in expired])
            if still or odd:
                inv, _, answer = (still + odd)[0]
                raise SessionExpired(
                    f"Le portail renvoie une page HTML au lieu du PDF de la facture {inv.number}, même après une "
                    f"nouvelle connexion : {len(run.downloaded)} PDF enregistré(s), aucun fichier partiel.",
                    page=InvoicesPage.TITLE, url=answer.final_url or answer.url, control="Télécharger")
    for inv, target in by_click:
        store(run, inv, target, _download_by_click(session, inv))
    raise EndFlow("listed", summary(run))


READ_ALL = Step(2, "Lisez chaque facture (la liste, puis le détail de chacune)", InvoicesPage.list_invoices,
                read=read_invoices)
DOWNLOAD_ALL = Step(3, "Téléchargez chaque facture en PDF", InvoicesPage.list_invoices, read=download_invoices)


def listing_flow(options: InvoiceOptions | None = None) -> Flow:
    """The consult journey for ``options`` (its result: an :class:`InvoiceRun`); checks the download folder first."""
    options = options or InvoiceOptions()
    if options.download_dir is not None:
        options.download_dir = check_writable(options.download_dir)
    steps = (STEP_1, READ_ALL, DOWNLOAD_ALL) if options.download_dir is not None else (STEP_1, READ_ALL)
    return Flow(name="factures", title="Consulter les factures", login=LOGIN, steps=steps,
                result=partial(InvoiceRun, options))
