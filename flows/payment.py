"""Payer vos factures en ligne (the seed's promise, once online invoicing is on).

Payer (``assistant payer NUMÉRO``), the assistant never pays:

0. Connexion à l’espace famille
1. Dans votre espace famille personnel, allez dans « Mes factures »
2. Cliquez sur « Payer » en face de la facture : la page de paiement s’ouvre
3. Confiez la page de paiement à la famille ou à l’agent, qui saisit la carte

The provider's page is checked to ask for what the family owes on the invoice, then handed to a
person (headed) or its link printed (headless); the link's e-mail never reaches the report. An
invoice already paid is a normal answer (« already_paid », nothing to do), and so is one the
family's account is being debited for (« direct_debit »). A status or an amount to pay that does
not read, on the table and then in the invoice's detail, or an amount asked by the provider's page
that is not one, ends the journey « unreadable » (exit 8): never handed off, never said paid.
« Payer » is offered to families with online invoicing only: when it is missing, their state is
read in a second tab (read-only) and the journey ends with it (« not_adhered »: activate it first;
« pending »: wait for the request; « unreadable »: the state does not read).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from decimal import Decimal
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.errors import AssistantError, InvoiceUnknown, PortalRefused, SessionExpired, Unreadable
from assistant.invoices.french import UnreadableText, format_amount
from assistant.invoices.model import DIRECT_DEBIT, PAID, PARTLY_PAID, UNPAID, Invoice, InvoiceRun, problem_fr
from assistant.pages.invoices import InvoicesPage
from assistant.pages.payfip import PayfipPage
from assistant.steps import EndFlow, Flow, Step

from .adhesion import STEP_1, AdhesionResult, verify_adhesion
from .invoices import back_to_list, read_details
from .login import LOGIN

Handover = Callable[[PayfipPage], None]


@dataclass
class PaymentRun:
    """``assistant payer``: which invoice, who takes over on the provider's page, and what came of it.

    ``handover`` is the person: it returns once they are done (paid, cancelled, or the page was
    closed). None means nobody is at this browser (headless): the payment link is given instead.
    """

    number: str
    handover: Handover | None = None
    notify: Callable[[str], None] = lambda text: None
    invoice: Invoice | None = None
    #: the provider's address; it carries the family's e-mail (``mel=``): printed for the person only
    payment_url: str | None = None
    payment_mode: str | None = None
    #: the amount the provider's page asks (None: its address does not say)
    payment_amount: Decimal | None = None
    result: str | None = None
    #: new logins made to read the invoice's detail (the runner then replays nothing)
    relogins: int = 0

    def report_view(self) -> dict[str, str | None]:
        view = {"invoice": self.number.strip(), "payment_url": _without_email(self.payment_url or ""),
                "payment_mode": self.payment_mode or "", "payment_result": self.result or ""}
        view = {k: v for k, v in view.items() if v}
        if self.payment_url:  # the provider's page was reached: the amount it asks, or None (its address hides it)
            return {**view, "payment_amount": None if self.payment_amount is None else str(self.payment_amount)}
        return view


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


# -- step 2: « Payer » ---------------------------------------------------------------------------
def find_invoice(invoices: InvoicesPage, run: PaymentRun) -> None:
    """The invoice ``run.number`` on « Mes factures », payable with « Payer », or the typed refusal.

    What the table does not say (its status, the amount to pay) is read in the invoice's detail; a status
    or an amount still unreadable ends the journey (« unreadable »): never handed off, never « déjà payée »."""
    listed = invoices.table.read()
    wanted = run.number.strip()
    found = next((inv for inv in listed if inv.number == wanted), None)
    if found is None:
        raise InvoiceUnknown(f"La facture n° {wanted} n’existe pas dans « Mes factures » de cette famille "
                             f"({len(listed)} facture(s) affichée(s)).", page=InvoicesPage.TITLE,
                             url=invoices.page.url, control=wanted)
    if found.status is None or (found.to_pay and found.amount_due is None):
        reading = InvoiceRun(relogins=run.relogins)
        read_details(invoices, reading, [found])
        run.relogins = reading.relogins
        back_to_list(invoices, reading)
    found.finish()
    if found.status is None:
        raise _unreadable(invoices, found, "status", f"Le statut de la facture n° {wanted} n’a pas pu être lu")
    if found.status == PAID:
        # nothing to do: a normal answer, not a refusal
        raise EndFlow("already_paid", f"La facture n° {wanted} est déjà payée : rien à faire, rien n’a été envoyé "
                      "au paiement.")
    if found.status == DIRECT_DEBIT:
        raise EndFlow("direct_debit", f"La facture n° {wanted} est en « prélèvement en cours » : elle est prélevée "
                      "sur le compte de la famille, rien n’a été envoyé au paiement.")
    if found.amount_due is None:
        name = "remaining" if found.status == PARTLY_PAID else "amount"
        raise _unreadable(invoices, found, name, f"Le montant à payer de la facture n° {wanted} n’a pas pu être lu")
    if invoices.table.pay_link(found.id).count() == 0:
        raise _not_payable(invoices, found)
    run.invoice = found


def _unreadable(invoices: InvoicesPage, found: Invoice, name: str, what: str) -> Unreadable:
    """``what`` could not be read on « Mes factures »: said with what the page showed, nothing handed off."""
    seen = found.problems.get(name, "absent")
    return Unreadable(f"{what} ({problem_fr(name, seen)}) : la facture n’a pas été confiée au paiement, rien n’a "
                      "été envoyé.", page=InvoicesPage.TITLE, url=invoices.page.url, control=found.number, seen=seen)


def _not_payable(invoices: InvoicesPage, found: Invoice) -> Exception:
    """« Payer » is missing: the portal offers it to families with online invoicing only. Their state,
    read in a second tab (read-only), says what to do first; an unknown cause stays a refusal."""
    missing = f"« Payer » n’est pas proposé pour la facture n° {found.number}"
    try:
        state = verify_adhesion(invoices, AdhesionResult(), relogin=False)
    except Unreadable as exc:
        # no answer beats a wrong one: the state decides what to say, and it could not be read
        raise Unreadable(f"{missing}, et l’état de la facture en ligne n’a pas pu être lu : {exc.message}",
                         page=exc.page, url=exc.url, control=exc.control, seen=exc.seen) from exc
    except AssistantError as exc:
        logger.warning("adhesion state unreadable after a missing « Payer »: {}", exc.message)
        state = None
    if state == "NON":
        return EndFlow("not_adhered", f"{missing} : la facture en ligne n’est pas activée pour cette famille ; "
                       "le paiement en ligne demande de l’activer d’abord.")
    if state == "EN_ATTENTE":
        return EndFlow("pending", f"{missing} : la demande d’adhésion à la facture en ligne est en cours de "
                       "traitement ; le paiement en ligne sera possible une fois la demande acceptée.")
    why = (" alors que la facture en ligne est activée" if state == "OUI" else
           " : la facture en ligne n’est peut-être pas activée (lancer « assistant statut »)")
    return PortalRefused(f"{missing}{why}.", page=InvoicesPage.TITLE, url=invoices.page.url, control="Payer")


def check_amount(payfip: PayfipPage, run: PaymentRun) -> None:
    """The provider's page asks for what the family owes on the invoice; keep its address for the person. An
    amount asked that does not read ends the journey (« unreadable »): the page is not handed over."""
    inv = run.invoice
    assert inv is not None
    try:
        asked = payfip.amount()
    except UnreadableText as exc:
        raise Unreadable(f"La page de paiement demande un montant illisible ({exc}) pour la facture n° {inv.number} : "
                         "paiement non confié, rien n’a été envoyé.", page=payfip.TITLE, url=payfip.page.url,
                         control="montant", seen=exc.text) from exc
    due = inv.amount_due
    if due is not None and asked is not None and asked != due:
        left = "reste à payer" if inv.status == PARTLY_PAID else "est de"
        raise PortalRefused(
            f"La page de paiement demande {format_amount(asked)} "
            f"alors que la facture n° {inv.number} {left} {format_amount(due)} : paiement non confié.",
            page=payfip.TITLE, url=payfip.page.url, control="montant")
    run.payment_url, run.payment_mode, run.payment_amount = payfip.page.url, payfip.mode, asked


def _without_email(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, "***" if k.lower() == "mel" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


# -- step 3: the hand-off ------------------------------------------------------------------------
def _amount(run: PaymentRun) -> str:
    inv = run.invoice
    assert inv is not None
    due = inv.amount_due
    if due is None:
        return "montant illisible"
    return f"reste {format_amount(due)}" if inv.status == PARTLY_PAID else format_amount(due)


def announce(payfip: PayfipPage, run: PaymentRun) -> None:
    """Nobody at this browser: the link is the hand-off; else tell the person the page is theirs."""
    inv = run.invoice
    assert inv is not None
    if run.handover is None:
        run.result = "lien donné"
        raise EndFlow("handed_off", f"Facture n° {inv.number} ({_amount(run)}) : ouvrir le lien de paiement que la "
                      f"commande a affiché (mode {payfip.mode}).")
    run.notify(f"La page de paiement de la facture n° {inv.number} ({_amount(run)}) est ouverte dans le navigateur "
               f"(mode {payfip.mode}) : la famille ou l’agent saisit la carte et valide. L’assistant attend.")


def status_after(payfip: PayfipPage, run: PaymentRun) -> None:
    """What « Mes factures » says of the invoice once the person is done; ends the journey."""
    inv = run.invoice
    assert inv is not None
    run.result = _status_after(payfip, run)
    if run.result == PAID:
        raise EndFlow("handed_off", f"Paiement confirmé : la facture n° {inv.number} ({_amount(run)}) est « Payée ».")
    if run.result in (UNPAID, PARTLY_PAID):
        raise EndFlow("handed_off", f"La facture n° {inv.number} ({_amount(run)}) est toujours « {run.result} » : "
                      "paiement non effectué ou non encore enregistré.")
    raise EndFlow("handed_off", f"Après le paiement, le statut de la facture n° {inv.number} ({_amount(run)}) "
                  f"n’est pas connu ({run.result}) : le vérifier dans « Mes factures » avant toute autre démarche.")


def _status_after(payfip: PayfipPage, run: PaymentRun) -> str:
    """What « Mes factures » says of the invoice: its status, or why it is not known (« inconnu », « statut
    illisible : … »)."""
    try:
        # the person may have closed the provider's window
        page = payfip.page.context.new_page() if payfip.page.is_closed() else payfip.page
        listed = InvoicesPage.open(page, payfip.settings).table.read()
        found = next((inv for inv in listed if inv.number == run.number.strip()), None)
    except (SessionExpired, PlaywrightError) as exc:
        logger.warning("status after payment unknown: {}", getattr(exc, "message", str(exc)).splitlines()[0])
        return "inconnu"
    if found is None:
        return "facture absente de « Mes factures »"
    if found.status is None:
        return problem_fr("status", found.problems.get("status", "absent"))
    return found.status


PAY = Step(2, "Cliquez sur « Payer » en face de la facture : la page de paiement s’ouvre", InvoicesPage.pay,
           args=lambda run: (run.invoice,), check=find_invoice, read=check_amount)
HAND_OVER = Step(3, "Confiez la page de paiement à la famille ou à l’agent, qui saisit la carte",
                 PayfipPage.hand_over, args=lambda run: (run.handover,), check=announce, read=status_after)


def payment_flow(number: str, handover: Handover | None = None,
                 notify: Callable[[str], None] = lambda text: None) -> Flow:
    """The hand-off journey for invoice ``number`` (its result: a :class:`PaymentRun`)."""
    return Flow(name="payer", title="Payer une facture", login=LOGIN, steps=(STEP_1, PAY, HAND_OVER),
                result=partial(PaymentRun, number, handover, notify))
