"""Settings, read once at the edge (the CLI loads ``.env`` and passes the environment in).

Library code receives a :class:`Settings`; it never reads ``os.environ`` itself.
Secrets travel as :class:`Secret`, whose ``repr``/``str`` is ``***``.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from .errors import ConfigError, os_reason
from .frenchargs import bounded

DEFAULT_TENANT = "grandperigueux"
PORTAL_HOST = "https://www.espace-citoyens.net"
# Tenant slugs are lowercase and may contain hyphens (maisons-alfort): `\w+` is a known pitfall.
TENANT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ENV_USERNAME = "ESPACE_CITOYENS_USERNAME"
ENV_PASSWORD = "ESPACE_CITOYENS_PASSWORD"
ENV_URL = "ESPACE_CITOYENS_URL"
ENV_CHROMIUM = "ASSISTANT_CHROMIUM"
# The portal's login form sets no maxlength; 1 kB is far above any real identifiant or password,
# and a longer value would only make the login page hang until it times out.
MAX_CREDENTIAL_LENGTH = 1024
ENV_LOCK_WAIT = "ASSISTANT_LOCK_WAIT"  # seconds a writing run waits for another run on the same family
ENV_LOCK_DIR = "ASSISTANT_LOCK_DIR"  # the folder of family locks (default: the machine's, see assistant/locks.py)
MAX_LOCK_WAIT_S = 24 * 3600
#: every setting read from the environment or .env (a blank one is refused wherever it is read)
SETTINGS = (ENV_URL, ENV_USERNAME, ENV_PASSWORD, ENV_CHROMIUM, ENV_LOCK_WAIT, ENV_LOCK_DIR)
#: a settings file (.env, the tenants file) is a few lines; anything bigger is not one
MAX_DOTENV_BYTES = 1 << 20


class Secret:
    """A value that never shows itself in logs, reprs or reports; ``reveal()`` only at ``fill()``."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def tenant_base_url(tenant: str, host: str = PORTAL_HOST) -> str:
    """The portal's base as families see it, e.g. ``…/grandperigueux/espace-citoyens/``."""
    if not tenant:
        raise ConfigError("Nom de commune vide dans --tenant (ex. grandperigueux).", key="--tenant")
    if not TENANT_RE.match(tenant):
        raise ConfigError(
            f"Nom de commune invalide : « {tenant} » (lettres minuscules, chiffres et tirets).", key="--tenant"
        )
    return f"{host.rstrip('/')}/{tenant}/espace-citoyens/"


def url_has_credentials(url: str) -> bool:
    """Whether an address carries ``identifiant:mot-de-passe@`` (read without parsing: it may be malformed)."""
    authority = url.split("//", 1)[1] if "//" in url else ""
    return "@" in re.split(r"[/?#\\]", authority, maxsplit=1)[0]


def normalise_base_url(url: str, key: str = ENV_URL) -> str:
    """Check a portal base URL and give it its trailing slash; the URL is never echoed in the error."""
    url = (url or "").strip()
    if not url:
        raise ConfigError(f"Adresse du portail vide dans {key} : une adresse http(s) complète est attendue.", key=key)
    if re.search(r"[\x00-\x1f\x7f]", url):  # a browser would send it percent-encoded, as a path of its own
        raise ConfigError(f"Adresse du portail refusée dans {key} : elle contient un caractère de contrôle "
                          "(tabulation, retour à la ligne, caractère invisible). Retapez-la.", key=key)
    if url_has_credentials(url):
        # it would travel into every report, log and trace: refused, and not repeated here
        raise ConfigError(f"Adresse du portail refusée dans {key} : elle contient un identifiant ou un mot de passe "
                          f"(…@). Retirez-les de l’adresse ; ils se donnent par {ENV_USERNAME} et {ENV_PASSWORD}.",
                          key=key)
    try:
        if re.search(r"[\s\\]", url):  # a browser reads a backslash as a slash, urlsplit does not
            raise ValueError("space or backslash")
        parts = urlsplit(url)
        port = parts.port  # raises on a port over 65535 or not a number
    except ValueError:
        raise ConfigError(f"Adresse du portail illisible dans {key} : espace ou « \\ » dans l’adresse, port "
                          "hors de 1 à 65535, ou adresse IPv6 mal fermée (attendu http://[::1]:8080/…).",
                          key=key) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise ConfigError(f"Adresse du portail invalide dans {key} : une adresse http(s) complète est attendue.", key=key)
    if "/espace-citoyens" not in parts.path:
        raise ConfigError(
            f"Adresse du portail invalide dans {key} : elle doit se terminer par /<commune>/espace-citoyens/.", key=key
        )
    # « //ville/./espace-citoyens » is read by a browser segment by segment: the session cookie, set for
    # « /ville », would not follow it
    segments: list[str] = []
    for segment in parts.path.split("/espace-citoyens", 1)[0].split("/"):
        if segment == "..":
            segments = segments[:-1]
        elif segment not in ("", "."):
            segments.append(segment)
    return f"{parts.scheme}://{parts.netloc}/{''.join(s + '/' for s in segments)}espace-citoyens/"


def chosen_base_url(base_url: str | None, tenant: str | None) -> str | None:
    """The portal named by ``--base-url`` or ``--tenant``, checked (an empty value is refused);
    None when neither was given (``ESPACE_CITOYENS_URL`` or the default portal then)."""
    if base_url is not None:
        return normalise_base_url(base_url, key="--base-url")
    if tenant is not None:
        return tenant_base_url(tenant)
    return None


def check_credentials(username: str, password: str, keys: tuple[str, str] = (ENV_USERNAME, ENV_PASSWORD)
                      ) -> tuple[str, str]:
    """Refuse, before any browser starts, an identifiant or password longer than the portal takes."""
    for value, key, what in ((username, keys[0], "Identifiant"), (password, keys[1], "Mot de passe")):
        if len(value) > MAX_CREDENTIAL_LENGTH:
            raise ConfigError(f"{what} trop long (plus de {MAX_CREDENTIAL_LENGTH} caractères) : le portail ne "
                              f"l’accepterait pas. Vérifiez la saisie ou {key}.", key=key)
    return username, password


def setting(env: Mapping[str, str], key: str) -> str | None:
    """``key``'s value in the environment (``.env`` merged in), None when it is not set; a blank value
    is refused as an empty flag is (naming the variable, never the value): never a fall-back to a default."""
    value = env.get(key)
    if value is not None and not value.strip():
        raise ConfigError(f"{key} est vide (environnement ou fichier .env) : donnez-lui une valeur, ou retirez la "
                          "ligne pour la valeur par défaut.", key=key)
    return value


def read_settings_file(path: Path, *, key: str, what: str = "Fichier") -> str | None:
    """The text of a settings file (``.env``, the tenants file), None when there is none; a French
    ConfigError naming the line when it is not a regular file (a pipe would block the command, a
    folder be silently ignored), is too big, holds a NUL byte (a binary file) or is not UTF-8."""
    def refused(why: str) -> ConfigError:
        return ConfigError(f"{what} {path} illisible : {why}.", key=key)

    not_a_file = "ce n’est pas un fichier ordinaire (dossier, tube ou périphérique)"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # checked before opening: opening a pipe waits for a writer
            raise refused(not_a_file)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # never waits, whatever it became since
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise refused(not_a_file)
            data = fh.read(MAX_DOTENV_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise refused(os_reason(exc)) from None
    if len(data) > MAX_DOTENV_BYTES:
        raise refused(f"plus de {MAX_DOTENV_BYTES // 1024} Ko, ce n’est pas un fichier de réglages")
    if b"\0" in data:
        line = data[:data.index(b"\0")].count(b"\n") + 1
        raise refused(f"ligne {line}, un caractère nul (fichier binaire ?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise refused(f"ligne {line}, ce n’est pas du texte UTF-8 (réenregistrez-le en UTF-8)") from None


def read_dotenv(path: Path) -> dict[str, str]:
    """The settings of a ``.env`` file (none when it is absent); a French ConfigError if it cannot be
    read or a line does not parse (python-dotenv would only log an English warning and skip it).
    A name without ``=`` counts as set and blank (refused where it is read)."""
    text = read_settings_file(path, key=".env")
    if text is None:
        return {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(f"Fichier {path} illisible : ligne {binding.original.line}, ce n’est pas une ligne "
                              "NOM=valeur (guillemet non fermé ?).", key=".env")
    values = dotenv_values(stream=io.StringIO(text))
    return {k: "" if v is None else v for k, v in values.items()}


@dataclass(frozen=True)
class Timeouts:
    """Milliseconds; short against the replica, generous against the real portal."""

    action: int = 15_000
    navigation: int = 30_000
    wait_modal: int = 60_000

    @classmethod
    def for_replica(cls) -> "Timeouts":
        return cls(action=5_000, navigation=10_000, wait_modal=15_000)


@dataclass(frozen=True)
class Settings:
    base_url: str = field(default_factory=lambda: tenant_base_url(DEFAULT_TENANT))
    username: str | None = None
    password: Secret | None = None
    headless: bool = True
    chromium: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    report_dir: Path | None = None
    screenshots: bool = True
    trace: bool = True
    lock_wait_s: float = 120.0
    #: the folder of family locks (None: the machine's shared one, :func:`assistant.locks.lock_folder`)
    lock_dir: Path | None = None
    #: the portal as the family lock knows it when its address does not tell it: ``--replica`` runs
    #: (a new port each run) are keyed by their training state folder (:func:`assistant.locks.replica_scope`)
    lock_scope: str | None = None
    #: the options naming this run's portal and family (``--replica --account famille.bernard``,
    #: ``--tenant NAME``, ``--base-url URL``), repeated in every command suggested to the agent
    again: tuple[str, ...] = ()

    @property
    def replica(self) -> bool:
        """Played on the embedded replica (``--replica``), not on a commune's portal."""
        return "--replica" in self.again

    @property
    def lock_portal(self) -> str:
        """What the family lock keys this run's portal by (:mod:`assistant.locks`)."""
        return self.lock_scope or self.base_url

    @property
    def tenant(self) -> str:
        """The commune as the address names it: the segment before ``/espace-citoyens/`` (the portal's
        layout [seen]). An address without one (a commune's portal on its own domain) is named by its
        host: that is what tells one such portal from another; a port names no commune."""
        segments = urlsplit(self.base_url).path.split("/espace-citoyens", 1)[0].strip("/").split("/")
        return segments[-1] or (urlsplit(self.base_url).hostname or "")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, route: str) -> str:
        """Absolute URL of a portal route such as ``MonCompte``."""
        return self.base_url + route.lstrip("/")

    def with_credentials(self, username: str, password: str) -> "Settings":
        return replace(self, username=username, password=Secret(password))

    @classmethod
    def from_env(cls, env: Mapping[str, str], **overrides) -> "Settings":
        """Settings from an environment mapping (``.env`` already merged in by the caller); a blank
        value is refused (:func:`setting`). ``ESPACE_CITOYENS_URL`` is read only when no address is
        given (a bad one must not stop ``--replica``)."""
        values: dict = {}
        if overrides.get("base_url") is None and (url := setting(env, ENV_URL)) is not None:
            values["base_url"] = normalise_base_url(url)
        for key, name in ((ENV_USERNAME, "username"), (ENV_CHROMIUM, "chromium")):
            if (value := setting(env, key)) is not None:
                values[name] = value
        if (password := setting(env, ENV_PASSWORD)) is not None:
            values["password"] = Secret(password)
        if (wait := setting(env, ENV_LOCK_WAIT)) is not None:
            try:
                values["lock_wait_s"] = bounded(wait, 0, MAX_LOCK_WAIT_S, ENV_LOCK_WAIT, integer=False)
            except ValueError:  # its message quotes the value: a setting's is never repeated
                raise ConfigError(f"{ENV_LOCK_WAIT} invalide : attendu un nombre de secondes entre 0 et "
                                  f"{MAX_LOCK_WAIT_S}.", key=ENV_LOCK_WAIT) from None
        if (folder := setting(env, ENV_LOCK_DIR)) is not None:
            values["lock_dir"] = Path(folder).expanduser()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
