"""README.md works as written: commands from the virtualenv, no link leaving the repository, a French
section for agents that starts with ``make demo`` and sends a family's password to the hidden prompt."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FRENCH = README[README.index("## En français"):]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_no_link_leaves_the_repository():
    assert "](../" not in README and "../shared" not in README and "PORTAL.md" not in README
    local = [target for target in LINK.findall(README) if not re.match(r"[a-z]+:", target)]
    assert "docs/portal.md" in local
    assert [target for target in local if not (ROOT / target.split("#")[0]).resolve().is_relative_to(ROOT)
            or not (ROOT / target.split("#")[0]).exists()] == []


def test_python_m_assistant_is_the_virtualenvs():
    uses = [m.start() for m in re.finditer(r"python -m assistant", README)]
    assert uses
    assert [README[max(0, i - 30):i + 19] for i in uses if not README[:i].endswith(".venv/bin/")] == []


def test_french_section_starts_with_make_demo():
    assert re.findall(r"`([^`]+)`", FRENCH)[0] == "make demo"


def test_french_section_sends_the_familys_password_to_the_hidden_prompt():
    prompt = re.search(r'getpass\.getpass\("([^"]+?) : "\)', (ROOT / "assistant/cli_common.py").read_text()).group(1)
    assert f"« {prompt} : »" in FRENCH
    assert "renseignez l’identifiant et le mot de passe" not in FRENCH


def test_the_portal_facts_are_in_the_repository_with_their_marks():
    facts = (ROOT / "docs/portal.md").read_text(encoding="utf-8")
    assert all(mark in facts for mark in ("[seen]", "[seed]", "[guess]"))
    assert "`https://www.espace-citoyens.net/{tenant}/espace-citoyens/`" in facts
    assert "../" not in facts and "seeds/" not in facts
