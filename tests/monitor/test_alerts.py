"""Alerts: the policy (N failures, recovery, flapping) and real delivery to a webhook and an SMTP server."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from assistant.errors import ConfigError
from assistant.monitor.alerts import DOWN, FLAPPING, UP, AlertPolicy, Notifier
from assistant.monitor.history import AlertRow


def replay(policy: AlertPolicy, outcomes: str) -> list[str | None]:
    """Feed runs ('o' ok, 'x' failed) one by one; the alert sent after each (None: none)."""
    state, oks, sent = None, [], []
    for c in outcomes:
        oks.append(c == "o")
        state, kind = policy.decide(state, oks[-20:])
        sent.append(kind)
    return sent


def test_an_outage_alerts_once_after_n_failures_then_once_on_recovery():
    sent = replay(AlertPolicy(after=3), "ooxxxxxxoo")
    assert sent == [None, None, None, None, DOWN, None, None, None, UP, None]


def test_a_single_failure_below_the_threshold_alerts_nothing():
    assert replay(AlertPolicy(after=2), "ooxooooooxoo") == [None] * 12


def test_a_flapping_tenant_is_reported_once_then_again_when_stable():
    policy = AlertPolicy(after=1, flap_window=10, flap_changes=4, stable_runs=5)
    sent = replay(policy, "oxoxoxoxoxox" + "ooooo")
    assert [k for k in sent if k] == [DOWN, UP, DOWN, FLAPPING, UP]
    assert sent.index(FLAPPING) == 4
    assert sent[-1] == UP and sent[5:-1] == [None] * (len(sent) - 6)


def test_an_unknown_alert_url_is_refused_in_french():
    with pytest.raises(ConfigError) as caught:
        Notifier(["pigeon://127.0.0.1/"])
    assert "non reconnue par Apprise" in caught.value.message


def test_an_alert_reaches_a_webhook(webhook):
    assert Notifier([webhook.url]).send(AlertRow("gp", DOWN, "[Espace Citoyens] gp : indisponibilité", "Le portail…"))
    assert webhook.titles() == ["[Espace Citoyens] gp : indisponibilité"]
    assert webhook.received[0]["message"] == "Le portail…"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def test_an_alert_reaches_an_smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free loopback port for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        url = f"mailto://127.0.0.1:{port}?from=moniteur@example.org&to=astreinte@example.org&mode=insecure"
        assert Notifier([url]).send(AlertRow("gp", UP, "[Espace Citoyens] gp : rétabli", "Le parcours fonctionne."))
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    sender, recipients, content = inbox.messages[0]
    assert sender == "moniteur@example.org" and recipients == ["astreinte@example.org"]
    message = email.message_from_string(content, policy=email.policy.default)
    assert message["Subject"] == "[Espace Citoyens] gp : rétabli"
    assert "Le parcours fonctionne." in content


def test_a_bad_alert_url_is_refused_before_the_history_is_created(tmp_path):
    from assistant.monitor.scheduler import Monitor, MonitorOptions
    from flows.monitor import FLOW

    options = MonitorOptions(FLOW, folder=tmp_path / "s", alert_urls=["pigeon://127.0.0.1/"])
    with pytest.raises(ConfigError) as caught:
        Monitor([], options)
    assert caught.value.key == "--alert"
    assert not (tmp_path / "s").exists()
