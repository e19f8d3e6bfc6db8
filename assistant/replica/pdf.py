"""A tiny PDF 1.4 writer (stdlib only) for the replica's invoice PDFs.

One page, Helvetica in WinAnsiEncoding (so « é » and « € » print), a correct xref table.
"""

from __future__ import annotations


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def build_pdf(lines: list[str], title: str = "") -> bytes:
    """Return the bytes of a one-page PDF showing ``lines`` top-down."""
    stream = [b"BT", b"/F1 11 Tf", b"14 TL", b"56 780 Td"]
    for i, line in enumerate(lines):
        if i == 0:
            stream += [b"/F1 16 Tf", _pdf_string(line) + b" Tj", b"/F1 11 Tf", b"T*", b"T*"]
        else:
            stream += [_pdf_string(line) + b" Tj", b"T*"]
    stream.append(b"ET")
    content = b"\n".join(stream)
    info = b"<< /Producer (Espace Citoyens replica) /Title " + _pdf_string(title or (lines[0] if lines else "")) + b" >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def invoice_pdf_lines(inv: dict, tenant: str = "grandperigueux") -> tuple[list[str], str]:
    """The text lines and title of an invoice's PDF (``inv`` as in accounts.json)."""
    from .formats import french_amount, french_date

    lines = [
        "Grand Périgueux - Espace Citoyens",
        f"Facture N° {inv['number']}",
        inv["label"],
        f"Date d'émission : {french_date(inv['issued'])}",
        f"Montant total : {french_amount(inv['amount'])}".replace("\u00a0", " "),
        f"Date limite de paiement : {french_date(inv['due'])}",
        f"Concerne : {inv['member']}",
        f"Référence : {inv['IdFactureUnique']}",
        "Document fictif produit par la réplique du portail (données de démonstration).",
    ]
    return lines, f"Facture {inv['number']}"
