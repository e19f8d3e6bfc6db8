"""The tenants file (TOML): which communes' portals to watch, and with which test account.

```toml
[[tenant]]
name = "grandperigueux"                      # a slug: lowercase letters, digits, hyphens
base_url = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"
login = "classic"                            # the login generation expected: classic | modal
username_env = "GRANDPERIGUEUX_USERNAME"     # names of the environment variables holding
password_env = "GRANDPERIGUEUX_PASSWORD"     # the test account (never the values themselves)
# optional, for ``surveiller --guide``: an account that adheres and has an invoice to pay
payment_username_env = "GRANDPERIGUEUX_PAYER_USERNAME"
payment_password_env = "GRANDPERIGUEUX_PAYER_PASSWORD"
```

Everything is checked before any run: an unknown key, a bad URL, a missing variable or a
duplicate name is a :class:`ConfigError` naming the file and the line. The file holds no secret:
the values are read from the environment the CLI passes in (``.env`` merged there, once).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..config import TENANT_RE, Secret, normalise_base_url, read_settings_file, url_has_credentials
from ..errors import ConfigError

KEYS = {"name", "base_url", "login", "username_env", "password_env", "payment_username_env", "payment_password_env"}
#: optional: a second test account, adhering with an invoice to pay, for the guide's « Payer » part
PAYMENT_KEYS = ("payment_username_env", "payment_password_env")
REQUIRED = ("name", "base_url", "username_env", "password_env")
LOGIN_STYLES = {"classic": "classic", "classique": "classic", "modal": "modal", "modale": "modal"}
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^\s*\[\[\s*(\w+)\s*\]\]")
_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")


@dataclass(frozen=True)
class Tenant:
    """One commune to watch: its portal and the test account's credentials (already resolved)."""

    name: str
    base_url: str
    login: str
    username_env: str
    password_env: str
    username: str
    password: Secret
    line: int = 0
    payment_username: str | None = None
    payment_password: Secret | None = None

    @property
    def loopback(self) -> bool:
        host = urlsplit(self.base_url).hostname or ""
        return host in ("localhost", "::1") or host.startswith("127.")


def _lines(text: str) -> list[dict[str, int]]:
    """For each ``[[tenant]]`` table in order: its header's line and each key's line (1-based)."""
    tables: list[dict[str, int]] = []
    current: dict[str, int] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            current = {"[[": number}
            tables.append(current)
            continue
        if _TABLE.match(raw):
            current = None
            continue
        key = _KEY.match(raw)
        if key and current is not None:
            current.setdefault(key.group(1).strip("\"'"), number)
    return tables


def load_tenants(path: Path, env: Mapping[str, str]) -> list[Tenant]:
    """Read and check the whole file; raise :class:`ConfigError` naming the line of the first problem."""
    where = str(path)
    text = read_settings_file(Path(path), key="--tenants", what="Fichier des communes")
    if text is None:
        raise ConfigError(f"Fichier des communes introuvable : {where}.", key="--tenants")
    text = text.removeprefix("\ufeff")  # a BOM (Windows editors) is not TOML's
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        what = _TOML_AT.sub("", str(exc))
        place = f", ligne {at.group(1)}, colonne {at.group(2)}" if at else ""
        raise ConfigError(f"{where}{place} : syntaxe TOML invalide ({what}).", key="--tenants") from None
    lines = _lines(text)
    unknown_top = sorted(set(data) - {"tenant"})
    if unknown_top:
        line = next((n for n, raw in enumerate(text.splitlines(), 1)
                     if raw.strip().lstrip("[").startswith(unknown_top[0])), 0)
        raise ConfigError(f"{where}, ligne {line} : clé inconnue « {unknown_top[0]} » "
                          "(seules des tables [[tenant]] sont attendues).", key="--tenants")
    entries = data.get("tenant")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where} : aucune commune ([[tenant]]) dans le fichier.", key="--tenants")
    if len(lines) != len(entries):
        # entries written as an array of inline tables (tenant = [{...}]): the array's line for all
        first = next((n for n, raw in enumerate(text.splitlines(), 1) if re.match(r"^\s*tenant\s*=", raw)), 0)
        lines = [{"[[": first}] * len(entries)
    tenants: list[Tenant] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        at = lines[index]
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}, ligne {at['[[']} : chaque commune est une table [[tenant]] "
                              "(nom = valeur, une clé par ligne).", key="--tenants")
        tenant = _check(entry, at, where, env)
        if tenant.name in seen:
            raise ConfigError(f"{where}, ligne {at.get('name', at['[['])} : la commune « {tenant.name} » est déjà "
                              f"déclarée ligne {seen[tenant.name]}.", key="--tenants")
        seen[tenant.name] = at.get("name", at["[["])
        tenants.append(tenant)
    return tenants


def _check(entry: dict, at: dict[str, int], where: str, env: Mapping[str, str]) -> Tenant:
    def line(key: str) -> int:
        return at.get(key, at["[["])

    def fail(key: str, text: str) -> ConfigError:
        return ConfigError(f"{where}, ligne {line(key)} : {text}", key="--tenants")

    for key in entry:
        if key not in KEYS:
            raise fail(key, f"clé inconnue « {key} » (attendues : {', '.join(sorted(KEYS))}).")
    for key in REQUIRED:
        if key not in entry:
            raise fail("[[", f"clé obligatoire « {key} » manquante dans cette commune.")
    for key in entry:
        if not isinstance(entry[key], str):
            raise fail(key, f"« {key} » doit être une chaîne de caractères.")
    name = entry["name"].strip()
    if not TENANT_RE.match(name):
        raise fail("name", f"nom de commune invalide « {name} » (lettres minuscules, chiffres et tirets).")
    if url_has_credentials(entry["base_url"]):
        # an identifiant in the address would travel into the history, the reports and the alerts
        raise fail("base_url", f"adresse de « {name} » : pas d’identifiant ni de mot de passe dans l’adresse ; "
                   "ils se donnent par username_env et password_env.")
    try:
        base_url = normalise_base_url(entry["base_url"].strip(), key="base_url")
        parts = urlsplit(base_url)
        if not _valid_host(parts.hostname or "") or parts.port == 0:  # .port raises ValueError on a bad port
            raise ValueError("host")
    except (ConfigError, ValueError):
        raise fail("base_url", f"adresse invalide pour « {name} » : une adresse http(s) complète se terminant "
                   "par /<commune>/espace-citoyens/ est attendue.") from None
    login = LOGIN_STYLES.get(entry.get("login", "classic").strip().lower())
    if login is None:
        raise fail("login", f"style de connexion inconnu « {entry['login']} » (classic ou modal).")
    given = [key for key in PAYMENT_KEYS if key in entry]
    if len(given) == 1:
        missing = next(key for key in PAYMENT_KEYS if key not in entry)
        raise fail(given[0], f"« {given[0]} » sans « {missing} » : le compte de paiement se donne par les deux.")
    values = {}
    for key in ("username_env", "password_env", *given):
        variable = entry[key].strip()
        if not ENV_NAME.match(variable):
            raise fail(key, f"« {key} » doit être un nom de variable d’environnement (ex. GP_USERNAME).")
        if not env.get(variable):
            raise fail(key, f"la variable d’environnement {variable} (« {key} » de « {name} ») est absente ou vide.")
        values[key] = env[variable]
    return Tenant(name=name, base_url=base_url, login=login, username_env=entry["username_env"].strip(),
                  password_env=entry["password_env"].strip(), username=values["username_env"],
                  password=Secret(values["password_env"]), line=at["[["],
                  payment_username=values.get("payment_username_env"),
                  payment_password=Secret(values["payment_password_env"]) if given else None)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return len(host) <= 253 and bool(_HOST.match(host))
    return True


def parse_shard(spec: str) -> tuple[int, int]:
    """``"2/3"`` -> (2, 3); a :class:`ConfigError` in French otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", spec or "")
    if not match or not (1 <= int(match.group(1)) <= int(match.group(2))):
        raise ConfigError(f"--shard invalide « {spec} » : attendu i/n avec 1 ≤ i ≤ n (ex. 1/3).", key="--shard")
    return int(match.group(1)), int(match.group(2))


def shard(tenants: list[Tenant], index: int, count: int) -> list[Tenant]:
    """The tenants of shard ``index`` of ``count`` (1-based): round-robin over the names in order,
    so every monitor process gets a share that differs by at most one, whatever the file's order."""
    ordered = sorted(tenants, key=lambda t: t.name)
    return [t for position, t in enumerate(ordered) if position % count == index - 1]
