"""One invoice's detail: the fragment ``MonCompte/DetailFacture?IdFactureUnique=ID`` [seen].

The portal loads it in the background when a row of « Mes factures » is clicked, and shows it
under the table. Its four fields carry ids that public third-party code reads [seen]:
``#hDetailFacture_Facture`` (« Facture - NUM - libellé »), ``#spanDetailFacture_DatEmissionFacture``,
``#spanDetailFacture_MntTotalFacture`` (``1 234,56 €``), ``#spanDetailFacture_DatLimitePaiementFacture``.
« Concerne », « Statut » and « Reste à payer » are read by their French label when the fragment shows them
[guess]; a status word or an amount that does not read is None with the text quoted in ``problems``.

The same reading serves both paths: the HTML fetched by the fast path (:func:`parse_detail_html`)
and the fragment the browser shows after a click (:class:`InvoiceDetailPanel`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from playwright.sync_api import Locator, expect

from ..errors import PortalChanged
from ..invoices.french import UnreadableText, parse_amount, parse_date
from ..invoices.model import DetailFields, read_status
from ..labels import same
from .clues import Clue
from .component import Component
from .interruptions import check_interruptions, interruption_signals

# field -> element id [seen]
DETAIL_IDS = {
    "title": "hDetailFacture_Facture",
    "issued": "spanDetailFacture_DatEmissionFacture",
    "amount": "spanDetailFacture_MntTotalFacture",
    "due": "spanDetailFacture_DatLimitePaiementFacture",
}
# field -> the French labels a <dt>/<th> may carry for it [guess]
DETAIL_LABELS = {
    "member": ("Concerne", "Enfant", "Bénéficiaire", "Personne concernée", "Membre"),
    "status": ("Statut", "État", "Etat"),
    "remaining": ("Reste à payer", "Restant dû", "Reste dû", "Montant restant", "Montant restant dû", "Solde à payer"),
}
# [seen] « Facture - NUM - libellé »
_TITLE = re.compile(r"^Facture\s*[-–—:]\s*(?P<number>\S+)(?:\s+[-–—]\s+(?P<label>.+))?$", re.I)

def fields_from_texts(texts: dict[str, str | None]) -> DetailFields:
    """Turn the raw texts of a fragment (by field) into typed values, noting what cannot be read."""
    out = DetailFields()
    title = texts.get("title")
    match = _TITLE.match(" ".join(title.split())) if title else None
    if match:
        out.number = match["number"]
        out.label = match["label"] or None
    else:
        out.problems["number"] = f"titre illisible : « {title or ''} »"
    for name, parse in (("issued", parse_date), ("amount", parse_amount), ("due", parse_date)):
        raw = texts.get(name)
        if raw is None:
            out.problems[name] = "absent du détail"
            continue
        try:
            setattr(out, name, parse(raw))
        except UnreadableText as exc:
            out.problems[name] = str(exc)
    if texts.get("member") is not None:
        out.member = " ".join(texts["member"].split()) or None
    if texts.get("remaining") is not None and texts["remaining"].strip(" -–—/"):
        try:
            out.remaining = parse_amount(texts["remaining"])
        except UnreadableText as exc:
            out.problems["remaining"] = str(exc)
    if texts.get("status") is not None:
        try:
            read = read_status(texts["status"])
        except UnreadableText as exc:
            out.problems["status"] = str(exc)
        else:
            out.status = read.status
            if read.remaining is not None and out.remaining is None:
                out.remaining = read.remaining
            elif read.remaining_problem and out.remaining is None:
                out.problems.setdefault("remaining", read.remaining_problem)
    return out


class _FragmentReader(HTMLParser):
    """Collects the text of the [seen] ids and of <dt>/<dd> (or <th>/<td>) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, str] = {}
        self.pairs: list[tuple[str, str]] = []
        self._open: list[tuple[str, str, int]] = []  # (id, tag, depth)
        self._depth = 0
        self._term: list[str] | None = None
        self._value: list[str] | None = None
        self._last_term = ""
        self._chunks: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self._depth += 1
        ident = dict(attrs).get("id")
        wanted = set(DETAIL_IDS.values())
        if ident in wanted and ident not in self.by_id:
            self._open.append((ident, tag, self._depth))
            self._chunks[ident] = []
        if tag in ("dt", "th"):
            self._term, self._value = [], None
        elif tag in ("dd", "td") and self._last_term:
            self._value = []
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        for ident, open_tag, depth in list(self._open):
            if open_tag == tag and depth == self._depth:
                self.by_id[ident] = " ".join("".join(self._chunks.pop(ident)).split())
                self._open.remove((ident, open_tag, depth))
        if tag in ("dt", "th") and self._term is not None:
            self._last_term = " ".join("".join(self._term).split())
            self._term = None
        elif tag in ("dd", "td") and self._value is not None:
            self.pairs.append((self._last_term, " ".join("".join(self._value).split())))
            self._value, self._last_term = None, ""
        self._depth -= 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        for ident, _, _ in self._open:
            self._chunks[ident].append(data)
        if self._term is not None:
            self._term.append(data)
        if self._value is not None:
            self._value.append(data)


def texts_from_html(html: str) -> dict[str, str | None]:
    """The raw texts of a detail fragment, by field (None when absent)."""
    reader = _FragmentReader()
    reader.feed(html)
    reader.close()
    texts: dict[str, str | None] = {name: reader.by_id.get(ident) for name, ident in DETAIL_IDS.items()}
    for name, labels in DETAIL_LABELS.items():
        texts[name] = next((value for term, value in reader.pairs if any(same(term, lb) for lb in labels)), None)
    return texts


def is_detail_html(html: str) -> bool:
    """Whether an answer is the detail fragment at all (its [seen] title id is there)."""
    return DETAIL_IDS["title"] in html


def parse_detail_html(html: str) -> DetailFields:
    """Read the fragment the fast path fetched."""
    return fields_from_texts(texts_from_html(html))


class InvoiceDetailPanel(Component):
    """The detail shown on « Mes factures » after a click on an invoice's row (browser path)."""

    TITLE = "Détail de la facture"
    # why: the fragment's title id is a public fact [seen]; it carries no role or label
    PROOFS = (Clue("seen", "le titre du détail (#hDetailFacture_Facture)",
                   lambda p: p.page.locator(f"#{DETAIL_IDS['title']}")),)

    def wait_for_number(self, number: str) -> "InvoiceDetailPanel":
        """Wait until the panel shows invoice ``number`` (the previous one may still be shown), or
        for what the portal shows instead (its public home when the session ended)."""
        shown = self.marker.filter(has_text=re.compile(rf"(?:^|\s){re.escape(number)}(?:\s|$)"))
        try:
            expect(shown.or_(interruption_signals(self.page)).first).to_be_visible(
                timeout=self.settings.timeouts.action)
        except AssertionError as exc:
            check_interruptions(self.page, self.settings)
            raise PortalChanged(f"Le détail de la facture {number} ne s’est pas affiché.",
                                page=self.TITLE, url=self.page.url, control=DETAIL_IDS["title"]) from exc
        if shown.count() == 0:
            check_interruptions(self.page, self.settings)
            raise PortalChanged(f"Le détail de la facture {number} ne s’est pas affiché.",
                                page=self.TITLE, url=self.page.url, control=DETAIL_IDS["title"])
        return self

    def read(self) -> DetailFields:
        """Read the fields shown, with the same rules as the fast path."""
        # why: the fragment has no landmark of its own: its title's parent holds every field
        html = self.marker.evaluate("h => (h.closest('.detailFacture') || h.parentElement).outerHTML")
        return parse_detail_html(html)

    def personal_data(self) -> list[Locator]:
        return [self.page.locator(", ".join(f"#{ident}" for ident in DETAIL_IDS.values()))]
