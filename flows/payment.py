"""Payer vos factures en ligne (the seed's promise, once online invoicing is on).

Payer (``assistant payer NUMÉRO``), the assistant never pays:

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Payer » en face de la facture : la page de paiement s’ouvre
3. Confiez la page de paiement à la famille ou à l’agent, qui saisit la carte

The provider's page is checked to ask for the invoice's amount, then handed to a person (headed)
or its link printed (headless); the link's e-mail never reaches the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.errors import AlreadyPaid, InvoiceUnknown, PortalRefused, SessionExpired
from assistant.invoices.french import format_amount
from assistant.invoices.model import Invoice
from assistant.pages.invoices import InvoicesPage
from assistant.pages.payfip import PayfipPage
from assistant.steps import EndFlow, Flow, Journey, Step

from . import LOGIN, current
from .invoices import open_invoices, table_shown

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
    invoices = table_shown(journey).read()
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
    table = table_shown(journey)
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
        found = next((inv for inv in table_shown(journey).read() if inv.number == run.number.strip()), None)
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
