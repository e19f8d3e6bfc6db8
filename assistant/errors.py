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
│   ├── PortalUnavailable       unreachable, unknown tenant, maintenance, HTTP 5xx
│   │   └── ValidationUnknown   « VALIDER » was sent, no answer came (time-out, 5xx): read the state back
│   └── PortalRefused           the portal refused a request (anti-forgery, unknown invoice, ...)
│       ├── InvoiceUnknown      no invoice of that number in « Mes factures »
│       └── AlreadyPaid         the invoice is already paid: nothing to hand over
├── NeedsHuman                  captcha, external SSO, anything a person must do
├── FamilyBusy                  another run holds the family's lock longer than the wait allowed
└── UnsafeRecording             a recording still held a secret after scrubbing: deleted
```
Every error carries an ``outcome`` (the report's vocabulary) and a French ``message`` meant for a
helpdesk agent. Messages never contain secrets.
"""

from __future__ import annotations

import errno


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""

    outcome = "portal_changed"

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


class ValidationUnknown(PortalUnavailable):
    outcome = "validation_unknown"


class PortalRefused(PortalError):
    outcome = "portal_refused"


class InvoiceUnknown(PortalRefused):
    outcome = "invoice_unknown"


class AlreadyPaid(PortalRefused):
    outcome = "already_paid"


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
