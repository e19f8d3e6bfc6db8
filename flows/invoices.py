"""Voir et payer vos factures en ligne (the seed's promise, once online invoicing is on).

Consulter (``assistant factures``), read-only:

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Lisez chaque facture (la liste, puis le détail de chacune)
3. Téléchargez chaque facture en PDF

Step 3 is played with ``--download DOSSIER`` only.

Payer (``assistant payer NUMÉRO``), the assistant never pays:

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Payer » en face de la facture : la page de paiement s’ouvre
3. Confiez la page de paiement à la famille ou à l’agent, qui saisit la carte

Fast path: after the browser login, details and PDFs are fetched through ``context.request`` (the
browser session's cookies) a few at a time (:func:`assistant.fetch.fetch_all`). An answer that is
not what the portal normally sends makes the flow fall back to the browser's own clicks (a click
on the row, a click on « Télécharger »), and the log says so. A PDF answered by an HTML page means
the session ended: the flow logs in again once (reading only) and asks again, then gives up with a
clear error; files are written under a temporary name and renamed, so none is ever left half-done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.downloads import check_writable, is_intact_pdf, looks_like_pdf, pdf_name, save_atomic
from assistant.errors import (AlreadyPaid, InvoiceUnknown, PortalChanged, PortalRefused, SessionExpired)
from assistant.fetch import DEFAULT_CONCURRENCY, Fetched, Get, fetch_all
from assistant.frenchtext import format_amount
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.invoice_detail import UNPAID, is_detail_html, parse_detail_html
from assistant.pages.invoice_table import Invoice, InvoiceTable
from assistant.pages.interruptions import check_interruptions
from assistant.pages.invoices import InvoicesPage
from assistant.pages.payfip import PayfipPage
from assistant.steps import EndFlow, Flow, Journey, Step

from . import LOGIN, current

XHR = {"X-Requested-With": "XMLHttpRequest"}  # the portal's own background calls send it [seen: portal JS]
LOGIN_ROUTE = ("/home/accueilpublic", "/home/logon")  # [seen] where a lost session lands


# -- what a run is asked and what it found --------------------------------------------------------
@dataclass
class InvoiceOptions:
    """What ``assistant factures`` was asked."""

    download_dir: Path | None = None
    unpaid_only: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    fast: bool = True


@dataclass
class InvoiceRun:
    """The invoices read, the files written, and every fallback taken (for the output and the tests)."""

    options: InvoiceOptions = field(default_factory=InvoiceOptions)
    invoices: list[Invoice] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    not_downloaded: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    relogins: int = 0


def open_invoices(journey: Journey) -> InvoicesPage:
    return current(journey, DashboardPage).open_invoices()


def _table(journey: Journey) -> InvoiceTable:
    """The table of « Mes factures » on the page the browser shows now."""
    return InvoicesPage(journey.page, journey.settings).table


def _relogin(journey: Journey, run: InvoiceRun, why: str) -> None:
    """Log in again once for a read-only fetch; a second need is a clear error."""
    if run.relogins >= 1:
        raise SessionExpired(f"La session a de nouveau expiré ({why}) après une nouvelle connexion : "
                             "lecture arrêtée, relancer plus tard.", page=InvoicesPage.TITLE, url=journey.page.url)
    run.relogins += 1
    journey.facts["relogins"] = journey.facts.get("relogins", 0) + 1  # the runner will not replay the flow
    logger.warning("session ended ({}): logging in again once (read-only)", why)
    HomePage(journey.page, journey.settings).open().login(journey.settings.username, journey.settings.password)


def _back_to_invoices(journey: Journey, run: InvoiceRun) -> InvoicesPage:
    """Make sure the browser shows « Mes factures » (logging in again once if the session ended)."""
    page = InvoicesPage(journey.page, journey.settings)
    if page.is_here():
        return page
    try:
        return InvoicesPage.open(journey.page, journey.settings)
    except SessionExpired:
        _relogin(journey, run, "retour à « Mes factures »")
        return InvoicesPage.open(journey.page, journey.settings)


def _is_login_page(answer: Fetched) -> bool:
    path = urlsplit(answer.final_url or answer.url).path.lower()
    return any(path.rstrip("/").endswith(route) for route in LOGIN_ROUTE)


def _why(answer: Fetched) -> str:
    if answer.error:
        return f"erreur réseau ({answer.error})"
    if _is_login_page(answer):
        return "page de connexion (session terminée)"
    if answer.status != 200:
        return f"HTTP {answer.status}"
    return f"contenu inattendu ({answer.content_type or 'type inconnu'})"


def _same_portal(url: str | None, journey: Journey) -> bool:
    return bool(url) and url.startswith(journey.settings.origin + "/")


# -- step 2: read every invoice -------------------------------------------------------------------
def read_details(journey: Journey, run: InvoiceRun, invoices: list[Invoice]) -> None:
    """Fill each invoice from its detail: fast path first, the browser's clicks for the rest."""
    settings = journey.settings
    todo = list(invoices)
    if run.options.fast and todo:
        # [seen] the detail route, fetched in the background like the portal's own JS does
        gets = [Get(settings.url(f"MonCompte/DetailFacture?IdFactureUnique={quote(inv.id)}"), XHR) for inv in todo]
        answers = fetch_all(journey.context, gets, concurrency=run.options.concurrency,
                            timeout_ms=settings.timeouts.navigation)
        todo = []
        for inv, answer in zip(invoices, answers):
            text = answer.body.decode("utf-8", errors="replace") if answer.status == 200 and not answer.error else ""
            if text and is_detail_html(text):
                inv.merge(parse_detail_html(text))
            else:
                run.fallbacks.append(f"détail {inv.number or inv.id} : {_why(answer)}")
                todo.append(inv)
        if todo:
            logger.warning("fast path: {} detail answer(s) unexpected ({}); falling back to the browser's clicks",
                           len(todo), run.fallbacks[-1])
    for inv in todo:
        panel = None
        for attempt in range(2):
            table = _back_to_invoices(journey, run).table
            try:
                panel = table.open_detail(inv)
                break
            except SessionExpired:
                if attempt:
                    raise
                _relogin(journey, run, f"détail de la facture {inv.number or inv.id}")
        inv.merge(panel.read())


def read_invoices(journey: Journey, run: InvoiceRun) -> InvoicesPage:
    """Read the table, then every invoice's detail; keep the unpaid ones only if asked."""
    page = current(journey, InvoicesPage)
    invoices = _table(journey).read()
    if run.options.unpaid_only:
        # the table's status already tells paid ones apart; an unreadable status is kept (never hidden)
        invoices = [inv for inv in invoices if inv.paid is not True]
    read_details(journey, run, invoices)
    if run.options.unpaid_only:
        invoices = [inv for inv in invoices if inv.paid is not True]
    run.invoices = [inv.finish() for inv in invoices]
    unreadable = sum(bool(inv.problems) for inv in run.invoices)
    for inv in run.invoices:
        for name, problem in inv.problems.items():
            logger.warning("invoice {}: {} unreadable ({})", inv.number or inv.id, name, problem)
    journey.facts.update(invoices=len(run.invoices), unpaid=sum(inv.status == UNPAID for inv in run.invoices),
                         unreadable_invoices=unreadable, fallbacks=len(run.fallbacks))
    if run.options.download_dir is None:
        raise EndFlow("listed", summary(run))
    return page if page.url_matches() else _back_to_invoices(journey, run)


# -- step 3: download the PDFs --------------------------------------------------------------------
def _pdf_get(journey: Journey, inv: Invoice) -> Get:
    url = inv.download_url if _same_portal(inv.download_url, journey) else \
        journey.settings.url(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={quote(inv.id)}")  # [seen]
    return Get(url)


def _download_by_click(journey: Journey, run: InvoiceRun, inv: Invoice) -> bytes:
    """The browser's own « Télécharger »; the file is read from Playwright's download."""
    _back_to_invoices(journey, run)
    table = _table(journey)
    try:
        with journey.page.expect_download(timeout=journey.settings.timeouts.navigation) as info:
            table.click(table.download_link(inv.id), f"Télécharger ({inv.number or inv.id})")
        path = info.value.path()
    except PlaywrightTimeout as exc:
        check_interruptions(journey.page, journey.settings)
        raise PortalChanged(f"« Télécharger » n’a donné aucun fichier pour la facture {inv.number or inv.id}.",
                            page=InvoicesPage.TITLE, url=journey.page.url, control="Télécharger") from exc
    return Path(path).read_bytes()


def download_invoices(journey: Journey, run: InvoiceRun) -> InvoicesPage:
    """Save each PDF as ``<number>_<issue-date>.pdf``; skip files already there and intact."""
    folder = run.options.download_dir
    assert folder is not None
    wanted: list[tuple[Invoice, Path]] = []
    for inv in run.invoices:
        if inv.number is None or inv.issued is None:
            run.not_downloaded[inv.number or inv.id] = "numéro ou date d’émission illisible : nom de fichier impossible"
            continue
        target = folder / pdf_name(inv.number, inv.issued)
        if is_intact_pdf(target):
            run.already_there.append(target.name)
            inv.pdf = target.name
        else:
            wanted.append((inv, target))

    def store(inv: Invoice, target: Path, data: bytes) -> None:
        save_atomic(target, data)
        inv.pdf = target.name
        run.downloaded.append(target.name)

    expired: list[tuple[Invoice, Path]] = []
    by_click: list[tuple[Invoice, Path]] = []
    if run.options.fast and wanted:
        answers = fetch_all(journey.context, [_pdf_get(journey, inv) for inv, _ in wanted],
                            concurrency=run.options.concurrency, timeout_ms=journey.settings.timeouts.navigation)
        for (inv, target), answer in zip(wanted, answers):
            if answer.status == 200 and not answer.error and looks_like_pdf(answer.body):
                store(inv, target, answer.body)
            elif _is_login_page(answer) or (answer.status == 200 and answer.body.lstrip()[:1] == b"<"):
                expired.append((inv, target))
            else:
                run.fallbacks.append(f"PDF {inv.number} : {_why(answer)}")
                by_click.append((inv, target))
        if by_click:
            logger.warning("fast path: {} PDF answer(s) unexpected ({}); falling back to the browser's clicks",
                           len(by_click), run.fallbacks[-1])
    else:
        by_click = list(wanted)
    if expired:
        # an HTML page where a PDF was expected: the session ended. Log in again once, ask again.
        _relogin(journey, run, f"page HTML au lieu du PDF de la facture {expired[0][0].number}")
        answers = fetch_all(journey.context, [_pdf_get(journey, inv) for inv, _ in expired],
                            concurrency=run.options.concurrency, timeout_ms=journey.settings.timeouts.navigation)
        for (inv, target), answer in zip(expired, answers):
            if answer.status == 200 and not answer.error and looks_like_pdf(answer.body):
                store(inv, target, answer.body)
            else:
                raise SessionExpired(
                    f"Le portail renvoie une page HTML au lieu du PDF de la facture {inv.number}, même après une "
                    f"nouvelle connexion : {len(run.downloaded)} PDF enregistré(s), aucun fichier partiel.",
                    page=InvoicesPage.TITLE, url=answer.final_url or answer.url, control="Télécharger")
    for inv, target in by_click:
        data = _download_by_click(journey, run, inv)
        if not looks_like_pdf(data):
            raise PortalChanged(f"Le fichier de la facture {inv.number} n’est pas un PDF : rien n’a été enregistré.",
                                page=InvoicesPage.TITLE, url=journey.page.url, control="Télécharger")
        store(inv, target, data)
    journey.facts.update(downloaded=len(run.downloaded), already_there=len(run.already_there),
                         not_downloaded=len(run.not_downloaded), fallbacks=len(run.fallbacks))
    raise EndFlow("listed", summary(run))


def summary(run: InvoiceRun) -> str:
    """One French sentence for the end of ``assistant factures``."""
    n = len(run.invoices)
    unpaid = [inv for inv in run.invoices if inv.status == UNPAID]
    if n == 0:
        text = "Aucune facture à payer." if run.options.unpaid_only else "Aucune facture dans « Mes factures »."
    else:
        total = sum((inv.amount for inv in unpaid if inv.amount is not None), Decimal("0"))
        text = f"{n} facture(s) lue(s), dont {len(unpaid)} à payer"
        text += f" ({format_amount(total)})." if unpaid else "."
    if run.options.download_dir is not None:
        text += (f" PDF : {len(run.downloaded)} téléchargé(s), {len(run.already_there)} déjà présent(s)"
                 f"{f', {len(run.not_downloaded)} impossible(s)' if run.not_downloaded else ''}"
                 f" dans {run.options.download_dir}.")
    unreadable = sum(bool(inv.problems) for inv in run.invoices)
    if unreadable:
        text += f" Attention : {unreadable} facture(s) avec un champ illisible (voir le tableau)."
    return text


def listing_flow(run: InvoiceRun) -> Flow:
    """The consult journey for ``run`` (its results land in ``run``); checks the download folder first."""
    if run.options.download_dir is not None:
        run.options.download_dir = check_writable(run.options.download_dir)
    steps = [
        Step(1, "Dans votre espace famille personnel, allez dans « Mes factures »", open_invoices, InvoicesPage),
        Step(2, "Lisez chaque facture (la liste, puis le détail de chacune)",
             lambda journey: read_invoices(journey, run), InvoicesPage),
    ]
    if run.options.download_dir is not None:
        steps.append(Step(3, "Téléchargez chaque facture en PDF", lambda journey: download_invoices(journey, run),
                          InvoicesPage))
    return Flow(name="factures", title="Consulter les factures", login=LOGIN, steps=tuple(steps))


# -- payment hand-off -------------------------------------------------------------------------------
Handover = Callable[[PayfipPage], None]


@dataclass
class PaymentRun:
    """``assistant payer``: which invoice, and who takes over on the provider's page.

    ``handover`` is the person: it returns once they are done (paid, cancelled, or the page was
    closed). None means nobody is at this browser (headless): the payment link is given instead.
    """

    number: str
    handover: Handover | None = None
    notify: Callable[[str], None] = lambda text: None
    invoice: Invoice | None = None
    payment_url: str | None = None
    result: str | None = None


def wait_for_person(timeout_s: float = 15 * 60) -> Handover:
    """The default headed hand-off: wait until the person leaves the provider's page (or closes it)."""
    def handover(payfip: PayfipPage) -> None:
        try:
            payfip.page.wait_for_url(lambda url: not PayfipPage.path_matches(url), wait_until="commit",
                                     timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            logger.warning("nobody finished the payment within {} s", timeout_s)
        except PlaywrightError as exc:  # the person closed the window
            logger.info("payment page closed: {}", exc.message.splitlines()[0])
    return handover


def find_invoice(journey: Journey, run: PaymentRun) -> Invoice:
    """The invoice ``run.number`` on « Mes factures », or the typed refusal."""
    invoices = _table(journey).read()
    wanted = run.number.strip()
    found = next((inv for inv in invoices if inv.number == wanted), None)
    if found is None:
        raise InvoiceUnknown(f"La facture n° {wanted} n’existe pas dans « Mes factures » de cette famille "
                             f"({len(invoices)} facture(s) affichée(s)).", page=InvoicesPage.TITLE,
                             url=journey.page.url, control=wanted)
    if found.paid is True:
        raise AlreadyPaid(f"La facture n° {wanted} est déjà payée : rien n’a été envoyé au paiement.",
                          page=InvoicesPage.TITLE, url=journey.page.url, control=wanted)
    return found


def go_to_payment(journey: Journey, run: PaymentRun) -> PayfipPage:
    """Click « Payer » in the invoice's row; check the provider's page asks for the right amount."""
    current(journey, InvoicesPage)
    inv = run.invoice = find_invoice(journey, run)
    table = _table(journey)
    link = table.pay_link(inv.id)
    if link.count() == 0:
        raise PortalRefused(f"« Payer » n’est pas proposé pour la facture n° {inv.number} : la facture en ligne "
                            "n’est peut-être pas activée (lancer « assistant statut »).",
                            page=InvoicesPage.TITLE, url=journey.page.url, control="Payer")
    table.click(link, f"Payer ({inv.number})")
    payfip = PayfipPage(journey.page, journey.settings).wait_until_here()
    asked = payfip.params().get("montant")
    if inv.amount is not None and asked is not None and asked.isdigit() and int(asked) != int(inv.amount * 100):
        raise PortalRefused(
            f"La page de paiement demande {format_amount(Decimal(asked) / 100)} "
            f"alors que la facture n° {inv.number} est de {format_amount(inv.amount)} : paiement non confié.",
            page=payfip.TITLE, url=journey.page.url, control="montant")
    run.payment_url = journey.page.url
    # the link carries the family's e-mail (mel=): printed for the person, kept out of the report
    journey.facts.update(invoice=inv.number, payment_url=_without_email(run.payment_url), payment_mode=payfip.mode)
    return payfip


def _without_email(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, "***" if k.lower() == "mel" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def hand_over(journey: Journey, run: PaymentRun) -> PayfipPage:
    """Give the provider's page to a person; the assistant types nothing there."""
    payfip = current(journey, PayfipPage)
    inv = run.invoice
    assert inv is not None
    amount = format_amount(inv.amount) if inv.amount is not None else "montant illisible"
    if run.handover is None:
        run.result = "lien donné"
        raise EndFlow("handed_off", f"Facture n° {inv.number} ({amount}) : ouvrir le lien de paiement affiché "
                      f"ci-dessus (mode {payfip.mode}).")
    run.notify(f"La page de paiement de la facture n° {inv.number} ({amount}) est ouverte dans le navigateur "
               f"(mode {payfip.mode}) : la famille ou l’agent saisit la carte et valide. L’assistant attend.")
    run.handover(payfip)
    run.result = _status_after(journey, run)
    journey.facts["payment_result"] = run.result
    if run.result == "payée":
        raise EndFlow("handed_off", f"Paiement confirmé : la facture n° {inv.number} ({amount}) est « Payée ».")
    raise EndFlow("handed_off", f"La facture n° {inv.number} ({amount}) est toujours « {run.result} » : "
                  "paiement non effectué ou non encore enregistré.")


def _status_after(journey: Journey, run: PaymentRun) -> str:
    """What « Mes factures » says of the invoice once the person is done (or « inconnu »)."""
    try:
        if journey.page.is_closed():  # the person closed the provider's window
            journey.page = journey.context.new_page()
        InvoicesPage.open(journey.page, journey.settings)
        found = next((inv for inv in _table(journey).read() if inv.number == run.number.strip()), None)
    except (SessionExpired, PlaywrightError) as exc:
        logger.warning("status after payment unknown: {}", getattr(exc, "message", str(exc)).splitlines()[0])
        return "inconnu"
    return found.status if found and found.status else "inconnu"


def payment_flow(run: PaymentRun) -> Flow:
    """The hand-off journey for invoice ``run.number``."""
    return Flow(name="payer", title="Payer une facture", login=LOGIN, steps=(
        Step(1, "Dans votre espace famille personnel, allez dans « Mes factures »", open_invoices, InvoicesPage),
        Step(2, "Cliquez sur « Payer » en face de la facture : la page de paiement s’ouvre",
             lambda journey: go_to_payment(journey, run), PayfipPage),
        Step(3, "Confiez la page de paiement à la famille ou à l’agent, qui saisit la carte",
             lambda journey: hand_over(journey, run), PayfipPage),
    ))
