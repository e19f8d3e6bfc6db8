"""The vocabulary of run outcomes: exit code, a French sentence for the agent, the next action.

One table, read by the runner (typed outcomes), the reports and the CLI (exit codes).
Exit codes: 0 done / already done / rehearsed / pending / declined, 1 the portal refused, 2 usage or
configuration, 3 portal unavailable, 4 portal changed, 5 a person must act, 6 a recording could not
be made safe (deleted), 7 another run holds the family's lock, 8 a value the portal shows could not be read (nothing sent),
130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

HELPDESK = "service Enfance / Centres de loisirs (05 24 13 83 38) ou ALLO AGGLO (05 53 35 86 00)"


@dataclass(frozen=True)
class Outcome:
    key: str
    exit_code: int
    sentence: str
    next_action: str


OUTCOMES: dict[str, Outcome] = {o.key: o for o in (
    Outcome("done", 0, "La facture en ligne est activée pour cette famille.",
            "Un courriel de confirmation va arriver ; les factures se consultent et se paient en ligne."),
    Outcome("already_done", 0, "La famille adhère déjà à la facture en ligne : rien n’a été envoyé.",
            "Aucune action : les factures se consultent dans « Mes factures »."),
    Outcome("pending", 0, "Une demande d’adhésion est déjà en cours de traitement : rien n’a été envoyé.",
            f"Attendre le courriel de confirmation ; sans nouvelles, contacter le {HELPDESK}."),
    Outcome("rehearsed", 0, "Répétition terminée : les six étapes ont été parcourues, « VALIDER » n’a pas été cliqué.",
            "Lancer sans --rehearse pour activer réellement la facture en ligne."),
    Outcome("declined", 0, "« VALIDER » n’a pas été cliqué : l’opérateur a refusé. Rien n’a été envoyé.",
            "Relancer quand la famille est d’accord (ou avec --rehearse pour une simple répétition)."),
    Outcome("not_adhered", 0, "La facture en ligne n’est pas activée pour cette famille.",
            "Lancer « assistant adhesion » pour l’activer."),
    Outcome("listed", 0, "Factures lues.", "Aucune action."),
    Outcome("handed_off", 0, "Le paiement est confié à une personne sur la page du prestataire.",
            "La famille saisit sa carte sur la page de paiement ; l’assistant ne paie jamais lui-même."),
    Outcome("login_rejected", 1, "Le portail a refusé l’identifiant ou le mot de passe.",
            "Vérifier les identifiants avec la famille ; ne pas réessayer en boucle (risque de blocage du compte)."),
    Outcome("invoice_unknown", 1, "Cette facture n’existe pas dans « Mes factures » de la famille.",
            "Vérifier le numéro (colonne « N° de facture » de « assistant factures ») puis relancer."),
    Outcome("already_paid", 0, "Cette facture est déjà payée : rien à faire, rien n’a été envoyé au paiement.",
            "Aucune action ; « assistant factures --unpaid » liste ce qui reste à payer."),
    Outcome("direct_debit", 0, "Cette facture est en prélèvement en cours : elle est prélevée sur le compte de la "
            "famille, rien n’a été envoyé au paiement.",
            "Aucune action ; en cas de doute sur le prélèvement, contacter le service qui facture."),
    Outcome("portal_refused", 1, "Le portail a refusé la demande.",
            "Lire le message du portail dans le rapport ; corriger puis relancer."),
    Outcome("config_error", 2, "Configuration ou usage incorrect.",
            "Corriger l’option ou la variable indiquée puis relancer."),
    Outcome("confirmation_needed", 2, "« VALIDER » n’a pas été cliqué : sans terminal pour poser la question, "
            "l’accord se donne avec --yes. Rien n’a été enregistré.",
            "Relancer « assistant adhesion --yes » si la famille est d’accord (ou depuis un terminal pour répondre "
            "à la question, ou « assistant adhesion --rehearse » pour une simple répétition)."),
    Outcome("portal_unavailable", 3, "Le portail est indisponible (injoignable, en maintenance ou en erreur).",
            "Réessayer plus tard (maintenance ou erreur du portail) ; si cela dure, transmettre le rapport à "
            "l’équipe technique."),
    Outcome("browser_server_unreachable", 3, "Le serveur de navigateur distant est injoignable.",
            "Vérifier que « playwright run-server » tourne à l’adresse indiquée (et avec --unsafe pour un "
            "Chromium Debian), puis relancer."),
    Outcome("session_expired", 3, "La session sur le portail a expiré pendant le parcours.",
            "Relancer le parcours : aucune étape d’écriture n’a été rejouée automatiquement."),
    Outcome("validation_unknown", 3, "« VALIDER » a été envoyé mais le portail n’a pas répondu normalement : "
            "le résultat n’est pas connu avec certitude.",
            "Vérifier avec « assistant statut » dans quelques minutes ; ne relancer que si l’adhésion est "
            "toujours « NON » (le parcours relit l’état avant d’envoyer quoi que ce soit)."),
    Outcome("portal_changed", 4, "Le portail a changé : une page ou un bouton attendu est introuvable.",
            "Transmettre le rapport (capture et HTML de la page) à l’équipe technique."),
    Outcome("password_change_required", 5, "Le portail demande à la famille de changer son mot de passe.",
            "La famille doit se connecter elle-même et choisir un nouveau mot de passe, puis relancer."),
    Outcome("needs_human", 5, "Une personne doit intervenir sur le portail (captcha, connexion externe…).",
            f"Faire réaliser l’étape par la famille, ou contacter le {HELPDESK}."),
    Outcome("recorded", 0, "Enregistrement terminé : archives HAR et pages nettoyées.",
            "Rejouer l’enregistrement hors ligne (tests) ou en tirer de nouvelles pages pour fixtures/."),
    Outcome("unsafe_recording", 6, "Enregistrement supprimé : un secret y restait après le nettoyage.",
            "Signaler le cas à l’équipe technique (le nettoyage doit être complété) ; ne rien transmettre."),
    Outcome("family_busy", 7, "Une autre exécution est en cours pour cette famille sur ce portail : "
            "rien n’a été envoyé.",
            "Relancer quand l’autre exécution est terminée ; « assistant statut » dit si l’adhésion a été "
            "faite entre-temps."),
    Outcome("unreadable", 8, "Une information affichée par le portail n’a pas pu être lue : l’assistant ne "
            "répond pas plutôt que de répondre faux. Rien n’a été envoyé.",
            "Vérifier l’information directement sur le portail avec la famille, et transmettre le rapport "
            "(capture et HTML de la page) à l’équipe technique."),
    Outcome("interrupted", 130, "Parcours interrompu par l’opérateur.",
            "Relancer quand vous le souhaitez : le rapport indique l’étape atteinte."),
)}


def outcome(key: str) -> Outcome:
    """The outcome named ``key`` (KeyError on an unknown key: a programming error)."""
    return OUTCOMES[key]
