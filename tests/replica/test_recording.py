"""Recording a portal (HAR, scrubbed) and replaying it offline; bad folders; the canary."""

from __future__ import annotations

import json

import pytest

import assistant.recording as recording
from assistant.config import Settings, Timeouts
from assistant.errors import ConfigError, UnsafeRecording
from assistant.recording import load_manifest, record, replay
from assistant.replica import Faults, Mutation, Replica, ReplicaConfig
from flows import adhesion, status
from support import ACCOUNTS, replica_settings

FAMILY = ACCOUNTS["famille.martin"]


@pytest.fixture(scope="module")
def recorded(browser, tmp_path_factory):
    """One recording of the replica (classic login), the replica stopped afterwards."""
    folder = tmp_path_factory.mktemp("rec") / "enregistrement"
    with Replica(ReplicaConfig(wait_modal_ms=150, outbox_dir=tmp_path_factory.mktemp("outbox"))) as rep:
        settings = replica_settings(rep, "famille.martin", report_dir=tmp_path_factory.mktemp("reports"))
        rec = record(settings, folder, browser=browser)
        audit = rep.audit
    return rec, audit


def test_a_recording_holds_both_archives_and_the_scrubbed_pages(recorded):
    rec, audit = recorded
    assert rec.ok and sorted(rec.hars) == ["adhesion", "factures"]
    assert {p.name for p in rec.folder.iterdir()} == {"adhesion.har", "factures.har", "pages", "enregistrement.json"}
    assert any("MonCompte" in name for name in rec.pages)
    assert load_manifest(rec.folder)["parcours"]["adhesion"] == {"resultat": "rehearsed", "code": 0}
    assert [e for e in audit if e.changed and "logoff" not in e.detail] == []  # nothing was validated


def test_a_recording_keeps_no_secret_nor_personal_data(recorded):
    rec, _ = recorded
    text = "\n".join(p.read_text(encoding="utf-8") for p in rec.folder.rglob("*") if p.is_file())
    for value in (FAMILY["password"], FAMILY["username"], FAMILY["email"], FAMILY["nom"], FAMILY["prenom"],
                  *(m["prenom"] for m in FAMILY["members"]), "1\u00a0234,56", "ASP.NET_SessionIdEC="):
        assert value not in text, value
    har = json.loads((rec.folder / "adhesion.har").read_text(encoding="utf-8"))
    posts = [e["request"] for e in har["log"]["entries"] if e["request"]["method"] == "POST"]
    assert posts and all("postData" not in p for p in posts)
    assert "username=•••&password=•••" in posts[0]["_postDataMasked"]


@pytest.mark.parametrize(("flow", "rehearse", "outcome"), [
    (adhesion.FLOW, True, "rehearsed"),
    (status.FLOW, False, "not_adhered"),
])
def test_a_recording_replays_offline(recorded, run_flow, tmp_path, flow, rehearse, outcome):
    rec, _ = recorded
    base = load_manifest(rec.folder)["base_url"]
    settings = Settings(base_url=base, timeouts=Timeouts.for_replica(), report_dir=tmp_path,
                        trace=False).with_credentials(FAMILY["username"], FAMILY["password"])
    report = run_flow(settings, flow, rehearse=rehearse, on_context=replay(rec.folder / "adhesion.har"))
    assert (report.outcome, report.exit_code) == (outcome, 0), report.message


def test_a_secret_left_after_scrubbing_deletes_the_recording(browser, tmp_path, monkeypatch):
    # the canary: a portal page that shows the password, and a scrubber that misses everything
    monkeypatch.setattr(recording, "scrub_text", lambda text, redactor: text)
    folder = tmp_path / "canari"
    with Replica(ReplicaConfig(wait_modal_ms=150, outbox_dir=tmp_path / "outbox")) as rep:
        rep.set_faults(Faults(mutations=(Mutation("replace_text", "Ma famille", FAMILY["password"]),)))
        settings = replica_settings(rep, "famille.martin", report_dir=tmp_path / "reports")
        with pytest.raises(UnsafeRecording, match="Enregistrement supprimé"):
            record(settings, folder, browser=browser)
    assert not folder.exists()


def test_a_folder_in_use_is_refused_before_anything_is_fetched(tmp_path):
    used = tmp_path / "pris"
    used.mkdir()
    (used / "autre.txt").write_text("x")
    with pytest.raises(ConfigError, match="n’est pas vide"):
        recording.check_out_folder(used)
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="n’est pas un dossier|Impossible d’écrire"):
        recording.check_out_folder(blocker / "sous-dossier")


def test_cli_refuses_a_folder_in_use_with_exit_2(run_assistant, tmp_path):
    used = tmp_path / "pris"
    used.mkdir()
    (used / "autre.txt").write_text("x")
    done = run_assistant("enregistrer", "--replica", "--out", str(used), cwd=tmp_path)
    assert done.returncode == 2
    assert "n’est pas vide" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in used.iterdir()) == ["autre.txt"]
