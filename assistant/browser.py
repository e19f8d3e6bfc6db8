"""The only place that starts Playwright and finds a Chromium.

Choice of Chromium, first match wins: ``ASSISTANT_CHROMIUM`` (an explicit path), Playwright's own
build when ``playwright install chromium`` was run, a system Chromium on the PATH, and, from
``python -m assistant.browser --ensure`` only, Debian's ``chromium`` through apt-get when root.
Browsers are never downloaded at run time.

A remote browser is Playwright's own server (``python -m playwright run-server --host H --port P``):
:func:`connect_browser` asks it for a Chromium with this machine's launch options. Playwright's
server drops a client's ``executablePath`` and ``args`` unless it was started with ``--unsafe``
(``filterLaunchOptions`` in its server code); without them it launches its own Chromium build,
which a machine with only Debian's ``chromium`` does not have.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import playwright
from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from .errors import BrowserServerUnreachable, BrowserUnavailable, ConfigError, browser_cause

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for closed networks: without them Chromium keeps calling Google's hosts at start.
QUIET_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = (
    "Aucun Chromium utilisable. Installez-en un : `python -m playwright install chromium` (réseau ouvert), "
    "ou le paquet `chromium` de votre distribution (`apt-get install chromium`), "
    "ou indiquez son chemin dans ASSISTANT_CHROMIUM."
)
NO_DISPLAY = ("Impossible de montrer le navigateur : aucun écran n’est disponible ici (ni DISPLAY ni "
              "WAYLAND_DISPLAY). Relancez sans --headed, depuis une session graphique, ou sous xvfb-run.")


@dataclass(frozen=True)
class ChromiumChoice:
    """Which Chromium to launch: ``executable`` None means Playwright's own build."""

    executable: str | None
    source: str

    def describe(self) -> str:
        return f"{self.source}: {self.executable or 'Playwright build'}"


@functools.cache
def _playwright_build() -> bool:
    """Whether Playwright's own Chromium for this Playwright version is installed.

    Read from the driver's ``browsers.json`` (the revision it expects) and Playwright's browser
    folder (``PLAYWRIGHT_BROWSERS_PATH``, else ``~/.cache/ms-playwright``): no subprocess, so it
    costs nothing at each command's start and works while a sync Playwright is already running.
    """
    try:
        manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
        browsers = json.loads(manifest.read_text(encoding="utf-8"))["browsers"]
        wanted = [f"{b['name'].replace('-', '_')}-{b['revision']}" for b in browsers
                  if b["name"] in ("chromium", "chromium-headless-shell")]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    where = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if where == "0":
        root = Path(playwright.__file__).parent / "driver" / "package" / ".local-browsers"
    else:
        root = Path(where) if where else Path.home() / ".cache" / "ms-playwright"
    return bool(wanted) and all((root / folder).is_dir() for folder in wanted)


def resolve_chromium(explicit: str | None = None) -> ChromiumChoice:
    """Find a Chromium without installing anything; raise :class:`BrowserUnavailable` if none."""
    if explicit:
        found = shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
        if not found:
            raise BrowserUnavailable(f"ASSISTANT_CHROMIUM désigne un fichier introuvable : {explicit}")
        return ChromiumChoice(found, "ASSISTANT_CHROMIUM")
    if _playwright_build():
        return ChromiumChoice(None, "playwright")
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return ChromiumChoice(found, "system")
    raise BrowserUnavailable(INSTALL_HINT)


def _apt_install() -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("Installation du paquet Debian « chromium » (apt-get)…", flush=True)
    for cmd in (["apt-get", "install", "-y", "-q", "chromium"], ["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "chromium"]):
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode == 0 and cmd[1] == "install":
            return True
    return False


def ensure_chromium(explicit: str | None = None) -> ChromiumChoice:
    """Find a Chromium, installing Debian's when root and none is there."""
    try:
        return resolve_chromium(explicit)
    except BrowserUnavailable:
        if explicit or not _apt_install():
            raise
    return resolve_chromium()


def launch_options(choice: ChromiumChoice, *, headless: bool = True) -> dict:
    """Keyword arguments for ``BrowserType.launch`` (shared with pytest-playwright's fixture)."""
    options: dict = {"headless": headless, "args": list(QUIET_ARGS)}
    if choice.executable:
        options["executable_path"] = choice.executable
    return options


# Service workers are blocked: requests they serve would bypass the rehearsal's network guard.
CONTEXT_OPTIONS = {"locale": "fr-FR", "timezone_id": "Europe/Paris", "viewport": {"width": 1280, "height": 900},
                   "service_workers": "block"}


def check_display(headless: bool) -> None:
    """A visible Chromium on Linux needs an X or Wayland display: say so in French before launching."""
    if headless or not sys.platform.startswith("linux"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ConfigError(NO_DISPLAY, key="--headed")


@contextmanager
def open_browser(chromium: str | None = None, *, headless: bool = True) -> Iterator:
    """Start Playwright and a Chromium; yield the ``Browser``; close both on exit (Ctrl-C included)."""
    choice = resolve_chromium(chromium)
    check_display(headless)
    logger.debug("launching Chromium ({})", choice.describe())
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(**launch_options(choice, headless=headless))
        except PlaywrightError as exc:
            cause, kind = browser_cause(exc)  # the raw English goes to the log only
            if not headless and kind is ConfigError:
                raise ConfigError(NO_DISPLAY, key="--headed") from None
            raise BrowserUnavailable(f"Chromium n’a pas pu démarrer ({choice.describe()}) : {cause}.") from exc
        try:
            yield browser
        finally:
            try:
                browser.close()
            except PlaywrightError as exc:  # after Ctrl-C the driver may already be gone
                logger.warning("browser could not be closed: {}", (exc.message or str(exc)).splitlines()[0])


def _remote_launch_options(choice: ChromiumChoice | None, headless: bool) -> str:
    """The launch options sent to a browser server (its ``x-playwright-launch-options`` header)."""
    options: dict = {"headless": headless, "args": list(QUIET_ARGS)}
    if choice is not None and choice.executable:
        options["executablePath"] = choice.executable
    return json.dumps(options)


@contextmanager
def connect_browser(ws_endpoint: str, chromium: str | None = None, *, headless: bool = True,
                    executable: str | None = None, timeout_ms: float = 30_000) -> Iterator:
    """Connect to a Playwright browser server; yield its ``Browser``; disconnect on exit.

    ``executable`` is the Chromium path *on the server's machine* (default: the one this machine
    would use, which is right for a server on the same machine). An unreachable server raises
    :class:`BrowserServerUnreachable` naming the address.
    """
    choice = ChromiumChoice(executable, "server") if executable else _optional_choice(chromium)
    headers = {"x-playwright-launch-options": _remote_launch_options(choice, headless)}
    logger.debug("connecting to the browser server at {}", ws_endpoint)
    with sync_playwright() as p:
        try:
            browser = p.chromium.connect(ws_endpoint, headers=headers, timeout=timeout_ms)
        except PlaywrightError as exc:
            raise BrowserServerUnreachable(f"Serveur de navigateur injoignable à {ws_endpoint} : {browser_cause(exc)[0]}.",
                                           address=ws_endpoint) from exc
        try:
            yield browser
        finally:
            try:
                browser.close()
            except PlaywrightError as exc:
                logger.warning("remote browser could not be closed: {}", (exc.message or str(exc)).splitlines()[0])


def _optional_choice(chromium: str | None) -> ChromiumChoice | None:
    """This machine's Chromium for a server on the same machine, or None (the server's own build)."""
    try:
        return resolve_chromium(chromium)
    except BrowserUnavailable:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.browser", description="Trouve ou installe un Chromium.")
    parser.add_argument("--ensure", action="store_true", help="installer le paquet Debian chromium si besoin (root)")
    args = parser.parse_args(argv)
    explicit = os.environ.get("ASSISTANT_CHROMIUM")
    try:
        choice = ensure_chromium(explicit) if args.ensure else resolve_chromium(explicit)
    except BrowserUnavailable as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(f"Chromium : {choice.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
