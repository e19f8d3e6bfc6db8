"""Drift mutations applied to a rendered page: rename, remove or duplicate a control, change a text.

A post-render transform, so it works on every skin: the page is scanned once with the stdlib
HTML parser (element and text offsets in the source), then edited by offsets from the end.
Labels are compared the way a person reads them: case, accents, spaces (incl. U+00A0/U+202F)
and apostrophes do not matter, and a label split over elements (<span>Mes</span> <span>factures</span>)
is read whole.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

from .faults import Mutation

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEXT = {"script", "style"}
INTERACTIVE_TAGS = {"a", "button", "input", "select", "summary"}
INTERACTIVE_ROLES = {"button", "link", "radio", "checkbox", "tab", "menuitem", "switch", "option"}
LABEL_ATTRS = ("value", "aria-label", "alt")
# what a duplicate must not keep: the original's ids, field names, target and the panel it controls
_DROPPED = ("id", "name", "for", "onclick", "href", "aria-controls", "aria-expanded", "formaction")
# the duplicate's own click runs first (an inline handler is registered before any script's) and stops
# every other handler of the element (the portal's scripts find controls by class): it only leads away
_DECOY = "event.stopImmediatePropagation(); event.preventDefault(); window.location.href='{}';"


def normalise(text: str) -> str:
    """Case-, accent-, space- and apostrophe-insensitive form of a label."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    for quote in "’‘`´":
        plain = plain.replace(quote, "'")
    return " ".join(plain.casefold().split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    start: int          # offset of "<tag"
    open_end: int       # offset just after the start tag
    close_start: int = -1  # offset of "</tag>" (== open_end for void elements)
    end: int = -1       # offset just after the end tag
    text: list[str] = field(default_factory=list)
    children: list["Element"] = field(default_factory=list)
    parent: "Element | None" = None

    @property
    def label(self) -> str:
        return normalise("".join(self.text))


class _Scanner(HTMLParser):
    """Elements with their source offsets, and the text chunks outside tags (raw offsets)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self._lines = [0]
        for i, c in enumerate(html):
            if c == "\n":
                self._lines.append(i + 1)
        self.elements: list[Element] = []
        self.texts: list[list] = []  # runs of adjacent text outside script/style: [start, end, decoded]
        self._stack: list[Element] = []
        self.feed(html)
        self.close()
        for el in self._stack:  # unclosed elements end where the document ends
            el.close_start = el.end = len(html)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        raw = self.get_starttag_text() or ""
        el = Element(tag, dict(attrs), start, start + len(raw), parent=self._stack[-1] if self._stack else None)
        if el.parent is not None:
            el.parent.children.append(el)
        self.elements.append(el)
        if tag in VOID:
            el.close_start = el.end = el.open_end
        else:
            self._stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            el = self._stack.pop()
            el.close_start = el.end = el.open_end

    def handle_endtag(self, tag):
        start = self._offset()
        end = self.html.find(">", start) + 1
        while self._stack:
            el = self._stack.pop()
            el.close_start, el.end = (start, end) if el.tag == tag else (start, start)
            if el.tag == tag:
                break

    def _text(self, decoded: str, raw_len: int) -> None:
        if any(el.tag in RAW_TEXT for el in self._stack):
            return
        start = self._offset()
        if self.texts and self.texts[-1][1] == start:  # "Bonjour &amp; Madame" is one run
            self.texts[-1][1] += raw_len
            self.texts[-1][2] += decoded
        else:
            self.texts.append([start, start + raw_len, decoded])
        for el in self._stack:
            el.text.append(decoded)

    def handle_data(self, data):
        self._text(data, len(data))

    def handle_entityref(self, name):
        self._text(unescape(f"&{name};"), len(name) + 2)

    def handle_charref(self, name):
        self._text(unescape(f"&#{name};"), len(name) + 3)


def _matches(el: Element, wanted: str) -> bool:
    if el.label == wanted:
        return True
    return any(normalise(el.attrs.get(a) or "") == wanted for a in LABEL_ATTRS if el.attrs.get(a))


def _innermost(scan: _Scanner, wanted: str) -> list[Element]:
    """Elements labelled ``wanted`` none of whose descendants is also labelled so."""
    hits = [el for el in scan.elements if el.tag not in ("html", "body", "head", "title") and _matches(el, wanted)]
    inner = []
    for el in hits:
        if not any(_within(other, el) for other in hits if other is not el):
            inner.append(el)
    return inner


def _within(el: Element, ancestor: Element) -> bool:
    node = el.parent
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _control_of(el: Element) -> Element:
    """The link/control that ``el`` labels: itself or its nearest interactive ancestor."""
    node: Element | None = el
    while node is not None:
        if node.tag in INTERACTIVE_TAGS or (node.attrs.get("role") or "") in INTERACTIVE_ROLES:
            return node
        if node.tag == "label":
            return node
        node = node.parent
    return el


def _start_tag(el: Element, attrs: dict[str, str | None]) -> str:
    parts = [el.tag] + [k if v is None else f'{k}="{escape(v, quote=True)}"' for k, v in attrs.items()]
    return "<" + " ".join(parts) + ">"


def _rename(html: str, scan: _Scanner, m: Mutation) -> list[tuple[int, int, str]]:
    wanted = normalise(m.target)
    edits = []
    for el in _innermost(scan, wanted):
        attrs = dict(el.attrs)
        touched = [a for a in LABEL_ATTRS if attrs.get(a) and normalise(attrs[a] or "") == wanted]
        if touched:
            for a in touched:
                attrs[a] = m.replacement
            edits.append((el.start, el.open_end, _start_tag(el, attrs)))
        if el.label == wanted and el.close_start > el.open_end:
            edits.append((el.open_end, el.close_start, escape(m.replacement, quote=False)))
    return edits


def _remove(html: str, scan: _Scanner, m: Mutation) -> list[tuple[int, int, str]]:
    edits = []
    for el in _innermost(scan, normalise(m.target)):
        control = _control_of(el)
        edits.append((control.start, control.end, ""))
        target_id = control.attrs.get("for") if control.tag == "label" else None
        if target_id:
            edits += [(o.start, o.end, "") for o in scan.elements if o.attrs.get("id") == target_id]
    return edits


def _replace_text(html: str, scan: _Scanner, m: Mutation) -> list[tuple[int, int, str]]:
    return [(a, b, escape(text.replace(m.target, m.replacement), quote=False))
            for a, b, text in scan.texts if m.target in text]


def _neutralised(fragment: str, decoy: str) -> str:
    """A copy of a control's markup that only leads to ``decoy``: same element, words, classes and look;
    no id, name or panel; a click on it goes to ``decoy`` and nowhere else (no submit, no script)."""
    scan = _Scanner(fragment)
    edits = []
    for i, el in enumerate(scan.elements):
        attrs = {k: v for k, v in el.attrs.items() if k not in _DROPPED}
        if i == 0:
            if el.tag == "a":
                attrs["href"] = decoy
            attrs["onclick"] = _DECOY.format(decoy)
        edits.append((el.start, el.open_end, _start_tag(el, attrs)))
    for start, end, text in reversed(edits):
        fragment = fragment[:start] + text + fragment[end:]
    return fragment


def _duplicate(html: str, scan: _Scanner, m: Mutation) -> list[tuple[int, int, str]]:
    decoy = m.replacement or "?doublon=1"
    edits, done = [], set()
    for el in _innermost(scan, normalise(m.target)):
        control = _control_of(el)
        if control.start in done:
            continue
        done.add(control.start)
        edits.append((control.end, control.end, " " + _neutralised(html[control.start:control.end], decoy)))
    return edits


_KINDS = {"rename": _rename, "remove": _remove, "replace_text": _replace_text, "duplicate": _duplicate}


def apply_mutations(html: str, mutations: list[Mutation]) -> str:
    """The page ``html`` after each mutation, in order."""
    for m in mutations:
        scan = _Scanner(html)
        edits = sorted(set(_KINDS[m.kind](html, scan, m)), key=lambda e: (e[0], -e[1]))
        out, cursor = [], 0
        for start, end, text in edits:
            if start < cursor:  # inside an edit already made (a removed control's own children)
                continue
            out += [html[cursor:start], text]
            cursor = end
        html = "".join(out) + html[cursor:]
    return html
