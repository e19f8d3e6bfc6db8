"""The suite's own guard: every browser context, asked for or not, keeps its requests on loopback."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError


def test_a_test_with_a_page_is_guarded_without_asking(request, page, session_replica):
    assert "loopback_guard" in request.fixturenames  # autouse: not in this test's arguments
    escaped = request.getfixturevalue("loopback_guard")
    page.goto(session_replica.base_url)  # loopback goes through

    with pytest.raises(PlaywrightError, match="ERR_FAILED"):
        page.goto("http://192.0.2.1/espace-citoyens/")  # TEST-NET-1: aborted before it leaves
    with pytest.raises(PlaywrightError, match="ERR_FAILED"):
        page.goto("http://localhost.example/")  # a name that only starts like loopback

    assert escaped == ["http://192.0.2.1/espace-citoyens/", "http://localhost.example/"]
    escaped.clear()  # seen and expected: the guard's own check at teardown passes


def test_a_test_without_a_browser_starts_none(request):
    assert "context" not in request.fixturenames
    assert request.getfixturevalue("loopback_guard") == []
