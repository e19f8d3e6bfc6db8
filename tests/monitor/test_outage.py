"""A portal that goes down during a rehearsal is an outage for the monitor, never a drift: no
fingerprint of Chromium's own error page, no « before/after » of it in the history or the drift
journal, the baseline left as it was."""

from __future__ import annotations

import json
from dataclasses import replace

from assistant.config import Timeouts
from assistant.monitor.alerts import AlertPolicy
from assistant.monitor.history import History
from assistant.monitor.scheduler import Monitor, MonitorOptions
from flows.monitor import FLOW
from support.relay import BEHIND, Relay

CHROMIUM = ("chrome-error", "Reload", "Details", "Checking the proxy", "This site can")


def test_a_portal_killed_during_a_rehearsal_is_an_outage_never_a_drift(portal, webhook, tmp_path, browser):
    relay = Relay()
    alpha = portal("alpha", host=BEHIND, port=relay.port)
    tenant = replace(alpha.tenant, base_url=relay.behind(alpha.replica))
    options = MonitorOptions(FLOW, folder=tmp_path / "s", workers=1, alert_urls=[webhook.url],
                             policy=AlertPolicy(after=1), timeouts=Timeouts(action=4000, navigation=5000, wait_modal=5000))
    with Monitor([tenant], options, say=lambda line: None, browser=browser) as monitor:
        assert [r.verdict.klass for r in monitor.cycle(baseline=True)] == ["ok"]
        reference = (options.folder / "references" / "alpha.json").read_text(encoding="utf-8")
        relay.cut_at = ("GET", "MonCompte")  # the server dies as step 1 opens « Mes factures »

        [result] = monitor.cycle()

    assert relay.down.is_set()
    verdict = result.verdict
    assert (verdict.klass, verdict.step, verdict.differences) == ("outage", 1, [])
    assert verdict.message.startswith("Le portail est injoignable : ")
    assert (options.folder / "references" / "alpha.json").read_text(encoding="utf-8") == reference
    history = History.open(options.history_file)
    try:
        run = history.last_runs("alpha", 1)[0]
        drifts = history.drifts("alpha")
    finally:
        history.close()
    assert (run.outcome, run.klass) == ("portal_unavailable", "outage")
    assert [(d.klass, d.before, d.after) for d in drifts] == [("outage", "", "")]  # the incident, no page of it
    journal = (options.folder / "derives.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["class"] for line in journal.splitlines()] == ["outage"]
    seen = journal + verdict.message + " ".join(d.summary for d in drifts)
    assert not [word for word in CHROMIUM if word in seen]
    assert webhook.titles() == ["[Espace Citoyens] alpha : indisponibilité"]
