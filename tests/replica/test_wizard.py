"""The adhesion wizard as a state machine: transitions, idempotent VALIDER, e-mail, audit."""

from __future__ import annotations

import email
import json
from email import policy

from replica_helpers import WIZARD, Client


def test_step1_shows_current_choice_and_modifier(shared):
    c = Client(shared)
    c.login()
    html = c.get(WIZARD).text
    assert "<strong>NON</strong>" in html
    assert ">MODIFIER</button>" in html
    assert "<legend>Souhaitez-vous adhérer à la facture en ligne ?</legend>" in html
    assert '<a href="#" class="lienEtapeSuivante">Aller à l’étape 2</a>' in html


def test_full_journey_changes_account_once(replica):
    c = Client(replica)
    c.login()
    wid, recap = c.answer("OUI")
    assert recap.url.endswith(f"{WIZARD}/Recapitulatif?IdDemarche={wid}")
    assert "Le récapitulatif" in recap.text and "Vérifiez avant de valider votre demande" in recap.text
    assert replica.account("famille.martin")["adhesion"] == "NON"  # only VALIDER changes the account
    done = c.validate(wid)
    assert done.url.endswith(f"{WIZARD}/Confirmation?IdDemarche={wid}")
    assert "Votre demande a bien été enregistrée" in done.text
    acc = replica.account("famille.martin")
    # the fixtures' next request number (123), in the year the request was made
    assert acc["requests"][0]["number"] == f"{acc['requests'][0]['date'][:4]}-000123"
    assert f"N° de demande : <strong>{acc['requests'][0]['number']}</strong>" in done.text
    assert acc["adhesion"] == "OUI"
    assert len(acc["requests"]) == 1 and acc["requests"][0]["label"] == "Adhésion à la facture en ligne"
    assert acc["requests"][0]["number"] in c.get("CompteCitoyen/MesDemandes").text


def test_duplicate_valider_counted_and_applied_once(replica):
    c = Client(replica)
    c.login()
    wid, _ = c.answer("OUI")
    first = c.validate(wid, follow=False)
    second = c.validate(wid)
    assert first.status == 302
    assert second.status == 200 and "Votre demande a bien été enregistrée" in second.text
    assert replica.duplicate_validations == 1
    assert len(replica.account("famille.martin")["requests"]) == 1
    assert [(e.accepted, e.changed) for e in replica.audit if e.route.endswith("/Valider")] == [(True, True), (True, False)]


def test_valider_without_answer_refused(replica):
    c = Client(replica)
    c.login()
    wid, token = c.open_wizard()
    resp = c.post(f"{WIZARD}/Valider", {"__RequestVerificationToken": token, "IdDemarche": wid})
    assert resp.status == 400
    assert replica.account("famille.martin")["requests"] == []
    assert replica.audit[-1].detail == "VALIDER without a stored answer"


def test_step1_without_answer_shows_error(replica):
    c = Client(replica)
    c.login()
    wid, token = c.open_wizard()
    resp = c.post(WIZARD, {"__RequestVerificationToken": token, "IdDemarche": wid})
    assert resp.status == 200 and "Veuillez répondre à la question." in resp.text
    assert replica.audit[-1].accepted is False


def test_answer_non_sets_non(replica):
    c = Client(replica)
    c.login("famille.bernard")
    wid, _ = c.answer("NON")
    c.validate(wid)
    assert replica.account("famille.bernard")["adhesion"] == "NON"


def test_already_adhered_shows_oui_and_modifier(shared):
    c = Client(shared)
    c.login("famille.bernard")
    html = c.get(WIZARD).text
    assert "<strong>OUI</strong>" in html and ">MODIFIER</button>" in html


def test_pending_adhesion_has_no_modifier(replica):
    c = Client(replica)
    c.login("famille.petit")
    html = c.get(WIZARD).text
    assert "Une demande d’adhésion à la facture en ligne est en cours de traitement." in html
    assert "MODIFIER" not in html and "IdDemarche" not in html
    assert "En cours de traitement" in c.get("CompteCitoyen/MesDemandes").text


def test_confirmation_email_written(replica):
    c = Client(replica)
    c.login()
    wid, _ = c.answer("OUI")
    c.validate(wid)
    files = list(replica.outbox_dir.glob("*.eml"))
    assert len(files) == 1
    msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    number = replica.account("famille.martin")["requests"][0]["number"]
    assert msg["To"] == "claire.martin@famille-martin.example"
    assert number in msg["Subject"]
    assert "Bonjour Madame MARTIN" in msg.get_content()


def test_audit_log_file_has_json_lines(replica, tmp_path):
    c = Client(replica)
    c.login()
    wid, _ = c.answer("OUI")
    c.validate(wid)
    lines = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(d["route"], d["accepted"], d["changed"]) for d in lines] == [
        ("Home/Logon", True, False),
        (WIZARD, True, False),
        (f"{WIZARD}/Valider", True, True),
    ]
    assert all(d["account"] == "famille.martin" for d in lines)
