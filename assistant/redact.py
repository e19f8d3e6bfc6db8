"""Keeps secrets and personal data out of every artifact a run leaves behind.

The runner feeds the redactor what it must never write (the password, the identifiant, names read
on pages, session cookies); the redactor scrubs text (saved HTML, report JSON) and trace archives by
value. Screenshots are masked by locator instead (see ``PortalPage.personal_data``).

**Every encoding, character by character.** A browser, a server and a trace writer each encode a
value their own way, and no list of whole-value variants keeps up (Chromium's form encoding leaves
``*`` alone and encodes ``~``, Python's quoting does the reverse). So a value is searched as a
sequence of characters, each written any way it may be (:func:`_char`): as is (UTF-8), percent-
encoded (UTF-8 or windows-1252 bytes, either hex case, the ``%`` itself encoded once more: the
WHATWG form, query, path and component sets are all mixes of these), ``+`` for a space (forms), a
JSON escape (``\\uXXXX`` in either case, ``\\"``, ``\\/``…, the backslash doubled in nested JSON), an
HTML character reference (decimal, hexadecimal, named; percent-encoded too). Multipart bodies carry
values raw. Base64 (standard or URL-safe, at any of the three byte alignments) is found by decoding
every base64-looking run and searching the decoded bytes the same way: a run that holds a secret in
any of the encodings above is masked whole.
"""

from __future__ import annotations

import base64
import binascii
import html.entities
import re
import zipfile
from pathlib import Path

from .report_dir import replaced

MASK = "•••"
BINARY_SUFFIXES = (".png", ".jpeg", ".jpg", ".woff", ".woff2", ".pdf")
MIN_LENGTH = 3
#: a base64 run long enough to hold a value worth a search (the shortest value is 3 bytes: 4 characters,
#: 8 once a neighbour's bytes share its first and last groups)
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{8,}={0,2}")
_JSON_SHORT = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}
_NAMES = {**{chr(code): name for code, name in html.entities.codepoint2name.items()}, "'": "apos"}


def masked_identifier(identifier: str | None) -> str | None:
    """An identifiant as a report may show it: its first two characters (one when it is short), never
    the whole: ``marie.dupont@example.fr`` -> ``ma•••••@…``, ``famille.martin`` -> ``fa•••••``."""
    if not identifier or not identifier.strip():
        return None
    text = identifier.strip()
    kept = text[:2] if len(text) > 4 else text[:1]
    return f"{kept}•••••{'@…' if '@' in text else ''}"


def _hex(value: int, width: int) -> bytes:
    """``value`` in hexadecimal digits, either case (``7[eE]``)."""
    return b"".join(f"[{d.lower()}{d.upper()}]".encode() if d.isalpha() else d.encode()
                    for d in f"{value:0{width}X}")


def _percent(data: bytes) -> bytes:
    """``data`` percent-encoded, either hex case, each ``%`` as is or encoded once more (``%257E``)."""
    return b"".join(rb"%(?:25)?" + _hex(byte, 2) for byte in data)


def _html(char: str) -> list[bytes]:
    """``char`` as an HTML character reference: decimal, hexadecimal, named."""
    code = ord(char)
    refs = [b"&#0*" + str(code).encode() + b";", b"&#[xX]0*" + _hex(code, 1) + b";"]
    if char in _NAMES:
        refs.append(b"&" + _NAMES[char].encode() + b";")
    return refs


def _char(char: str) -> bytes:
    """A pattern for one character written any way an artifact may hold it (see the module's docstring)."""
    utf8 = char.encode("utf-8")
    forms = [re.escape(utf8), _percent(utf8)]
    try:
        legacy = char.encode("cp1252")  # a form posted from a page in windows-1252
        if legacy != utf8:
            forms.append(_percent(legacy))
    except UnicodeEncodeError:
        pass
    if char == " ":
        forms.append(rb"\+")
    units = char.encode("utf-16-be")
    forms.append(b"".join(rb"\\+u" + _hex(int.from_bytes(units[i:i + 2], "big"), 4) for i in range(0, len(units), 2)))
    if char in _JSON_SHORT:
        short = _JSON_SHORT[char]
        forms.append(rb"\\+" + re.escape(short.encode()))
        if short == '"':  # JSON inside an HTML attribute: \&quot;
            forms += [rb"\\+" + ref for ref in _html(short)]
    forms += _html(char)
    code = ord(char)
    forms.append(rb"%26%23" + str(code).encode() + rb"%3[bB]")  # a reference, percent-encoded (a form)
    return b"(?:" + b"|".join(forms) + b")"


def value_pattern(value: str) -> bytes:
    """The pattern of ``value`` in any encoding, character by character."""
    return b"".join(_char(char) for char in value)


class Redactor:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[bytes] | None = None

    def add(self, *values: object) -> None:
        for value in values:
            text = value.reveal() if hasattr(value, "reveal") else value
            if isinstance(text, str) and len(text.strip()) >= MIN_LENGTH:
                self._values.add(text.strip())
                self._pattern = None

    def add_names(self, *names: str) -> None:
        """A person's name as shown (« Madame MARTIN », « Léo MARTIN »), and its family name alone:
        the portal writes family names in capitals, and they recur across pages."""
        for name in names:
            self.add(name)
            self.add(*(word for word in name.split() if len(word) >= 3 and word.isupper()))

    def pattern(self) -> re.Pattern[bytes] | None:
        """One pattern for every value, longest first (a name inside a longer value is not half-replaced)."""
        if self._pattern is None and self._values:
            ordered = sorted(self._values, key=len, reverse=True)
            # every form of a first character starts with that character's first byte, or with one of
            # « % \ & + »: a look-ahead on those bytes makes the search skip every other position fast
            first = {v.encode("utf-8")[:1] for v in ordered} | {b"%", b"\\", b"&", b"+"}
            ahead = b"(?=[" + b"".join(re.escape(f) for f in sorted(first)) + b"])"
            self._pattern = re.compile(ahead + b"(?:" + b"|".join(value_pattern(v) for v in ordered) + b")")
        return self._pattern

    def found_in(self, data: bytes) -> bool:
        """Whether ``data`` holds a value, in any encoding, base64 included."""
        pattern = self.pattern()
        return pattern is not None and (pattern.search(data) is not None
                                        or any(self._in_base64(m.group()) for m in _BASE64_RUN.finditer(data)))

    def _in_base64(self, run: bytes) -> bool:
        pattern = self.pattern()
        assert pattern is not None
        for alphabet in (run, run.translate(bytes.maketrans(b"-_", b"+/"))):
            body = alphabet.rstrip(b"=")
            for start in range(4):  # a run that does not begin on a group of four
                chunk = body[start:]
                try:
                    decoded = base64.b64decode(chunk + b"=" * (-len(chunk) % 4), validate=True)
                except (binascii.Error, ValueError):
                    continue
                if pattern.search(decoded):
                    return True
        return False

    def scrub_bytes(self, data: bytes) -> bytes:
        pattern = self.pattern()
        if pattern is None:
            return data
        data = pattern.sub(MASK.encode("utf-8"), data)
        return _BASE64_RUN.sub(lambda m: MASK.encode("utf-8") if self._in_base64(m.group()) else m.group(), data)

    def scrub(self, text: str) -> str:
        return self.scrub_bytes(text.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")

    def scrub_zip(self, path: Path) -> None:
        """Rewrite a Playwright trace archive with every entry scrubbed."""
        with replaced(path) as tmp:
            with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    data = src.read(info)
                    if not info.filename.endswith(BINARY_SUFFIXES):
                        data = self.scrub_bytes(data)
                    dst.writestr(info.filename, data)
