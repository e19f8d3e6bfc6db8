"""The vocabulary of run outcomes: exit code, a French sentence for the agent, the next action.

One table, read by the runner (typed outcomes), the reports and the CLI (exit codes). The exit codes
themselves, outcomes' and the others (usage, signals, a closed pipe), are :data:`EXIT_CODES`: the
commands' ``--help`` is made from it (:func:`exit_codes_help`) and the README's table is checked
against it (``tests/cli/test_exit_codes.py``).
"""

from __future__ import annotations

import re
import textwrap
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


@dataclass(frozen=True)
class ExitCode:
    """One exit code of the ``assistant`` commands: what ``--help`` says (French), what the README's table says
    (English, word for word)."""

    code: int
    help: str
    readme: str


#: every exit code of the portal commands, in the order ``--help`` and the README list them; each outcome's
#: code is one of them, and so are the codes no outcome carries (a signal, a closed pipe)
EXIT_CODES: tuple[ExitCode, ...] = (
    ExitCode(0, "fait, déjà fait (facture déjà payée ou en prélèvement comprise), demande en attente, répétition "
             "réussie, « VALIDER » refusé à la question, facture en ligne pas encore activée (statut, payer) ; "
             "factures listées même si certains champs sont illisibles (comptés à part dans le résumé)",
             "done, already done (an invoice already paid or being debited too), request pending, rehearsal "
             "completed, or « VALIDER » declined at the prompt; also `factures` that listed invoices with some "
             "fields unreadable (the listing is the answer: each such field says « illisible », the unknowns are "
             "counted apart in the summary, and the report keeps the page's HTML)"),
    ExitCode(1, "le portail a refusé (mauvais mot de passe, facture inconnue…) — jamais de nouvel essai automatique",
             "the portal refused (wrong password: never retried, families must not be locked out)"),
    ExitCode(2, "usage ou configuration incorrects ; adhésion réelle sans terminal ni --yes (arrêtée avant "
             "« VALIDER », rien de cliqué)",
             "usage or configuration error (bad flag, missing variable: the message names it); also a real "
             "`adhesion` with no terminal to ask and no `--yes`, stopped when « VALIDER » is about to be clicked "
             "(nothing clicked)"),
    ExitCode(3, "portail indisponible (injoignable, commune inconnue, maintenance, erreur HTTP 5xx, session "
             "expirée) ; « VALIDER » envoyé sans réponse, résultat inconnu (vérifier avec statut)",
             "portal unavailable (unreachable, unknown tenant, maintenance, HTTP 5xx, session expired); also "
             "`validation_unknown`: « VALIDER » was sent but got no answer in time, and the state read back is "
             "still « NON » (check with `statut` later)"),
    ExitCode(4, "le portail a changé (une page ou un contrôle attendu manque)",
             "portal changed: a page or control is missing (the message names step, page and control; screenshot "
             "and HTML are kept)"),
    ExitCode(5, "une personne doit agir (changement de mot de passe, captcha, connexion externe)",
             "a person must act (password change at first login, captcha, external SSO)"),
    ExitCode(6, "enregistrement supprimé : un secret y restait après nettoyage",
             "`enregistrer`: the recording still held a secret after scrubbing and was deleted"),
    ExitCode(7, "une autre exécution est en cours pour cette famille sur ce portail (rien n’a été envoyé)",
             "another run holds the same family's lock on this portal longer than `ASSISTANT_LOCK_WAIT` (120 s by "
             "default): nothing was sent"),
    ExitCode(8, "une information affichée par le portail n’a pas pu être lue (état, statut, montant) : aucune "
             "réponse plutôt qu’une fausse ; rien n’a été envoyé",
             "unreadable: a value the portal shows (the adhesion state, an invoice's status, an amount) could not "
             "be read; the message quotes what the page showed, nothing was sent, and no default answer is given "
             "(`payer` on an invoice whose status or amount to pay does not read, or whose payment page asks an "
             "amount that is not one; `diagnostic` when the adhesion state does not read: online invoicing "
             "« illisible », the invoices read are still given)"),
    ExitCode(130, "interrompu (Ctrl-C, SIGINT)",
             "interrupted by Ctrl-C / SIGINT: the browser closes and the report says where it stopped"),
    ExitCode(143, "arrêté par SIGTERM (comme 130)", "stopped by SIGTERM: the same as 130"),
    ExitCode(141, "sortie fermée par son lecteur (… | head) : arrêt sans bruit, rapport écrit",
             "its standard output was closed by its reader (`… | head`): the command stopped quietly, its report "
             "written"),
)



_NBSP = "\u00a0"
_UNBROKEN = re.compile(r"« | [»;:!?]")


def exit_codes_help(width: int = 100) -> str:
    """The « codes de sortie » part of the commands' ``--help``, one code a paragraph, from :data:`EXIT_CODES`."""
    lines = ["codes de sortie :"]
    for row in EXIT_CODES:
        # French punctuation stays with its word (« VALIDER », « ; »): those spaces are not line breaks
        text = _UNBROKEN.sub(lambda m: m[0].replace(" ", _NBSP), row.help)
        lines.append(textwrap.fill(text, width, initial_indent=f"  {row.code:<2} ", subsequent_indent=" " * 5,
                                   break_on_hyphens=False).replace(_NBSP, " "))
    return "\n".join(lines) + "\n"

