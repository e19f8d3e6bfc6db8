"""« assistant statut » through the runner: it reads, it never writes."""

from __future__ import annotations

from flows.status import FLOW
from support import run_on_replica


def test_status_flow_is_read_only(replica, run_flow, tmp_path):
    report = run_on_replica(run_flow, replica, tmp_path, FLOW)

    assert report.outcome == "not_adhered"
    assert [e.route for e in replica.audit if e.method == "POST"] == ["Home/Logon"]
