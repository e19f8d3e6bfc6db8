"""``assistant guide``: six numbered steps with pictures, the payment, a valid PDF, no personal data,
and no half guide when the rehearsal fails."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from assistant.helpdesk.guide import GuideFailed, generate
from assistant.invoices.french import format_amount
from assistant.replica import Faults, Replica, ReplicaConfig
from flows.adhesion import FLOW
from support import ACCOUNTS, replica_settings

USED = ("famille.martin", "famille.bernard")


def personal_values(username: str) -> set[str]:
    """What belongs to the family in fixtures/accounts.json: names, identifiant, e-mail, amounts, numbers."""
    acc = ACCOUNTS[username]
    values = {acc["username"], acc["email"], acc["nom"], acc["prenom"], acc["password"]}
    for member in acc["members"]:
        values |= {member["prenom"], member["nom"]}
    for inv in acc["invoices"]:
        values |= {inv["number"], format_amount(Decimal(inv["amount"])).replace("\u00a0", " ").replace("\u202f", " ")}
    return values


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


class Steps(HTMLParser):
    """Reads the guide's articles: id, heading text, SVG image, outline and number."""

    def __init__(self):
        super().__init__()
        self.articles: dict[str, dict] = {}
        self.current = None
        self.in_h3 = False
        self.in_text = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.current = self.articles.setdefault(a["id"], {"title": "", "images": 0, "outline": 0, "badge": ""})
        elif self.current is not None:
            if tag == "h3":
                self.in_h3 = True
            elif tag == "image" and a.get("href", "").startswith("data:image/jpeg;base64,/9j/"):
                self.current["images"] += 1
            elif tag == "rect" and a.get("class") == "control":
                self.current["outline"] += 1
            elif tag == "text":
                self.in_text = True

    def handle_endtag(self, tag):
        if tag == "article":
            self.current = None
        elif tag == "h3":
            self.in_h3 = False
        elif tag == "text":
            self.in_text = False

    def handle_data(self, data):
        if self.current is not None and self.in_h3:
            self.current["title"] += data
        if self.current is not None and self.in_text:
            self.current["badge"] += data.strip()


@pytest.fixture(scope="module")
def guide(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("guide")
    with Replica(ReplicaConfig(wait_modal_ms=100, outbox_dir=folder / "outbox")) as rep:
        result = generate(replica_settings(rep, "famille.martin", report_dir=folder / "rapports"), folder / "out",
                          payment_settings=replica_settings(rep, "famille.bernard"), browser=browser)
        audit = rep.audit
    return result, audit


def test_six_numbered_steps_with_outlined_pictures(guide):
    result, _ = guide
    parser = Steps()
    parser.feed(result.html.read_text(encoding="utf-8"))
    for step in FLOW.steps:
        article = parser.articles[f"etape-{step.number}"]
        assert squash(article["title"]).strip() == f"{step.number} {step.title}"
        assert article["images"] == 1 and article["outline"] == 1
        assert article["badge"] == str(step.number)
    assert [s.control for s in result.shots if s.section == "adhesion"] == [
        "Connexion", "Mes factures", "Adhésion à la facture/compte en ligne", "MODIFIER", "OUI",
        "Aller à l’étape 2", "VALIDER"]


def test_payment_part_shows_where_to_pay_and_never_pays(guide):
    result, audit = guide
    parser = Steps()
    parser.feed(result.html.read_text(encoding="utf-8"))
    assert parser.articles["paiement-2"]["outline"] == 1
    assert "Payer" in parser.articles["paiement-2"]["title"]
    assert parser.articles["paiement-3"]["images"] == 0  # the provider's page is described, not photographed
    assert [e for e in audit if e.changed and e.route != "Home/LogOff"] == []  # rehearsal: nothing written
    assert not any("Valider" in e.route for e in audit)


def test_html_is_self_contained(guide):
    html = guide[0].html.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["'](?!data:|#)""", html)
    assert "127.0.0.1" not in html
    assert "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/" in html


def test_pdf_is_valid_and_carries_the_steps(guide):
    pdf = guide[0].pdf
    assert pdf.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(pdf)
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) >= 3
    assert "Puis sur « MODIFIER »" in text and "Payer une facture" in text


@pytest.mark.parametrize("where", ["html", "pdf"])
def test_no_personal_data_of_the_accounts_used(guide, where):
    result, _ = guide
    if where == "html":
        text = re.sub(r"data:image/jpeg;base64,[A-Za-z0-9+/=]+", "", result.html.read_text(encoding="utf-8"))
    else:
        text = " ".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    text = squash(text).casefold()
    found = sorted(v for u in USED for v in personal_values(u) if squash(v).casefold() in text)
    assert found == []


def test_a_failed_rehearsal_writes_no_half_guide_but_the_failed_step_report(replica, browser, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "guide.html").write_text("ancien guide", encoding="utf-8")
    (out / "guide.json").write_text("{}", encoding="utf-8")  # the earlier guide is one of ours
    replica.set_faults(Faults(error_500={"Demande/*"}))

    with pytest.raises(GuideFailed) as failed:
        generate(replica_settings(replica, "famille.martin", report_dir=tmp_path / "rapports"), out,
                 payment_settings=replica_settings(replica, "famille.bernard"), browser=browser)

    assert failed.value.outcome == "portal_unavailable"
    assert "étape 2" in failed.value.message
    assert (out / "guide.html").read_text(encoding="utf-8") == "ancien guide"
    assert not (out / "guide.pdf").exists() and not list(out.glob(".*partial"))
    report = failed.value.report_html.read_text(encoding="utf-8")
    assert "Étape 2" in report and "échouée" in report


def test_an_adhered_account_cannot_show_the_six_steps(session_replica, browser, tmp_path):
    with pytest.raises(GuideFailed) as failed:
        generate(replica_settings(session_replica, "famille.bernard", report_dir=tmp_path / "r"), tmp_path / "out",
                 browser=browser)
    assert failed.value.outcome == "config_error"
    assert "compte de test qui n’a pas adhéré" in failed.value.message
    assert not (tmp_path / "out" / "guide.html").exists()
