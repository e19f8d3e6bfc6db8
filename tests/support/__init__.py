"""Plain helpers shared by the test folders (importable as ``support``: see pytest's pythonpath)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.config import Settings, Timeouts

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = {a["username"]: a for a in json.loads((ROOT / "fixtures/accounts.json").read_text())["accounts"]}


def replica_settings(rep, username: str | None = None, password: str | None = None, **kw) -> Settings:
    """Settings against a replica, short timeouts, no trace unless asked (a test about traces asks);
    the demo family's password unless given."""
    kw.setdefault("trace", False)
    settings = Settings(base_url=rep.base_url, timeouts=Timeouts.for_replica(), **kw)
    if username:
        return settings.with_credentials(username, password or ACCOUNTS[username]["password"])
    return settings
