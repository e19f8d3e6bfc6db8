"""A monitor on replicas: each injected fault and portal change gets its class, one alert, then the
recovery alert; nothing is ever written; no secret reaches anything the monitor leaves behind.

One scenario (three cycles, the tenants rehearsed concurrently on the session's browser) keeps
the suite short: a baseline cycle (three tenants: a failure needs no baseline to be classified),
a cycle where every portal changed or broke (another skin, the replica's drift mutations, faults),
and a cycle where two of them are repaired.
"""

from __future__ import annotations

import re
from dataclasses import replace
from xml.etree import ElementTree as ET

import pytest

from assistant.config import Secret, Timeouts
from assistant.monitor.alerts import AlertPolicy
from assistant.monitor.history import History
from assistant.monitor.scheduler import Monitor, MonitorOptions
from assistant.replica import Faults, Mutation
from conftest import CANARY
from flows.monitor import FLOW

WRONG = "Canari-mauvais-42b1"
TEXT_BEFORE = "Adhérez à la facture en ligne pour payer vos factures en ligne."
TEXT_AFTER = "Activez la facture en ligne pour régler vos factures sur internet."
ADHESION_LINK = "Adhésion à la facture/compte en ligne"


@pytest.fixture
def scenario(portal, webhook, tmp_path, browser):
    skins = {"habillage": "accessible", "renomme": "bootstrap"}
    names = ["texte", "habillage", "renomme", "lien", "erreur500", "lenteur", "session", "acces"]
    portals = {name: portal(name, skin=skins.get(name, "classique")) for name in names}
    options = MonitorOptions(FLOW, folder=tmp_path / "surveillance", workers=4, alert_urls=[webhook.url],
                             policy=AlertPolicy(after=1), timeouts=Timeouts(action=4000, navigation=5000, wait_modal=5000))
    lines: list[str] = []
    monitor = Monitor([p.tenant for p in portals.values()], options, say=lines.append, browser=browser)
    yield monitor, portals, lines
    monitor.close()


def classes(monitor: Monitor) -> dict[str, str]:
    history = History.open(monitor.options.history_file)
    try:
        return {t: history.last_runs(t, 1)[0].klass for t in history.tenants()}
    finally:
        history.close()


def test_each_change_and_fault_is_classified_alerted_once_and_recovered(scenario, webhook):
    monitor, portals, lines = scenario
    everyone = monitor.tenants
    monitor.tenants = [t for t in everyone if t.name in ("texte", "habillage", "lien")]
    first = monitor.cycle()
    assert {r.tenant: r.verdict.klass for r in first} == {"texte": "ok", "habillage": "ok", "lien": "ok"}
    assert webhook.received == []
    monitor.tenants = everyone

    portals["texte"].replica.set_faults(Faults(mutations=(Mutation("replace_text", TEXT_BEFORE, TEXT_AFTER),)))
    portals["habillage"].replica.set_skin("historique")
    portals["renomme"].replica.set_faults(Faults(mutations=(Mutation("rename", "MODIFIER", "CHANGER"),)))
    portals["lien"].replica.set_faults(Faults(mutations=(Mutation("remove", ADHESION_LINK),)))
    portals["erreur500"].replica.set_faults(Faults(error_500={"MonCompte"}))
    portals["lenteur"].replica.set_faults(Faults(latency_ms={"MonCompte": 9000}))
    portals["session"].replica.set_faults(Faults(expire_after_requests=3))
    monitor.tenants = [replace(t, password=Secret(WRONG)) if t.name == "acces" else t for t in monitor.tenants]
    second = {r.tenant: r.verdict for r in monitor.cycle()}

    assert {name: v.klass for name, v in second.items()} == {
        "texte": "cosmetic", "habillage": "cosmetic", "renomme": "breaking", "lien": "breaking",
        "erreur500": "outage", "lenteur": "outage", "session": "outage", "acces": "access"}
    assert (second["renomme"].step, second["renomme"].control) == (3, "MODIFIER")
    assert (second["lien"].step, second["lien"].control) == (2, ADHESION_LINK)
    assert "CHANGER" in second["renomme"].message  # the nearest candidate is named
    # slowness is said as such, naming the address that did not answer (never a missing control)
    assert second["lenteur"].message.startswith("Le portail tarde à répondre")
    assert "/MonCompte" in second["lenteur"].message
    assert len(second["habillage"].differences) >= 5  # another markup generation: most pages differ, none broke
    cosmetic = second["texte"].differences
    assert [d.step for d in cosmetic] == [1, 6]
    assert "+   - paragraph: Activez la facture en ligne" in cosmetic[0].after
    assert "-   - paragraph: Adhérez à la facture en ligne" in cosmetic[0].before
    # one alert per failing tenant, none for a cosmetic change
    down = sorted(t.split(" ")[2] for t in webhook.titles())
    assert down == sorted(["renomme", "lien", "erreur500", "lenteur", "session", "acces"])

    portals["renomme"].replica.set_faults(Faults())
    portals["erreur500"].replica.set_faults(Faults())
    monitor.tenants = [t for t in monitor.tenants if t.name in ("renomme", "erreur500", "lien")]
    third = {r.tenant: r.verdict.klass for r in monitor.cycle()}
    assert third == {"renomme": "ok", "erreur500": "ok", "lien": "breaking"}
    recovered = sorted(t for t in webhook.titles() if t.endswith(": rétabli"))
    assert recovered == ["[Espace Citoyens] erreur500 : rétabli", "[Espace Citoyens] renomme : rétabli"]
    assert len(webhook.received) == 8  # 6 failures + 2 recoveries: the still broken link alerted only once

    assert classes(monitor)["lien"] == "breaking"
    _assert_never_wrote(portals)
    _assert_reports(monitor)
    _assert_no_secret(monitor, webhook, lines)


def _assert_never_wrote(portals):
    for p in portals.values():
        audit = p.replica.audit
        assert not [e for e in audit if e.changed and not e.route.lower().endswith("home/logoff")]
        assert not [e for e in audit if e.route.lower().endswith("/valider")]
        assert p.replica.account("famille.martin")["adhesion"] == "NON"
        assert p.replica.account("famille.martin")["requests"] == []


def _assert_reports(monitor):
    folder = monitor.options.folder
    junit = ET.parse(folder / "junit.xml").getroot()
    suites = {s.get("name"): s for s in junit.iter("testsuite")}
    assert set(suites) == {"renomme", "erreur500", "lien"}
    failure = suites["lien"].find("testcase/failure")
    assert failure.get("type") == "breaking"
    assert [c.get("name")[:2] for c in suites["renomme"].iter("testcase")] == ["00", "01", "02", "03", "04", "05", "06"]
    html = (folder / "rapport.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in html and "changement cassant" in html
    assert 'alt="Dernière réussite" src="data:image/jpeg;base64,' in html
    assert 'alt="Échec" src="data:image/jpeg;base64,' in html
    metrics = (folder / "metrics.prom").read_text(encoding="utf-8")
    assert 'espace_citoyens_rehearsals_total{class="breaking",tenant="lien"} 2.0' in metrics
    assert 'espace_citoyens_drifts_total{class="cosmetic",tenant="texte"} 2.0' in metrics
    assert re.search(r'espace_citoyens_step_duration_seconds_bucket\{le="0\.5",step="03",tenant="renomme"\} \d', metrics)
    journal = (folder / "derives.jsonl").read_text(encoding="utf-8").splitlines()
    assert len([line for line in journal if '"tenant": "lien"' in line]) == 1


def _assert_no_secret(monitor, webhook, lines):
    texts = [str(webhook.received), "\n".join(lines)]
    for path in monitor.options.folder.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    for secret in (CANARY, WRONG):
        assert not [t[:80] for t in texts if secret in t]
