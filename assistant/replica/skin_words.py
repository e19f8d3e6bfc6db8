"""The words and durations each rendering implies (assistant/replica/skins.py reads them).

Keys of a rendering's table are what the templates read through ``Composition.words()``
(``w.modifier``, ``w.login_error``...). Every wording here is a [guess] but the help page's words,
whose case, spaces and apostrophes only vary as the ``typography`` aspect says.
"""

from __future__ import annotations

from typing import Any

WAIT_MS = {"instant": 0, "short": 400, "long": 3000, "very_long": 10000}

# words implied by each value (templates read them through Skin.words())
HEADING_TEXTS: dict[str, dict[str, str | None]] = {
    "classic": {"t_step1": "Ma demande", "t_recap": "Le récapitulatif", "t_invoices": "Mes factures",
                "t_dashboard": "Mon tableau de bord"},
    "numbered": {"t_step1": "Étape 1 – Votre demande", "t_recap": "Récapitulatif", "t_invoices": "Mon compte",
                 "t_dashboard": "Mon tableau de bord"},
    "terse": {"t_step1": None, "t_recap": "Vérification", "t_invoices": "Facturation", "t_dashboard": None},
    "none": {"t_step1": None, "t_recap": None, "t_invoices": None, "t_dashboard": None},
}

TYPOGRAPHY: dict[str, dict[str, Any]] = {
    "seed": {"modifier": "MODIFIER", "next_step": "Aller à l’étape 2", "validate": "VALIDER", "yes": "OUI",
             "no": "NON", "question": "Souhaitez-vous adhérer à la facture en ligne ?",
             "back": "Retour à l’étape 1", "count_in_label": False},
    "title_case": {"modifier": "Modifier", "next_step": "Aller à l'étape 2", "validate": "Valider", "yes": "Oui",
                   "no": "Non", "question": "Souhaitez-vous adhérer à la facture en ligne\u00a0?",
                   "back": "Retour à l'étape 1", "count_in_label": False},
    "caps_no_accents": {"modifier": "MODIFIER", "next_step": "ALLER A L'ETAPE 2", "validate": "VALIDER",
                        "yes": "OUI", "no": "NON", "question": "Souhaitez-vous adhérer à la facture en ligne ?",
                        "back": "RETOUR A L'ETAPE 1", "count_in_label": False},
    "narrow_spaces": {"modifier": "MODIFIER", "next_step": "Aller à l’étape\u00a02", "validate": "VALIDER",
                      "yes": "OUI", "no": "NON", "question": "Souhaitez-vous adhérer à la facture en ligne\u202f?",
                      "back": "Retour à l’étape\u00a01", "count_in_label": True},
}

WORDINGS: dict[str, dict[str, str]] = {
    "classic": {
        "login_user": "Identifiant",
        "login_error": "Identifiant ou mot de passe incorrect.",
        "pending": "Une demande d’adhésion à la facture en ligne est en cours de traitement.",
        "confirm_title": "Votre demande a bien été enregistrée",
        "confirm_number": "N° de demande :",
        "confirm_status": "Statut :",
        "wait": "Merci de patienter...",
        "maintenance_title": "Site en maintenance",
        "maintenance_text": "L’Espace Citoyens est momentanément indisponible pour maintenance. "
                            "Merci de réessayer ultérieurement.",
        "error_title": "Une erreur est survenue",
        "error_text": "Une erreur technique est survenue lors du traitement de votre demande. "
                      "Merci de réessayer ultérieurement.",
    },
    "username": {
        "login_user": "Nom d’utilisateur",
        "login_error": "Nom d’utilisateur ou mot de passe invalide.",
        "pending": "Votre demande d’adhésion à la facture en ligne est en attente de validation.",
        "confirm_title": "Votre démarche a été transmise",
        "confirm_number": "Numéro de la demande :",
        "confirm_status": "État :",
        "wait": "Patientez...",
        "maintenance_title": "Maintenance en cours",
        "maintenance_text": "Le portail est en cours de maintenance. Il sera de nouveau accessible très bientôt.",
        "error_title": "Erreur technique",
        "error_text": "Le traitement de votre demande a échoué. Veuillez réessayer plus tard.",
    },
    "email": {
        "login_user": "Adresse e-mail",
        "login_error": "Échec de la connexion : adresse e-mail ou mot de passe erroné.",
        "pending": "Une demande est déjà en cours pour l’adhésion à la facture en ligne.",
        "confirm_title": "Demande enregistrée",
        "confirm_number": "Référence de la demande :",
        "confirm_status": "Statut de la demande :",
        "wait": "Veuillez patienter…",
        "maintenance_title": "Service momentanément indisponible",
        "maintenance_text": "Une opération de maintenance est en cours. Merci de votre compréhension.",
        "error_title": "Oups ! Une erreur inattendue s’est produite.",
        "error_text": "Nos équipes ont été prévenues. Merci de réessayer dans quelques instants.",
    },
}

# amounts: the group separator per ``amount_grouping``, the currency per ``amount_currency`` (+ "_currency")
AMOUNTS: dict[str, dict[str, str]] = {
    "nbsp": {"group_sep": "\u00a0"},
    "nnbsp": {"group_sep": "\u202f"},
    "space": {"group_sep": " "},
    "dot": {"group_sep": "."},
    "none": {"group_sep": ""},
    "euro_nbsp_currency": {"currency": "\u00a0€", "amount_head": "Montant"},
    "euro_space_currency": {"currency": " €", "amount_head": "Montant"},
    "none_currency": {"currency": "", "amount_head": "Montant (€)"},
}

# an invoice's status per ``status_words``: (paid, to pay); a part payment is always « Partiellement
# réglée » with « Reste à payer : … » beside it (its case follows ``status_case`` too)
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "payee_a_payer": ("Payée", "À payer"),
    "reglee_a_regler": ("Réglée", "À régler"),
    "payee_en_attente": ("Payée", "En attente de paiement"),
    "reglee_non_reglee": ("Réglée", "Non réglée"),
    "acquittee_impayee": ("Acquittée", "Impayée"),
    "soldee_a_payer": ("Soldée", "À payer"),
    "prelevee_prelevement": ("Prélevée", "Prélèvement en cours"),
}
#: the vocabularies whose word for an invoice not paid yet says it is being debited from the family's
#: account (a family on direct debit: nothing for it to pay, the public treasury takes it)
DEBITING = frozenset({"prelevee_prelevement"})
#: the detail fragment's own words when it does not repeat the table's (detail_status=fixed), per meaning:
#: a portal that says « Prélèvement en cours » in its table does not say « À payer » in its detail
DETAIL_WORDS = {"paid": "Payée", "partly_paid": "À payer", "to_pay": "À payer", "direct_debit": "Prélèvement en cours"}
PARTIAL_WORD = "Partiellement réglée"
REMAINING_WORD = "Reste à payer"
