"""One family from the command line then the console: the console reads the environment as the
command line does (``ASSISTANT_LOCK_DIR``, ``ASSISTANT_LOCK_WAIT``), so both meet the same family
lock and the console's activation waits, then says the family is busy, without sending anything."""

from __future__ import annotations

import json

import pytest
from loguru import logger
from playwright.sync_api import expect

from assistant.config import ENV_LOCK_DIR, ENV_LOCK_WAIT, Settings
from assistant.console.server import Console, communes_for
from assistant.locks import family_lock
from assistant.replica import Replica, ReplicaConfig
from support import ACCOUNTS
from test_console import TIMEOUT, open_console, start


@pytest.fixture
def locked_console(tmp_path):
    """A console whose environment names a lock folder of its own and no wait."""
    env = {ENV_LOCK_DIR: str(tmp_path / "locks"), ENV_LOCK_WAIT: "0"}
    logger.enable("assistant")
    with Replica(ReplicaConfig(wait_modal_ms=100)) as rep:
        with Console(tmp_path / "runs", communes_for({}, rep), machine=Settings.from_env(env)) as con:
            con.replica, con.locks = rep, tmp_path / "locks"
            yield con
    logger.disable("assistant")


def test_a_family_held_by_the_command_line_is_busy_for_the_console(locked_console, page):
    con = locked_console
    with family_lock(con.replica.base_url, "famille.martin", folder=con.locks, wait_s=0):
        open_console(page, con)
        start(page, "Activer la facture en ligne", "famille.martin", ACCOUNTS["famille.martin"]["password"])
        expect(page.get_by_text("Une autre exécution est en cours pour cette famille").first).to_be_visible(
            timeout=TIMEOUT)
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in con.manager.runs_dir.glob("*/run.json")]
    assert (record["outcome"], record["exit_code"]) == ("family_busy", 7)
    assert not [e for e in con.replica.audit if e.route.lower().endswith("valider")]
