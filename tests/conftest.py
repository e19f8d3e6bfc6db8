"""Shared fixtures: the replica on loopback, pytest-playwright pointed at it, a loopback-only guard
on every browser context (autouse), the runner fed pytest-playwright's context (``run_flow``).

pytest-playwright's fixtures are overridden, not reinvented: one browser per session
(``browser``), a fresh context per test (``context``/``page``).
"""

from __future__ import annotations

import logging
import re

import pytest
from loguru import logger

from assistant import locks
from assistant.browser import CONTEXT_OPTIONS, launch_options, resolve_chromium
from assistant.config import ENV_LOCK_DIR, Settings
from assistant.replica import STATE_ENV, Replica, ReplicaConfig
from assistant.results import RunReport
from assistant.runner import Runner
from assistant.steps import Flow


@pytest.fixture(scope="session")
def chromium_choice():
    return resolve_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_choice):
    return {**browser_type_launch_args, **launch_options(chromium_choice, headless=True)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **CONTEXT_OPTIONS}


@pytest.fixture(autouse=True)
def replica_state(tmp_path, monkeypatch):
    """Every test's own replica state folder: ``--replica`` runs (in this process or in a child, which
    inherits os.environ) and ``assistant replica`` keep the families' changes there, never in the user's;
    and its own folder of family locks, never the machine's."""
    folder = tmp_path / "replica-state"
    monkeypatch.setenv(STATE_ENV, str(folder))
    # the family locks too: the test's own folder, for its runs in this process and in children
    monkeypatch.setattr(locks, "MACHINE_FOLDER", tmp_path / "locks")
    monkeypatch.setenv(ENV_LOCK_DIR, str(tmp_path / "locks"))
    return folder


@pytest.fixture(scope="session")
def session_replica(tmp_path_factory):
    """One replica for the whole session, for read-only tests (the default family set)."""
    cfg = ReplicaConfig(outbox_dir=tmp_path_factory.mktemp("outbox"), wait_modal_ms=150)
    with Replica(cfg) as rep:
        yield rep


@pytest.fixture
def replica(tmp_path):
    """A fresh replica per test, for tests that change accounts or inject faults."""
    cfg = ReplicaConfig(outbox_dir=tmp_path / "outbox", wait_modal_ms=150)
    with Replica(cfg) as rep:
        yield rep


@pytest.fixture
def make_replica(tmp_path):
    """Start replicas with a chosen login style or faults: ``make_replica(login_style="modal")``."""
    started = []

    def make(**kwargs):
        kwargs.setdefault("outbox_dir", tmp_path / f"outbox{len(started)}")
        kwargs.setdefault("wait_modal_ms", 150)
        rep = Replica(ReplicaConfig(**kwargs))
        rep.start()
        started.append(rep)
        return rep

    yield make
    for rep in started:
        rep.stop()


@pytest.fixture(scope="session")
def base_url():
    """No base URL for the contexts: each test addresses its own replica. (Overriding it also keeps
    pytest-playwright's fallback fixture, deprecated by pytest, out of the run.)"""
    return None


# Only what leaves loopback is routed (the pattern is matched by the browser), so the guard costs the
# tests' own traffic nothing; data:, blob: and about: never reach the network.
ESCAPES = re.compile(r"^(?!(?:data|blob|about):)(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/?#]|$))",
                     re.IGNORECASE)


@pytest.fixture(autouse=True)
def loopback_guard(request):
    """Every test with a browser context (``context``, ``page``, ``run_flow``...) but the opt-in ``live``
    ones: a request leaving loopback is aborted and recorded, and the test fails naming it."""
    escaped: list[str] = []
    # the closure: a test asking for ``page`` asks for ``context`` too; ``live`` tests talk to the portal
    if "context" in request.fixturenames and not request.node.get_closest_marker("live"):
        def abort(route):
            escaped.append(route.request.url)
            route.abort()

        request.getfixturevalue("context").route(ESCAPES, abort)
    yield escaped
    assert escaped == [], f"requests left loopback: {escaped}"


@pytest.fixture
def run_flow(context):
    """Run a flow through the runner in pytest-playwright's ``context`` (its options, artifacts and
    the loopback guard apply): ``run_flow(settings, flow, rehearse=False, **runner_kw)``."""

    def run(settings: Settings, flow: Flow, *, rehearse: bool = False, **runner_kw) -> RunReport:
        return Runner(settings, **runner_kw).run(flow, rehearse=rehearse, context=context)

    return run


@pytest.fixture
def caplog_loguru(caplog):
    """Bridge loguru to pytest's caplog (loguru's documented recipe)."""
    logger.enable("assistant")
    handler_id = logger.add(caplog.handler, format="{message}", level=0)
    caplog.set_level(logging.DEBUG)
    yield caplog
    logger.remove(handler_id)
    logger.disable("assistant")
