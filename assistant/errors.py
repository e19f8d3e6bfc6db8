"""One exception tree for the whole assistant (modelled on httpx's ``_exceptions.py``).

```
AssistantError
├── ConfigError                 a missing or invalid setting (names the key, never the value)
├── BrowserUnavailable          no Chromium could be found or started
│   └── BrowserServerUnreachable  a remote Playwright browser server did not answer
├── PortalChanged               a page or control we expected is not there (drift)
│   └── Obstructed              the control is there, but something lies over it (an overlay)
├── PortalError                 the portal said something
│   ├── LoginRejected           wrong identifiant / mot de passe
│   ├── PasswordChangeRequired  first login: the portal forces a new password
│   ├── SessionExpired          the portal ended the session
│   ├── PortalUnavailable       maintenance, HTTP 5xx, no answer in time
│   │   ├── PortalUnreachable   the address leads nowhere: a name that does not resolve, a refused
│   │   │                       connection, an unknown commune (the next action: check the address)
│   │   ├── CertificateRefused  the browser refused the server's https certificate
│   │   └── ValidationUnknown   « VALIDER » was sent, no answer came (time-out, 5xx): read the state back
│   └── PortalRefused           the portal refused a request (anti-forgery, unknown invoice, ...)
│       └── InvoiceUnknown      no invoice of that number in « Mes factures »
├── Unreadable                  the page shows a value (a state, a status, an amount) that cannot be read:
│                               said as unreadable, never filled in with a default
├── NeedsHuman                  captcha, external SSO, anything a person must do
├── FamilyBusy                  another run holds the family's lock longer than the wait allowed
└── UnsafeRecording             a recording still held a secret after scrubbing: deleted
```
Every error carries an ``outcome`` (the report's vocabulary) and a French ``message`` meant for a
helpdesk agent; ``next_action``, when set, replaces the outcome's own (:mod:`assistant.outcomes`), and
``read_back`` says what the portal's state showed when it was read again after a writing step failed, and
``nothing_sent`` that a writing step failed before its control was used (the step knows it: nothing left).
Messages never contain secrets.

What Chromium and Playwright say in English (``Page.goto: net::ERR_NAME_NOT_RESOLVED at …``) never
reaches the agent: :func:`from_browser` turns it into a French cause (one table, :data:`BROWSER_CAUSES`)
and the typed error it means; the raw text goes to the log only. A portal that stops answering in the
middle of a run (Chromium's own error page, a page or a call without an answer) is
:class:`PortalUnavailable` (« portail injoignable », exit 3), never :class:`PortalChanged`
(:mod:`assistant.pages.browser_error`, :meth:`assistant.run_state.RunState.outage`).
"""

from __future__ import annotations

import errno
import re
from typing import Protocol

from loguru import logger


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""

    outcome = "portal_changed"
    #: the next action when it differs from the outcome's own (the address to check, ...)
    next_action: str | None = None
    #: what the state read back after a failed writing step showed (the report then gives one instruction)
    read_back: str | None = None
    #: a writing step failed before its control was used: nothing left for the portal (no warning to check)
    nothing_sent: bool = False

    def __init__(self, message: str, *, page: str | None = None, url: str | None = None, control: str | None = None):
        super().__init__(message)
        self.message = message
        self.page = page
        self.url = url
        self.control = control


class ConfigError(AssistantError):
    """A setting is missing or invalid; ``key`` names it, the value is never echoed."""

    outcome = "config_error"

    def __init__(self, message: str, *, key: str | None = None):
        super().__init__(message)
        self.key = key


class BrowserUnavailable(AssistantError):
    """No usable Chromium: the message says what to install."""

    outcome = "config_error"


class BrowserServerUnreachable(BrowserUnavailable):
    """The remote browser server (``--browser-ws``) did not answer; ``address`` names it."""

    outcome = "browser_server_unreachable"

    def __init__(self, message: str, *, address: str):
        super().__init__(message)
        self.address = address


class PortalChanged(AssistantError):
    """A page or a control the journey needs is not where the portal used to show it.

    ``candidates`` names the nearest controls actually on the page (« bouton « CHANGER » »), so
    that a maintainer sees at once what was renamed; the assistant never clicks one of them.
    """

    outcome = "portal_changed"

    def __init__(self, message: str, *, page: str | None = None, url: str | None = None,
                 control: str | None = None, candidates: list[str] | None = None):
        super().__init__(message, page=page, url=url, control=control)
        self.candidates = list(candidates or [])


class Obstructed(PortalChanged):
    """The control is on the page but an overlay (not a consent banner, those are refused) covers it."""


class PortalError(AssistantError):
    """The portal told us something that stops the journey."""

    outcome = "portal_unavailable"


class LoginRejected(PortalError):
    outcome = "login_rejected"


class PasswordChangeRequired(PortalError):
    outcome = "password_change_required"


class SessionExpired(PortalError):
    outcome = "session_expired"


class PortalUnavailable(PortalError):
    outcome = "portal_unavailable"


class PortalUnreachable(PortalUnavailable):
    """The portal's address leads nowhere: only here is checking the address and the commune's name the advice."""

    next_action = ("Vérifier l’adresse du portail (--base-url) et le nom de la commune (--tenant), puis relancer ; "
                   "si l’adresse est juste, vérifier la connexion réseau de ce poste.")


class CertificateRefused(PortalUnavailable):
    """The browser refused the server's certificate: a wrong address, or a network that intercepts https."""

    next_action = ("Vérifier que l’adresse est bien celle du portail (https) ; sur un réseau d’entreprise, un proxy peut "
                   "remplacer le certificat : transmettre le rapport à l’équipe technique.")


class ValidationUnknown(PortalUnavailable):
    outcome = "validation_unknown"


class PortalRefused(PortalError):
    outcome = "portal_refused"


class InvoiceUnknown(PortalRefused):
    outcome = "invoice_unknown"


class Unreadable(AssistantError):
    """A value the portal shows could not be read (an adhesion state, a status word, an amount).

    No answer beats a wrong one: the run ends here, sends nothing, and ``seen`` quotes what the page
    showed instead (for the report and the agent), never a default in its place.
    """

    outcome = "unreadable"

    def __init__(self, message: str, *, page: str | None = None, url: str | None = None,
                 control: str | None = None, seen: str | None = None):
        super().__init__(message, page=page, url=url, control=control)
        self.seen = seen


class NeedsHuman(AssistantError):
    outcome = "needs_human"


class FamilyBusy(AssistantError):
    outcome = "family_busy"


class UnsafeRecording(AssistantError):
    """A recording of the portal still held the password or a session cookie after scrubbing (it is deleted)."""

    outcome = "unsafe_recording"


_OS_REASONS = {errno.EEXIST: "un fichier porte déjà ce nom", errno.ENOENT: "chemin introuvable",
               errno.ENOTDIR: "un élément du chemin n’est pas un dossier", errno.EACCES: "permission refusée",
               errno.EPERM: "permission refusée", errno.EROFS: "système de fichiers en lecture seule",
               errno.ENOSPC: "disque plein", errno.EISDIR: "c’est un dossier", errno.EADDRINUSE: "port déjà utilisé",
               errno.EADDRNOTAVAIL: "adresse non disponible sur cette machine",
               errno.ENAMETOOLONG: "nom trop long"}


def os_reason(exc: OSError) -> str:
    """What an OS error means, in French (its own words when it is not a common one)."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


class BrowserMessage(Protocol):
    """A Playwright error: its ``message`` is Chromium's or Playwright's own English."""

    message: str


UNKNOWN_CAUSE = "erreur inattendue du navigateur (le détail technique est dans run.log)"
#: Chromium's network errors and Playwright's own messages -> the cause in French, and the error it is
BROWSER_CAUSES: tuple[tuple[re.Pattern[str], str, type[AssistantError]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), cause, kind) for pattern, cause, kind in (
        (r"ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|getaddrinfo|ENOTFOUND",
         "le nom du serveur est introuvable (adresse mal écrite, ou pas d’accès au réseau)", PortalUnreachable),
        (r"ERR_CONNECTION_REFUSED|ECONNREFUSED",
         "connexion refusée : aucun serveur ne répond à cette adresse (serveur arrêté ou mauvais port)", PortalUnreachable),
        (r"ERR_UNSAFE_PORT", "port refusé par le navigateur (port réservé à un autre usage)", PortalUnreachable),
        (r"ERR_ADDRESS_UNREACHABLE|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_PROXY_CONNECTION_FAILED"
         r"|EHOSTUNREACH|ENETUNREACH",
         "pas d’accès au réseau vers cette adresse (réseau coupé ou proxy injoignable)", PortalUnreachable),
        (r"ERR_CERT_|ERR_SSL_|ERR_BAD_SSL|SSL_PROTOCOL|certificate|self.signed",
         "erreur de certificat : la connexion sécurisée (https) au serveur n’a pas pu être vérifiée", CertificateRefused),
        (r"ERR_CONNECTION_(?:RESET|CLOSED|ABORTED|FAILED)|ERR_EMPTY_RESPONSE|ERR_HTTP2|ERR_INVALID_(?:HTTP_)?RESPONSE"
         r"|ERR_CONTENT_LENGTH_MISMATCH|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_SOCKET_NOT_CONNECTED|ECONNRESET"
         r"|socket hang up",
         "le serveur a coupé la connexion sans répondre", PortalUnavailable),
        (r"ERR_(?:CONNECTION_)?TIMED_OUT|ETIMEDOUT", "le serveur ne répond pas (délai dépassé)", PortalUnavailable),
        (r"ERR_TOO_MANY_REDIRECTS", "le portail renvoie d’une page à l’autre sans fin (trop de redirections)",
         PortalUnavailable),
        (r"ERR_BLOCKED_BY_CLIENT", "requête bloquée par l’assistant (garde de la répétition : aucun envoi permis)",
         PortalChanged),
        (r"Missing X server|without having a XServer|cannot open display|no display",
         "aucun écran disponible pour montrer le navigateur (--headed) : relancer sans --headed ou sous xvfb-run",
         ConfigError),
        (r"Executable doesn.t exist|ENOENT.*chrom|spawn .* ENOENT",
         "Chromium est introuvable à l’emplacement indiqué (ASSISTANT_CHROMIUM ou installation)", BrowserUnavailable),
        (r"\bcrashed\b", "la page du navigateur a planté", BrowserUnavailable),
        (r"Target (?:page, context or browser )?(?:has been )?closed|Browser has been closed|browser has disconnected"
         r"|Connection closed|has been closed",
         "le navigateur s’est fermé ou a planté", BrowserUnavailable),
    ))


def browser_cause(exc: BaseException | BrowserMessage) -> tuple[str, type[AssistantError] | None]:
    """The French cause of a Playwright error and the error it means (None: unknown); the raw English is logged."""
    raw = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip()
    logger.warning("browser error: {}", raw.splitlines()[0] if raw else type(exc).__name__)
    return next(((cause, kind) for pattern, cause, kind in BROWSER_CAUSES if pattern.search(raw)), (UNKNOWN_CAUSE, None))


def from_browser(exc: BaseException | BrowserMessage, said: str, *, default: type[AssistantError] = PortalChanged,
                 **where) -> AssistantError:
    """The typed error for a Playwright error, its message « {said} : {cause}. » in French (``where``: page,
    url, control); ``default`` is the error of a cause the table does not know."""
    cause, kind = browser_cause(exc)
    kind = kind or default
    message = f"{said} : {cause}."
    if issubclass(kind, ConfigError):
        return kind(message, key="--headed")
    return kind(message, **where)
