"""Opt-in checks against the real portal: ``pytest -m live`` with credentials in the environment.

Read-only by construction: the status flow and a rehearsal (whose network guard aborts any
non-GET request once « VALIDER » is on screen). Never run in CI (``-m 'not live'`` by default).
"""

from __future__ import annotations

import os

import pytest

from assistant.config import ENV_PASSWORD, ENV_USERNAME, Settings
from flows.adhesion import FLOW as ADHESION
from flows.status import FLOW as STATUS

pytestmark = pytest.mark.live


@pytest.fixture
def live_settings(tmp_path):
    if not (os.environ.get(ENV_USERNAME) and os.environ.get(ENV_PASSWORD)):
        pytest.skip(f"{ENV_USERNAME} / {ENV_PASSWORD} not set")
    return Settings.from_env(os.environ, report_dir=tmp_path)


def test_live_status_reads_the_adhesion_state(live_settings, run_flow):
    report = run_flow(live_settings, STATUS)
    assert report.outcome in {"already_done", "pending", "not_adhered"}, report.message


def test_live_rehearsal_reaches_the_recap_or_reports_the_state(live_settings, run_flow):
    report = run_flow(live_settings, ADHESION, rehearse=True)
    assert report.outcome in {"rehearsed", "already_done", "pending"}, report.message
