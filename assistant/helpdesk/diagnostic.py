"""A read-only diagnosis of a family's account, for a helpdesk agent on the phone.

With the family's credentials (given with their consent, for this run only) it plays
:func:`flows.diagnostic.diagnostic_flow`: can the account log in, must the password be changed,
is online invoicing on, off or pending, how many invoices are due, their total and the next due
date. It ends with the blocking point and the next action in plain French, and the help page's
contact when the portal itself is at fault.

It never writes: the flow has no writing step, and once logged in a network guard aborts every
request but GET/HEAD and the login's own (logging in again after a lost session reads, never writes). A refused login is never retried.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loguru import logger

from flows.diagnostic import FLOW, DiagnosticResult

#: the diagnostic's step that reads the online invoicing's state (« Adhésion à la facture/compte en ligne »)
ADHESION_STEP = FLOW.steps[-1].number

from ..config import Settings
from ..invoices.french import format_amount, format_due
from ..outcomes import HELPDESK
from ..report import write_all
from ..pages.base import PortalPage
from ..results import RunReport
from ..runner import NetworkGuard, Observe, Progress, Runner
from ..steps import Step
from ..suggest import with_flags
from .contacts import GRAND_PERIGUEUX, UNKNOWN_COMMUNE, Contact, contact_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser

INVOICING_FR = {"active": "activée", "inactive": "non activée", "pending": "demande en cours de traitement",
                "unreadable": "illisible (l’état affiché par le portail n’a pas pu être lu)"}
CHOICE_TO_INVOICING = {"OUI": "active", "NON": "inactive", "EN_ATTENTE": "pending"}
PORTAL_SAID = re.compile(r"Message du portail\s*:\s*«\s*(.+?)\s*»\s*$")
#: outcomes where the portal itself is at fault (its contact is given)
PORTAL_FAULTS = {"portal_unavailable", "session_expired", "portal_changed"}
#: how the agent starts the activation: the console's button, or in a terminal the command (completed with
#: the run's portal and family by :func:`assistant.suggest.with_flags`)
ACTIVATE_BUTTON = "« Activer la facture en ligne »"
ACTIVATE_COMMAND = "« assistant adhesion »"


@dataclass
class Diagnosis:
    """Where a family is stuck and what to do; None where the run could not find out."""

    commune: str
    outcome: str
    exit_code: int
    blocking_point: str
    next_action: str
    can_log_in: bool | None = None
    password_change_required: bool | None = None
    online_invoicing: str | None = None  # "active" | "inactive" | "pending" | "unreadable"
    invoices: int | None = None  # None: never read (not « 0 »)
    unpaid: int | None = None
    unpaid_total: Decimal | None = None  # None: not read, or one of the amounts to pay unreadable
    next_due: date | None = None
    unreadable_status: int = 0  # invoices whose status does not read: neither to pay nor paid
    direct_debit: int = 0  # invoices being debited: neither to pay by the family nor paid
    unreadable_amounts: int = 0
    unreadable_dues: int = 0
    portal_message: str | None = None
    contact: Contact | None = None
    report: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """One line: « blocking point : next action », or two sentences when the blocking point already has
        its own colon or sentences (« …pas une expiration : réessayer… » would read as one statement)."""
        point = self.blocking_point.rstrip(".")
        if " : " in point or ". " in point:
            return f"{point}. {self.next_action}"
        return f"{point} : {self.next_action[0].lower()}{self.next_action[1:]}"

    def dues_fr(self, today: date | None = None) -> str | None:
        """« 2 à payer sur 4, total 1 234,56 €, la première échue depuis le 28/02/2026 » (or « à payer avant
        le … » while in time) on ``today`` (default: today); « total inconnu : 1 montant illisible » rather than
        a partial sum; what does not read counted apart (« 1 au statut illisible »). None: never read."""
        if self.invoices is None:
            return None
        if self.invoices == 0:
            return "aucune facture"
        text = f"{self.unpaid} à payer sur {self.invoices}"
        if self.unpaid:
            if self.unpaid_total is not None:
                text += f", total {format_amount(self.unpaid_total)}"
            else:
                text += f", total inconnu{_illegible(self.unreadable_amounts, 'montant')}"
            first = "" if self.unpaid == 1 else "la première "
            if self.next_due is not None:
                text += f", {first}{format_due(self.next_due, today or date.today())}"
            elif self.unreadable_dues:
                text += f", {first}date limite inconnue{_illegible(self.unreadable_dues, 'date')}"
        if self.unreadable_status:
            text += f", {self.unreadable_status} au statut illisible"
        if self.direct_debit:
            text += f", {self.direct_debit} en prélèvement en cours"
        return text

    def lines_fr(self) -> list[str]:
        """The diagnosis as an agent reads it, one fact a line."""
        def yes_no(value: bool | None) -> str:
            return "inconnu" if value is None else "oui" if value else "non"

        lines = [
            f"Connexion possible : {yes_no(self.can_log_in)}",
            f"Mot de passe à changer : {yes_no(self.password_change_required)}",
            f"Facture en ligne : {INVOICING_FR.get(self.online_invoicing or '', 'inconnue')}",
            f"Factures : {self.dues_fr() or 'inconnues'}",
        ]
        if self.portal_message:
            lines.append(f"Message du portail : « {self.portal_message} »")
        lines += [f"Point de blocage : {self.blocking_point}", f"Prochaine action : {self.next_action}"]
        if self.contact:
            lines.append(f"Contact : {self.contact.sentence()}")
        lines += [f"Attention : {w}" for w in self.warnings]
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "commune": self.commune, "outcome": self.outcome, "exit_code": self.exit_code,
            "can_log_in": self.can_log_in, "password_change_required": self.password_change_required,
            "online_invoicing": self.online_invoicing, "invoices": self.invoices, "unpaid": self.unpaid,
            "unpaid_total": str(self.unpaid_total) if self.unpaid_total is not None else None,
            "unreadable_status": self.unreadable_status, "direct_debit": self.direct_debit,
            "unreadable_amounts": self.unreadable_amounts, "unreadable_dues": self.unreadable_dues,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "portal_message": self.portal_message, "blocking_point": self.blocking_point,
            "next_action": self.next_action, "verdict": self.verdict,
            "contact": self.contact.to_dict() if self.contact else None,
            "report": self.report, "warnings": list(self.warnings),
        }


def _illegible(count: int, what: str) -> str:
    """« : 1 montant illisible », « : 2 dates illisibles » (nothing for no count)."""
    return f" : {count} {what}{'s' if count > 1 else ''} illisible{'s' if count > 1 else ''}" if count else ""


class ReadOnlyGuard(NetworkGuard):
    """Aborts every request that could write, except logging in again (a lost session is read again)."""

    LOGIN = re.compile(r"/Home/(?:Logon|LogonAjax|RecupererModaleConnexion)/?$", re.IGNORECASE)

    def __call__(self, route) -> None:
        if self.LOGIN.search(urlsplit(route.request.url).path):
            route.fallback()
        else:
            super().__call__(route)


def from_report(report: RunReport, tenant: str, activate: str = ACTIVATE_BUTTON) -> Diagnosis:
    """Read a diagnostic run's report into a :class:`Diagnosis` (pure: no browser); ``activate`` names how
    the agent starts the activation (the console's button, or :data:`ACTIVATE_COMMAND`)."""
    read = report.result if isinstance(report.result, DiagnosticResult) else DiagnosticResult()
    login = report.steps[0] if report.steps else None
    logged_in = login is not None and login.status == "ok"
    said = PORTAL_SAID.search(report.message)
    listed = read.invoices is not None
    diag = Diagnosis(
        commune=tenant, outcome=report.outcome, exit_code=report.exit_code, blocking_point="", next_action="",
        can_log_in=True if logged_in else None, password_change_required=False if logged_in else None,
        online_invoicing=_invoicing(read, report),
        invoices=len(read.invoices) if listed else None, unpaid=len(read.unpaid) if listed else None,
        unpaid_total=read.unpaid_total, next_due=read.next_due,
        unreadable_status=len(read.unreadable_status), direct_debit=len(read.direct_debit),
        unreadable_amounts=read.unreadable_amounts, unreadable_dues=read.unreadable_dues,
        portal_message=said.group(1) if said else None,
    )
    if read.unreadable_amounts:
        diag.warnings.append(f"{read.unreadable_amounts} montant(s) à payer illisible(s) : le total n’est pas connu.")
    if diag.unreadable_status:
        diag.warnings.append(f"{diag.unreadable_status} facture(s) au statut illisible : ni comptées à payer ni "
                             "comptées payées.")
    if report.blocked_requests:
        diag.warnings.append("une requête d’écriture a été bloquée par la garde réseau (rien n’a été envoyé).")
    _explain(diag, report, tenant, activate)
    return diag


def _invoicing(read: DiagnosticResult, report: RunReport) -> str | None:
    """The online invoicing as read at the adhesion step; « unreadable » when that step shows a state that does not
    read (never « inactive » for want of a reading); None when the run did not get there."""
    if read.choice_before in CHOICE_TO_INVOICING:
        return CHOICE_TO_INVOICING[read.choice_before]
    adhesion = next((s for s in report.steps if s.number == ADHESION_STEP), None)
    if report.outcome == "unreadable" and adhesion is not None and adhesion.status == "failed":
        return "unreadable"
    return None


def _said_once(message: str, action: str) -> str:
    """``message`` without the advice ``action`` opens with (« …DetailFacture : réessayer plus tard. » followed
    by « Réessayer plus tard (…) » would say it twice)."""
    advice = re.split(r"\s*[(;.]", action, maxsplit=1)[0]
    if not advice:
        return message
    said = re.escape(advice)
    return re.sub(rf"\s*:\s*{said}(?=\.|$)|(?<=\.)\s*{said}\.?", "", message, flags=re.IGNORECASE)


def _helpdesk(tenant: str) -> str:
    """Whom the family's file is asked about, numbers included, as the run's report says it."""
    return f"le {HELPDESK}" if tenant == GRAND_PERIGUEUX else UNKNOWN_COMMUNE.name


def _explain(diag: Diagnosis, report: RunReport, tenant: str, activate: str) -> None:
    """Fill the blocking point, the next action and the contact from the run's outcome."""
    key = report.outcome
    if key == "not_adhered":
        diag.blocking_point = "La famille n’a pas encore adhéré à la facture en ligne."
        diag.next_action = f"Lancer l’activation ({activate}, avec l’accord de la famille) ou envoyer le guide."
    elif key == "pending":
        diag.blocking_point = "La demande d’adhésion de la famille est en cours de traitement par le service."
        diag.next_action = ("Attendre le courriel de confirmation ; sans nouvelles après quelques jours, "
                            f"contacter {_helpdesk(tenant)}.")
        diag.contact = contact_for("family", tenant)
    elif key == "already_done":
        diag.blocking_point = "Aucun : la facture en ligne est active."
        actions = []
        if diag.unpaid:
            actions.append(f"{diag.unpaid} facture(s) à payer : la famille les paie dans « Mes factures » "
                           "avec « Payer » (envoyer le guide, partie « Payer une facture »).")
        if diag.unreadable_status:
            actions.append(f"{diag.unreadable_status} facture(s) au statut illisible : vérifier leur statut dans "
                           "« Mes factures » avec la famille.")
        diag.next_action = " ".join(actions) or "Aucune action : rien n’est à payer."
    elif key == "unreadable":
        diag.blocking_point = f"Une information affichée par le portail n’a pas pu être lue : {report.message}"
        diag.next_action = report.next_action
    elif key == "login_rejected":
        diag.can_log_in = False
        shown = f" (« {diag.portal_message} »)" if diag.portal_message else ""
        diag.blocking_point = f"Le portail refuse la connexion{shown}."
        diag.next_action = ("Vérifier l’identifiant et le mot de passe avec la famille ; s’il est perdu, la famille "
                            "utilise « Mot de passe oublié » sur le portail. Aucun nouvel essai n’a été fait "
                            "(risque de blocage du compte).")
    elif key == "password_change_required":
        diag.can_log_in, diag.password_change_required = True, True
        diag.blocking_point = "Le portail demande à la famille de choisir un nouveau mot de passe."
        diag.next_action = ("La famille se connecte elle-même et choisit un nouveau mot de passe (ou l’agent ouvre "
                            "le navigateur avec la famille au téléphone), puis relancer le diagnostic.")
    elif key in PORTAL_FAULTS:
        diag.next_action = (report.next_action if key != "portal_changed" else
                            "Transmettre le rapport (capture et page enregistrée) à l’équipe technique.")
        diag.blocking_point = f"Le portail est en cause, pas la famille : {_said_once(report.message, diag.next_action)}"
        diag.contact = contact_for("portal", tenant)
    elif key == "needs_human":
        diag.blocking_point = report.message
        diag.next_action = report.next_action
        diag.contact = contact_for("family", tenant)
    else:  # configuration, browser, interruption: the assistant's side
        diag.blocking_point = report.message
        diag.next_action = report.next_action


def diagnose(settings: Settings, *, browser: "Browser | None" = None, progress: Progress | None = None,
             observe: Observe | None = None, activate: str = ACTIVATE_BUTTON) -> tuple[Diagnosis, RunReport]:
    """Play the read-only diagnosis once; write its reports (and ``diagnostic.json``) in ``report_dir``.
    ``activate``: see :func:`from_report`; a command it names is completed with the run's options."""
    guard = ReadOnlyGuard(armed=True)

    def watch(shown: PortalPage | None, step: Step, result) -> None:
        if step is FLOW.login and result.status == "ok" and shown is not None:
            # logged in: from now on nothing but reading reaches the portal
            shown.page.context.route("**/*", guard)
        if observe is not None:
            observe(shown, step, result)

    report = Runner(settings, progress=progress, observe=watch).run(FLOW, browser=browser)
    if guard.blocked:
        logger.warning("diagnostic: {} write request(s) blocked", len(guard.blocked))
        report.blocked_requests = list(guard.blocked)
    folder = Path(settings.report_dir or "reports/last")
    paths = write_all(report, folder)
    diagnosis = from_report(report, settings.tenant, activate)
    diagnosis.next_action = with_flags(diagnosis.next_action, settings.again)
    diagnosis.report = str(paths["html"])
    (folder / "diagnostic.json").write_text(json.dumps(diagnosis.to_dict(), ensure_ascii=False, indent=2),
                                            encoding="utf-8")
    return diagnosis, report
