"""Takes the console's screenshots under docs/ (the walkthrough in docs/console.md).

Run from the project root: ``.venv/bin/python docs/console_screenshots.py``. It starts the replica
and a console in this process, and plays what a first-time agent does, through the same Chromium
the assistant uses (:func:`assistant.browser.open_browser`).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.browser import CONTEXT_OPTIONS, open_browser  # noqa: E402
from assistant.console.server import Console, communes_for  # noqa: E402
from assistant.replica import Replica, ReplicaConfig  # noqa: E402

DOCS = ROOT / "docs"
WAIT = 60_000
PASSWORDS = {a["username"]: a["password"]
             for a in json.loads((ROOT / "fixtures/accounts.json").read_text(encoding="utf-8"))["accounts"]}


def start(page, action: str, username: str | None = None) -> None:
    page.get_by_label("Commune").select_option(label="Réplique de démonstration (formation, familles fictives)")
    if username:
        page.get_by_label("Identifiant de la famille").fill(username)
        page.get_by_label("Mot de passe de la famille").fill(PASSWORDS[username])
    page.get_by_role("button", name=re.compile(f"^{re.escape(action)}")).click()


def main() -> int:
    with tempfile.TemporaryDirectory() as runs, Replica(ReplicaConfig(wait_modal_ms=300)) as rep, \
            Console(Path(runs), communes_for({}, rep)) as console, open_browser() as browser:
        context = browser.new_context(**{**CONTEXT_OPTIONS, "viewport": {"width": 1280, "height": 860}})
        page = context.new_page()

        def shot(name: str, full: bool = True) -> None:
            page.screenshot(path=DOCS / f"console-{name}.png", full_page=full)
            print(f"docs/console-{name}.png")

        page.goto(console.origin + "/")
        shot("00-sans-jeton", full=False)
        page.goto(console.url)
        page.get_by_label("Identifiant de la famille").fill("famille.martin")
        page.get_by_label("Mot de passe de la famille").fill(PASSWORDS["famille.martin"])
        shot("01-accueil", full=False)

        page.get_by_role("button", name=re.compile("^Diagnostiquer")).click()
        expect(page.locator("#verdict-message")).to_be_visible(timeout=WAIT)
        shot("02-diagnostic")

        page.goto(console.origin + "/")
        start(page, "Activer la facture en ligne", "famille.martin")
        expect(page.get_by_role("alertdialog")).to_be_visible(timeout=WAIT)
        shot("03-confirmation", full=False)
        page.get_by_role("button", name="Oui, cliquer « VALIDER »").click()
        expect(page.locator("#verdict-message")).to_be_visible(timeout=WAIT)
        shot("04-activation")

        page.goto(console.origin + "/")
        start(page, "Factures", "famille.martin")
        expect(page.locator("#invoices tbody tr").first).to_be_visible(timeout=WAIT)
        page.locator("#verdict").screenshot(path=DOCS / "console-05-factures.png")
        print("docs/console-05-factures.png")

        page.goto(console.origin + "/")
        start(page, "Guide")
        expect(page.locator("#verdict-message")).to_contain_text("Guide écrit", timeout=WAIT * 2)
        shot("06-guide", full=False)

        page.goto(console.origin + "/")
        start(page, "Diagnostiquer un compte", "famille.durand")
        expect(page.locator("#verdict-message")).to_be_visible(timeout=WAIT)
        page.locator("#verdict").screenshot(path=DOCS / "console-07-personne.png")
        print("docs/console-07-personne.png")

        page.goto(console.origin + "/")
        page.get_by_role("heading", name="Exécutions").scroll_into_view_if_needed()
        shot("08-historique")
    return 0


if __name__ == "__main__":
    sys.exit(main())
