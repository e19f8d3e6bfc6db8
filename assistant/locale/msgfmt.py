"""Compile the .po catalogues beside this script into the .mo files gettext reads.

    python assistant/locale/msgfmt.py          # every */LC_MESSAGES/*.po here -> .mo beside it

A small stand-in for GNU ``msgfmt`` (not installed everywhere) covering what our catalogues use:
``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[N]``, continued strings, ``#`` comments. The .mo
layout is GNU gettext's (magic 0x950412de, revision 0, sorted originals, no hash table), which
Python's :class:`gettext.GNUTranslations` reads. The output depends on the .po alone, so the
committed .mo can be checked against it (tests/cli/test_argparse_catalogue.py).
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_po(text: str) -> dict[str, str]:
    """The catalogue's entries: msgid -> msgstr (a plural's forms and ids joined by NUL, as in a .mo)."""
    entries: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if "msgid" in fields:
            msgid = "".join(fields["msgid"])
            if "msgid_plural" in fields:
                msgid += "\0" + "".join(fields["msgid_plural"])
                forms = sorted((k for k in fields if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
                entries[msgid] = "\0".join("".join(fields[k]) for k in forms)
            else:
                entries[msgid] = "".join(fields.get("msgstr", []))
        fields.clear()

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"line {number}: a string outside any field")
            current.append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in fields:
            flush()
        known = keyword in ("msgid", "msgid_plural", "msgstr") or keyword.startswith("msgstr[")
        if not known or not rest.startswith('"'):
            raise ValueError(f"line {number}: not understood: {line}")
        current = fields.setdefault(keyword, [])
        current.append(ast.literal_eval(rest))
    flush()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """A GNU .mo file holding ``entries`` (little-endian)."""
    keys = sorted(entries)
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    header_size = 7 * 4
    table_size = len(keys) * 8
    ids_start = header_size + 2 * table_size
    strs_start = ids_start + sum(len(b) + 1 for b in ids)
    id_table, str_table, offset = [], [], ids_start
    for data in ids:
        id_table += [len(data), offset]
        offset += len(data) + 1
    offset = strs_start
    for data in strs:
        str_table += [len(data), offset]
        offset += len(data) + 1
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), header_size, header_size + table_size, 0, 0)
    tables = struct.pack(f"<{len(id_table)}I", *id_table) + struct.pack(f"<{len(str_table)}I", *str_table)
    return head + tables + b"".join(b + b"\0" for b in ids) + b"".join(b + b"\0" for b in strs)


def compile_po(po: Path) -> Path:
    """Write the .mo beside ``po``; return its path."""
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(read_po(po.read_text(encoding="utf-8"))))
    return mo


def main() -> int:
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        print(compile_po(po).relative_to(HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
