"""Takes the run reports' screenshots under docs/ (report-adhesion.png, report-factures.png).

Run from the project root: ``.venv/bin/python docs/report_screenshots.py``. It plays, as an agent
would, ``assistant adhesion --replica --yes`` then ``assistant factures --replica`` (one fresh replica
state) into temporary report folders, then opens each ``report.html`` in the Chromium the assistant uses
(:func:`assistant.browser.open_browser`) and shoots its top: the printable summary, the report's
files, the legend and the first steps. ``report-adhesion-impression.png`` is the summary as printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.browser import CONTEXT_OPTIONS, open_browser  # noqa: E402

DOCS = ROOT / "docs"
RUNS = {"adhesion": ["adhesion", "--replica", "--yes"], "factures": ["factures", "--replica"]}


def run(command: list[str], folder: Path, state: Path) -> Path:
    """Play ``assistant COMMAND`` into ``folder`` on the replica state ``state`` (the agent's own training
    state is left alone); its report.html (the run must succeed)."""
    subprocess.run([sys.executable, "-m", "assistant", *command, "--report-dir", str(folder)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "ASSISTANT_REPLICA_STATE": str(state)})
    return folder / "report.html"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        reports = {name: run(command, Path(tmp) / name, Path(tmp) / "state") for name, command in RUNS.items()}
        with open_browser() as browser:
            context = browser.new_context(**{**CONTEXT_OPTIONS, "viewport": {"width": 1100, "height": 1500}})
            page = context.new_page()
            for name, report in reports.items():
                page.goto(report.as_uri())
                page.screenshot(path=DOCS / f"report-{name}.png")
                print(f"docs/report-{name}.png")
            page.goto(reports["adhesion"].as_uri())
            page.emulate_media(media="print")
            page.locator(".summary").screenshot(path=DOCS / "report-adhesion-impression.png")
            print("docs/report-adhesion-impression.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
