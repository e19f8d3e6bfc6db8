"""Settings, read once at the edge (the CLI loads ``.env`` and passes the environment in).

Library code receives a :class:`Settings`; it never reads ``os.environ`` itself.
Secrets travel as :class:`Secret`, whose ``repr``/``str`` is ``***``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError

DEFAULT_TENANT = "grandperigueux"
PORTAL_HOST = "https://www.espace-citoyens.net"
# Tenant slugs are lowercase and may contain hyphens (maisons-alfort): `\w+` is a known pitfall.
TENANT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ENV_USERNAME = "ESPACE_CITOYENS_USERNAME"
ENV_PASSWORD = "ESPACE_CITOYENS_PASSWORD"
ENV_URL = "ESPACE_CITOYENS_URL"
ENV_CHROMIUM = "ASSISTANT_CHROMIUM"
ENV_LOCK_WAIT = "ASSISTANT_LOCK_WAIT"  # seconds a writing run waits for another run on the same family


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
    if not TENANT_RE.match(tenant or ""):
        raise ConfigError(
            f"Nom de commune invalide : « {tenant} » (lettres minuscules, chiffres et tirets).", key="--tenant"
        )
    return f"{host.rstrip('/')}/{tenant}/espace-citoyens/"


def normalise_base_url(url: str, key: str = ENV_URL) -> str:
    """Check a portal base URL and give it its trailing slash."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"Adresse du portail invalide dans {key} : une adresse http(s) complète est attendue.", key=key)
    if "/espace-citoyens" not in parts.path:
        raise ConfigError(
            f"Adresse du portail invalide dans {key} : elle doit se terminer par /<commune>/espace-citoyens/.", key=key
        )
    path = parts.path.split("/espace-citoyens", 1)[0] + "/espace-citoyens/"
    return f"{parts.scheme}://{parts.netloc}{path}"


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

    @property
    def tenant(self) -> str:
        return self.base_url.rstrip("/").split("/")[-2]

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
        """Settings from an environment mapping (``.env`` already merged in by the caller)."""
        values: dict = {}
        if env.get(ENV_URL):
            values["base_url"] = normalise_base_url(env[ENV_URL])
        if env.get(ENV_USERNAME):
            values["username"] = env[ENV_USERNAME]
        if env.get(ENV_PASSWORD):
            values["password"] = Secret(env[ENV_PASSWORD])
        if env.get(ENV_CHROMIUM):
            values["chromium"] = env[ENV_CHROMIUM]
        if env.get(ENV_LOCK_WAIT):
            try:
                values["lock_wait_s"] = max(0.0, float(env[ENV_LOCK_WAIT]))
            except ValueError:
                raise ConfigError(f"{ENV_LOCK_WAIT} invalide : un nombre de secondes est attendu.",
                                  key=ENV_LOCK_WAIT) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
