"""Keeps secrets and personal data out of every artifact a run leaves behind.

The runner feeds the redactor what it must never write (the password, the identifiant, names read
on pages); the redactor scrubs text (saved HTML, report JSON) and trace archives by value.
Screenshots are masked by locator instead (see ``PortalPage.personal_data``).
"""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

MASK = "•••"
BINARY_SUFFIXES = (".png", ".jpeg", ".jpg", ".woff", ".woff2", ".pdf")


def masked_identifier(identifier: str | None) -> str | None:
    """An identifiant as a report may show it: its first two characters (one when it is short), never
    the whole: ``marie.dupont@example.fr`` -> ``ma•••••@…``, ``famille.martin`` -> ``fa•••••``."""
    if not identifier or not identifier.strip():
        return None
    text = identifier.strip()
    kept = text[:2] if len(text) > 4 else text[:1]
    return f"{kept}•••••{'@…' if '@' in text else ''}"


class Redactor:
    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, *values: object) -> None:
        for value in values:
            text = value.reveal() if hasattr(value, "reveal") else value
            if isinstance(text, str) and len(text.strip()) >= 3:
                self._values.add(text.strip())

    def add_names(self, *names: str) -> None:
        """A person's name as shown (« Madame MARTIN », « Léo MARTIN »), and its family name alone:
        the portal writes family names in capitals, and they recur across pages."""
        for name in names:
            self.add(name)
            self.add(*(word for word in name.split() if len(word) >= 3 and word.isupper()))

    def _variants(self) -> list[str]:
        seen: set[str] = set()
        for value in self._values:
            seen.update({value, html.escape(value), html.escape(value, quote=False),
                         json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
                         quote_plus(value), quote(value, safe="")})
        # Longest first, so that a name inside a longer value is not half-replaced.
        return sorted(seen, key=len, reverse=True)

    def variants(self) -> list[str]:
        """Every form a secret may take in an artifact (as is, HTML, JSON, URL-encoded)."""
        return self._variants()

    def scrub(self, text: str) -> str:
        for variant in self._variants():
            text = text.replace(variant, MASK)
        return text

    def scrub_bytes(self, data: bytes) -> bytes:
        for variant in self._variants():
            data = data.replace(variant.encode("utf-8"), MASK.encode("utf-8"))
        return data

    def scrub_zip(self, path: Path) -> None:
        """Rewrite a Playwright trace archive with every entry scrubbed."""
        tmp = path.with_suffix(".scrubbing")
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if not info.filename.endswith(BINARY_SUFFIXES):
                    data = self.scrub_bytes(data)
                dst.writestr(info.filename, data)
        tmp.replace(path)
