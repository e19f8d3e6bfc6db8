"""How browsers, servers and trace writers write a value, written here independently of the assistant's
redactor (the tests compare the two): WHATWG's form encoding as Chromium does it, the URL
percent-encode sets, JavaScript's ``encodeURIComponent``, Python's quoting, JSON as JavaScript, Python
and .NET escape it, HTML references, multipart (raw); each in upper and lower hex; and base64
(standard and URL-safe) of each at the three byte alignments. :func:`leaks` searches files for all of
them, trace archives unzipped and HAR bodies decoded."""

from __future__ import annotations

import base64
import html
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

PRINTABLE = {chr(c) for c in range(0x20, 0x7F)}
ALNUM = {c for c in PRINTABLE if c.isalnum()}
# WHATWG URL standard, percent-encode sets (what each one encodes among printable ASCII)
QUERY = {" ", '"', "#", "<", ">"}
SPECIAL_QUERY = QUERY | {"'"}
FRAGMENT = {" ", '"', "<", ">", "`"}
PATH = QUERY | {"?", "`", "{", "}"}
USERINFO = PATH | {"/", ":", ";", "=", "@", "[", "\\", "]", "^", "|"}
COMPONENT = USERINFO | {"$", "%", "&", "+", ","}
#: application/x-www-form-urlencoded: everything but ASCII alphanumerics and « *-._ » (Chromium encodes « ~ »)
FORM_KEEPS = ALNUM | set("*-._")
URI_COMPONENT_KEEPS = ALNUM | set("-_.!~*'()")


def percent(value: str, keeps: set[str], *, plus: bool = False, lower: bool = False) -> str:
    """``value``'s UTF-8 bytes percent-encoded but for the ASCII characters in ``keeps``."""
    out = []
    for byte in value.encode("utf-8"):
        char = chr(byte)
        if byte < 0x80 and char in keeps:
            out.append(char)
        elif plus and char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02x}" if lower else f"%{byte:02X}")
    return "".join(out)


def js_json(value: str) -> str:
    """``JSON.stringify``: only « " », « \\ » and control characters escaped, the rest as is."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def dotnet_json(value: str) -> str:
    """System.Text.Json's default encoder: non-ASCII and HTML-sensitive characters as \\uXXXX (upper hex)."""
    out = []
    for char in value:
        if ord(char) > 0x7E or char in "<>&'+\"`" or ord(char) < 0x20:
            units = char.encode("utf-16-be")
            out += [f"\\u{int.from_bytes(units[i:i + 2], 'big'):04X}" for i in range(0, len(units), 2)]
        elif char == "\\":
            out.append("\\\\")
        else:
            out.append(char)
    return "".join(out)


def text_variants(value: str) -> set[str]:
    """Every textual form of ``value`` (see the module's docstring), in both hex cases."""
    forms = {value, js_json(value), json.dumps(value)[1:-1], js_json(value).replace("/", "\\/"), dotnet_json(value),
             html.escape(value), html.escape(value, quote=False), "".join(f"&#{ord(c)};" for c in value),
             "".join(f"&#x{ord(c):x};" for c in value), quote_plus(value, safe=""), quote(value, safe="")}
    for lower in (False, True):
        forms |= {percent(value, FORM_KEEPS, plus=True, lower=lower), percent(value, URI_COMPONENT_KEEPS, lower=lower)}
        for encoded in (QUERY, SPECIAL_QUERY, FRAGMENT, PATH, USERINFO, COMPONENT):
            forms.add(percent(value, PRINTABLE - encoded, lower=lower))
    return forms | {f.lower() if re.fullmatch(r"(%[0-9A-F]{2})+", f) else f for f in forms}


def base64_fragments(data: bytes) -> set[bytes]:
    """The part of base64(… + ``data`` + …) that ``data`` alone decides, standard and URL-safe, at each of
    the three alignments (what a search for a base64-encoded secret looks for)."""
    found = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + data + b"\x00\x00")
        start, end = -(-8 * shift // 6), 8 * (shift + len(data)) // 6
        fragment = encoded[start:end]
        if len(fragment) >= 4:
            found |= {fragment, fragment.translate(bytes.maketrans(b"+/", b"-_"))}
    return found


def needles(value: str) -> set[bytes]:
    """Every form of ``value`` a leak check looks for, as bytes."""
    texts = {t.encode("utf-8") for t in text_variants(value)}
    return texts | {f for t in texts for f in base64_fragments(t)}


def blobs(path: Path) -> list[tuple[str, bytes]]:
    """What a file holds, as searched: the file, each entry of an archive, each HAR body decoded."""
    data = path.read_bytes()
    found = [(str(path), data)]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            found += [(f"{path}!{info.filename}", archive.read(info)) for info in archive.infolist()]
    if path.suffix == ".har":
        for entry in json.loads(data)["log"]["entries"]:
            content = entry["response"].get("content", {})
            if content.get("encoding") == "base64":
                found.append((f"{path}!{entry['request']['url']}", base64.b64decode(content["text"])))
    return found


def leaks(folder: Path, value: str) -> list[str]:
    """Every file (or archive entry, or HAR body) under ``folder`` holding ``value`` in any form."""
    wanted = needles(value)
    return [where for path in sorted(p for p in folder.rglob("*") if p.is_file())
            for where, blob in blobs(path) if any(n in blob for n in wanted)]
