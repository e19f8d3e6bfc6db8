"""« Mes factures »: rows, detail fragment, PDF downloads, Payer links."""

from __future__ import annotations

import re

from replica_helpers import Client


def check_pdf(data: bytes) -> str:
    """Validate the PDF's structure (header, xref offsets, trailer); return its text streams."""
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF", data).group(1))
    assert data[startxref:startxref + 4] == b"xref"
    count = int(re.match(rb"xref\s+0 (\d+)", data[startxref:]).group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) n \n", data[startxref:])
    assert len(entries) == count - 1
    for number, (offset, _) in enumerate(entries, start=1):
        assert data[int(offset):].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data[data.index(b"stream\n") + 7:]
    assert stream[length:length + 10] == b"\nendstream"
    return stream[:length].decode("cp1252")


def test_rows_are_shaped_like_the_portal(shared):
    c = Client(shared)
    c.login()
    html = c.get("MonCompte").text
    assert re.findall(r'<tr class="compte" id="(\d+)">', html) == ["481203", "481202", "481201", "481204"]
    assert '<td class="ligneCompte">Séjour d’hiver - février 2026</td>' in html
    assert '<span class="numero_facture">260103</span>' in html
    assert "1\u00a0234,56\u00a0€" in html and "0,50\u00a0€" in html
    assert html.count(">Payée<") == 2 and html.count(">À payer<") == 2
    assert "Adhésion à la facture/compte en ligne" in html


def test_payer_link_only_when_adhered(shared):
    martin, bernard = Client(shared), Client(shared)
    martin.login()
    bernard.login("famille.bernard")
    assert "PayerFacture" not in martin.get("MonCompte").text
    html = bernard.get("MonCompte").text
    assert html.count("MonCompte/PayerFacture?IdFactureUnique=482301") == 1
    assert "IdFactureUnique=482302\">Payer" not in html
    to_payfip = bernard.get("MonCompte/PayerFacture?IdFactureUnique=482301", follow=False)
    assert to_payfip.status == 302 and "/tpa/paiement.web?" in to_payfip.location  # see assistant/replica/payfip.py
    assert bernard.get("MonCompte/PayerFacture?IdFactureUnique=999999").status == 404


def test_detail_fragment(shared):
    c = Client(shared)
    c.login()
    frag = c.get("MonCompte/DetailFacture?IdFactureUnique=481203", headers={"X-Requested-With": "XMLHttpRequest"}).text
    assert '<h2 id="hDetailFacture_Facture">Facture - 260103 - Séjour d’hiver - février 2026</h2>' in frag
    assert '<span id="spanDetailFacture_DatEmissionFacture">15/02/2026</span>' in frag
    assert '<span id="spanDetailFacture_MntTotalFacture">1\u00a0234,56\u00a0€</span>' in frag
    assert '<span id="spanDetailFacture_DatLimitePaiementFacture">15/03/2026</span>' in frag
    assert "<html" not in frag


def test_detail_of_another_family_is_404(shared):
    c = Client(shared)
    c.login()
    assert c.get("MonCompte/DetailFacture?IdFactureUnique=482301").status == 404


def test_pdf_download_committed_file(shared):
    c = Client(shared)
    c.login()
    resp = c.get("MonCompte/TelechargerPdfFacture?IdFactureUnique=481203")
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    assert 'filename="Facture_260103.pdf"' in resp.headers["content-disposition"]
    text = check_pdf(resp.body)
    assert "Facture N° 260103" in text and "1 234,56 €" in text


def test_pdf_generated_on_the_fly_for_big_family(shared):
    c = Client(shared)
    c.login("famille.moreau")
    html = c.get("MonCompte").text
    assert html.count('<tr class="compte"') == 150
    ident = re.search(r'<tr class="compte" id="(\d+)">', html).group(1)
    text = check_pdf(c.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={ident}").body)
    assert f"Référence : {ident}" in text


def test_family_without_invoices(shared):
    c = Client(shared)
    c.login("famille.leroy")
    html = c.get("MonCompte").text
    assert "Vous n’avez aucune facture." in html and 'class="compte"' not in html


def test_dashboard_members_and_tiles(shared):
    c = Client(shared)
    c.login()
    html = c.get("CompteCitoyen").text
    assert "<h1>Mon tableau de bord</h1>" in html
    assert re.findall(r'FichePersonne/DetailPersonne\?idDynamic=(\d+)', html) == ["1", "2", "3", "4"]
    assert all(f"Content/{a}.png" in html for a in ("pere", "mere", "garcon", "fillette"))
    assert html.count('<div class="dalle">') == 3
    assert html.count(">Mes factures<") == 2  # menu link and tile heading
    person = c.get("FichePersonne/DetailPersonne?idDynamic=3").text
    assert '<h1 id="hMonEspaceIdentite">Léo MARTIN</h1>' in person


def test_static_assets(shared):
    c = Client(shared)
    png = c.get("Content/mere.png")
    assert png.status == 200 and png.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert c.get("Content/portal.js").headers["content-type"].startswith("text/javascript")
    assert c.get("Content/../accounts.json").status == 404
