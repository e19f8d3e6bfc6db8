"""The generated compositions' fixtures: one replica and one browser for every example of a worker, a
fresh browser context per example (loopback-only). The budget of examples: budget.py.
"""

from __future__ import annotations

import re

import pytest

from assistant.replica import Replica, ReplicaConfig


@pytest.fixture(scope="session")
def generated_replica(tmp_path_factory):
    """The worker's replica: each example sets its composition and starts from the seed's data."""
    cfg = ReplicaConfig(outbox_dir=tmp_path_factory.mktemp("outbox"), wait_modal_ms=100)
    with Replica(cfg) as rep:
        yield rep


# what leaves loopback is aborted and remembered (the suite's guard, for contexts made here)
ESCAPES = re.compile(r"^(?!(?:data|blob|about):)(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/?#]|$))",
                     re.IGNORECASE)


@pytest.fixture
def new_context(browser, browser_context_args):
    """``new_context()`` -> a fresh context of the session's browser, guarded; all closed at the end."""
    made, escaped = [], []

    def make():
        ctx = browser.new_context(**browser_context_args)
        ctx.route(ESCAPES, lambda route: (escaped.append(route.request.url), route.abort()))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
    assert escaped == [], f"requests left loopback: {escaped}"

