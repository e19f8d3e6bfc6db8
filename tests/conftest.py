"""Shared fixtures: the replica on loopback, pytest-playwright pointed at it, a loopback-only guard
on every browser context (autouse), the runner fed pytest-playwright's context (``run_flow``).

pytest-playwright's fixtures are overridden, not reinvented: one browser per session
(``browser``), a fresh context per test (``context``/``page``).

The tiers (``make test-fast`` leaves out the three): a test is marked ``browser`` when it asks for a
browser fixture, itself or through another fixture (:data:`BROWSER_FIXTURES`), or by hand when the code
under test launches its own Chromium (unmarked, it fails saying so); ``process`` when it starts
the assistant or the replica as a process (a module's ``pytestmark`` or a test's mark: the helpers of
``support`` refuse to start one in a test without it, so a missing mark fails in every tier); ``slow``
for the matrices and the generated compositions (:data:`SLOW_FOLDERS`, ``tests/generated``' own mark).
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import pytest
from loguru import logger

import support
from assistant import browser as browser_module
from assistant import locks
from assistant.browser import CONTEXT_OPTIONS, launch_options, resolve_chromium
from assistant.config import ENV_LOCK_DIR, Settings
from assistant.replica import STATE_ENV, Replica, ReplicaConfig
from assistant.results import RunReport
from assistant.runner import Runner
from assistant.steps import Flow
from support.inprocess import InProcess


#: a test asking for one of these (or for a fixture that does) uses a browser
BROWSER_FIXTURES = frozenset({"playwright", "browser_type", "browser", "new_context", "context", "page", "run_flow"})
REFUSED_BROWSER = "this test starts Playwright: mark it @pytest.mark.browser, or give it the browser fixture"
#: folders whose every test is a matrix of journeys
SLOW_FOLDERS = ("matrix",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_FIXTURES.intersection(item.fixturenames):  # the closure: fixtures of fixtures included
            item.add_marker(pytest.mark.browser)
        if item.path.parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


#: seconds spent per test module (set-up, call and tear-down), summed over the workers' reports
_MODULE_SECONDS: Counter[str] = Counter()


def pytest_runtest_logreport(report):
    _MODULE_SECONDS[report.nodeid.split("::")[0]] += report.duration


@pytest.hookimpl(trylast=True)  # after pytest's own --durations table
def pytest_terminal_summary(terminalreporter, config):
    """With ``--durations``: the modules that cost most, and the sum of every test's time (what the suite
    costs whatever the load and the number of workers)."""
    if config.getoption("durations") is None or not _MODULE_SECONDS:
        return
    terminalreporter.write_sep("=", "slowest modules (set-up + call + tear-down, all workers)")
    for module, seconds in _MODULE_SECONDS.most_common(config.getoption("durations") or None):
        terminalreporter.write_line(f"{seconds:8.1f}s {module}")
    terminalreporter.write_line(f"{sum(_MODULE_SECONDS.values()):8.1f}s in all ({len(_MODULE_SECONDS)} modules)")


@pytest.fixture(autouse=True)
def process_mark(request):
    """The ``process`` mark, said to ``support``: its helpers start a process only in a test marked so."""
    support.may_start_processes(request.node.get_closest_marker("process") is not None)
    yield
    support.may_start_processes(True)


@pytest.fixture(autouse=True)
def browser_mark(request, monkeypatch):
    """A test not marked ``browser`` launches no Chromium of its own (``open_browser``, ``connect_browser``):
    the attempt fails, and the test too even if the code under test took the failure for an outage."""
    tried: list[str] = []
    if request.node.get_closest_marker("browser"):
        yield tried
        return

    def refused():
        tried.append(request.node.nodeid)
        raise AssertionError(REFUSED_BROWSER)

    monkeypatch.setattr(browser_module, "sync_playwright", refused)
    yield tried
    assert not tried, REFUSED_BROWSER


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
def run_assistant(browser, monkeypatch, capsys):
    """The ``assistant`` command in this process, the worker's Chromium standing for its own
    (support/inprocess.py): ``run_assistant(*argv, env=None, cwd=None, input=None)`` -> what
    ``support.assistant`` returns for a child (``returncode``, ``stdout``, ``stderr``)."""
    return InProcess(browser, ESCAPES, monkeypatch, capsys)


@pytest.fixture
def caplog_loguru(caplog):
    """Bridge loguru to pytest's caplog (loguru's documented recipe)."""
    logger.enable("assistant")
    handler_id = logger.add(caplog.handler, format="{message}", level=0)
    caplog.set_level(logging.DEBUG)
    yield caplog
    logger.remove(handler_id)
    logger.disable("assistant")
