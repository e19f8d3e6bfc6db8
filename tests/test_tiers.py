"""The suite's tiers: ``browser`` set from a test's fixtures, ``process`` said by hand and enforced by the
helpers that start one."""

from __future__ import annotations

import pytest

from assistant.browser import open_browser
from support import assistant, python, spawn


def test_a_test_with_a_page_is_marked_browser(request, page):
    assert request.node.get_closest_marker("browser") is not None


def test_a_test_running_a_flow_is_marked_browser_through_the_fixture_s_own_fixtures(request, run_flow):
    assert "browser" in request.fixturenames and request.node.get_closest_marker("browser") is not None


def test_a_test_without_a_browser_fixture_is_in_the_fast_tier(request, replica):
    assert [request.node.get_closest_marker(name) for name in ("browser", "process", "slow")] == [None] * 3


@pytest.mark.parametrize("start", [lambda: python("-c", "pass"), lambda: assistant("--help"),
                                   lambda: spawn("-c", "pass")], ids=["python", "assistant", "spawn"])
def test_a_test_not_marked_process_may_not_start_one(start):
    with pytest.raises(AssertionError, match=r"mark it @pytest\.mark\.process"):
        start()


@pytest.mark.process
def test_a_test_marked_process_starts_one():
    assert python("-c", "print(6 * 7)").stdout == "42\n"



def test_a_test_not_marked_browser_may_not_launch_a_chromium(request):
    with pytest.raises(AssertionError, match=r"mark it @pytest\.mark\.browser"), open_browser():
        pass
    tried = request.getfixturevalue("browser_mark")
    assert tried == [request.node.nodeid]
    tried.clear()  # seen and expected: the guard's own check at teardown passes
