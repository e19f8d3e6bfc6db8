"""The French words of a run's report: one table for the outcomes, one for the facts, and how a
fact's value, the run's moment and its files are written (through :mod:`assistant.invoices.french`).

The HTML report (``templates/report.html``) shows only these labels: a code such as ``done`` or
``unreadable_invoices`` stays in ``report.json``. A key missing from a table falls back to French
(the outcome's sentence, « autre information »), never to the code.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .invoices.french import format_amount, format_due, format_number
from .outcomes import OUTCOMES

#: the outcome, as the summary's « Résultat » line says it
OUTCOME_LABELS = {
    "done": "adhésion faite", "already_done": "adhère déjà", "pending": "demande en attente",
    "rehearsed": "répétition réussie", "declined": "« VALIDER » refusé par l’opérateur",
    "not_adhered": "n’adhère pas", "listed": "factures lues", "handed_off": "paiement confié à une personne",
    "login_rejected": "identifiant ou mot de passe refusé", "invoice_unknown": "facture inconnue",
    "already_paid": "facture déjà payée", "direct_debit": "facture en prélèvement en cours",
    "portal_refused": "refus du portail",
    "config_error": "configuration incorrecte", "portal_unavailable": "portail indisponible",
    "confirmation_needed": "arrêt avant « VALIDER » : accord à donner avec --yes",
    "browser_server_unreachable": "serveur de navigateur injoignable", "session_expired": "session expirée",
    "validation_unknown": "résultat de « VALIDER » incertain", "portal_changed": "le portail a changé",
    "password_change_required": "mot de passe à changer", "needs_human": "une personne doit agir",
    "recorded": "enregistrement terminé", "unsafe_recording": "enregistrement supprimé",
    "family_busy": "autre exécution en cours", "unreadable": "information illisible sur le portail",
    "interrupted": "interrompu",
}

#: every fact a flow's result or the runner may report (see ``RunReport.shown``)
FACT_LABELS = {
    # adhesion, statut, monitoring
    "choice_before": "Facture en ligne avant le parcours",
    "choice_before_validate": "Facture en ligne juste avant « VALIDER »",
    "recap_answer": "Réponse sur la page de « VALIDER »",
    "request_number": "N° de demande",
    "request_status": "Statut de la demande",
    "verified_choice": "Facture en ligne relue après « VALIDER »",
    "verification": "Relecture de l’état",
    "after_validate": "Après « VALIDER »",
    # invoices and the diagnostic
    "invoices": "Factures lues",
    "unpaid": "Factures à payer",
    "unreadable_invoices": "Factures lues en partie seulement",
    "fallbacks": "Détails lus par la page (méthode lente)",
    "downloaded": "PDF téléchargés",
    "already_there": "PDF déjà présents",
    "not_downloaded": "PDF non téléchargés",
    "unreadable_status": "Factures au statut illisible (ni à payer ni payées)",
    "direct_debit": "Factures en prélèvement en cours",
    "unreadable_amounts": "Montants à payer illisibles",
    "unpaid_total": "Total à payer",
    "next_due": "Date limite de paiement",
    "unreadable_dues": "Dates limites à payer illisibles",
    # payment
    "invoice": "Facture",
    "payment_url": "Lien de paiement",
    "payment_mode": "Mode du prestataire de paiement",
    "payment_amount": "Montant demandé par la page de paiement",
    "payment_result": "Issue du paiement",
    # the runner's notes
    "blocked_requests": "Requêtes bloquées par la garde réseau",
    "consent_refused": "Bandeau de cookies refusé",
    "dialogs_closed": "Fenêtre d’information fermée",
    "session_relogin": "Session perdue",
    "relogins": "Nouvelles connexions",
    "first_trace": "Trace de la première tentative",
    "trace_lost": "Trace Playwright non conservée",
}
AMOUNT_FACTS = {"unpaid_total", "payment_amount"}
#: dates read against the day the report is written (« échue depuis le … », « à payer avant le … »)
DUE_FACTS = {"next_due"}
#: what a fact that was not read (None) is said to be: never 0, never « non »
UNKNOWN_FR = {"invoices": "inconnues (« Mes factures » non lu)", "unpaid": "inconnues (« Mes factures » non lu)",
              "unpaid_total": "inconnu",
              "payment_amount": "non indiqué dans l’adresse de la page de paiement (non vérifié)"}
#: the portal's codes for the « Souhaitez-vous adhérer ? » answer
CHOICES = {"OUI": "oui (adhère)", "NON": "non (n’adhère pas)", "EN_ATTENTE": "demande en attente"}

STATUS_FR = {"ok": "réussie", "failed": "échouée", "skipped": "non jouée"}
STATUS_MARK = {"ok": "✓", "failed": "✗", "skipped": "–"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
TIMEZONE = "Europe/Paris"

#: the files a run may leave in its folder, in the order the report lists them
FILES = (("trace.zip", "trace Playwright du parcours (pages, clics, réseau)"),
         ("trace-1.zip", "trace de la première tentative"),
         ("run.log", "journal technique (en anglais)"),
         ("report.json", "rapport en JSON (pour les outils)"),
         ("junit.xml", "rapport JUnit (intégration continue)"),
         ("diagnostic.json", "diagnostic en JSON"))


def unbroken(text: object) -> str:
    """French guillemets kept with their words (no-break spaces inside « »)."""
    return str(text).replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def outcome_label(key: str) -> str:
    if key in OUTCOME_LABELS:
        return OUTCOME_LABELS[key]
    return OUTCOMES[key].sentence.rstrip(".") if key in OUTCOMES else "issue inconnue"


def fact_label(key: str) -> str:
    return FACT_LABELS.get(key, "Autre information")


def fact_value(key: str, value: object) -> str:
    """A fact's value in French: amounts and dates as French output shows them, decimal comma, oui/non;
    a value not read (None) as « inconnu », never as a zero or a default."""
    if value is None:
        return UNKNOWN_FR.get(key, "inconnu")
    if isinstance(value, list):
        return ", ".join(fact_value(key, v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return format_number(value)
    text = str(value)
    try:
        if key in AMOUNT_FACTS:
            return format_amount(Decimal(text))
        if key in DUE_FACTS:
            return format_due(date.fromisoformat(text), date.today())
    except (InvalidOperation, ValueError):
        return text
    return CHOICES.get(text, text)


def facts(shown: dict[str, object], unread: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """``RunReport.shown()`` as (French label, French value) pairs, then what the run did not read
    (``RunReport.unread()``: « illisible », « non affiché »…). A total with an unreadable amount says how many."""
    pairs = []
    for key, value in shown.items():
        text = fact_value(key, value)
        if key == "unpaid_total" and value is None and shown.get("unreadable_amounts"):
            count = int(shown["unreadable_amounts"])  # type: ignore[call-overload]
            text += f" : {count} montant{'s' if count > 1 else ''} illisible{'s' if count > 1 else ''}"
        pairs.append((fact_label(key), text))
    return pairs + [(fact_label(k), v) for k, v in (unread or {}).items()]


def moment(iso: str | None) -> str:
    """``2026-11-27T13:05:00+00:00`` -> « 27 novembre 2026 à 14 h 05 (heure de Paris, UTC+1) »."""
    if not iso:
        return "date inconnue"
    when = datetime.fromisoformat(iso)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    try:
        local, zone = when.astimezone(ZoneInfo(TIMEZONE)), "heure de Paris, "
    except ZoneInfoNotFoundError:
        local, zone = when.astimezone(), ""
    offset = (local.utcoffset() or when.utcoffset()).total_seconds() / 3600
    shown = format_number(offset, 0 if offset == int(offset) else 1)
    day = f"{local.day}{'er' if local.day == 1 else ''}"
    return (f"{day} {MONTHS[local.month - 1]} {local.year} à {local:%H} h {local:%M} "
            f"({zone}UTC{'+' if offset >= 0 else ''}{shown})")
