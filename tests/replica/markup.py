"""A small tree of a page (stdlib HTML parser) and the control a person would click for some words:
what the renderings' tests read to say which element kind a composition drew."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from replica_helpers import normalise

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CONTROL_TAGS = {"a", "button", "input", "select", "summary", "label"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # this node's own text chunks and its children's, in order

    @property
    def text(self) -> str:
        return normalise("".join(self.texts))

    @property
    def words(self) -> str:
        """What a person reads as its label: its text, else its value or alt."""
        return self.text or normalise(self.attrs.get("value") or self.attrs.get("alt") or "")

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    """Every element of a page, as a tree (text outside scripts and styles)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.nodes: list[Node] = []
        self._stack: list[Node] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self._stack[-1] if self._stack else None)
        if node.parent is not None:
            node.parent.children.append(node)
        self.nodes.append(node)
        if tag not in VOID:
            self._stack.append(node)

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop().tag == tag:
                break

    def handle_data(self, data):
        if any(n.tag in ("script", "style", "template") for n in self._stack):
            return
        for node in self._stack:
            node.texts.append(data)

    def labelled(self, words: str) -> list[Node]:
        """The innermost elements that read ``words``."""
        wanted = normalise(words)
        hits = [n for n in self.nodes if n.tag not in ("html", "body", "main") and n.words == wanted]
        return [n for n in hits if not any(n in list(o.ancestors()) for o in hits if o is not n)]

    def controls(self, words: str) -> list[tuple[Node, Node]]:
        """Every control reading ``words`` (an element that reads them, or its nearest clickable
        ancestor), with the element that reads them."""
        found: list[tuple[Node, Node]] = []
        for node in self.labelled(words):
            for candidate in [node, *node.ancestors()]:
                if candidate.tag in CONTROL_TAGS or candidate.attrs.get("role") or candidate.attrs.get("onclick"):
                    if all(candidate is not f for f, _ in found):
                        found.append((candidate, node))
                    break
        return found


def kind_of(node: Node, reader: Node) -> str:
    """The ctl_* rendering of control ``node`` (renderings.py), read from its markup; ``reader`` is the
    element that reads its words (itself, or one inside)."""
    tag, attrs, role = node.tag, node.attrs, node.attrs.get("role")
    if node.has_class("tuile"):
        return "tile"
    if tag == "input":
        return {"submit": "input_submit", "button": "input_button", "image": "input_image"}[attrs.get("type", "")]
    if role in ("button", "link", "tab", "menuitem"):
        parent_role = node.parent.attrs.get("role") if node.parent else None
        assert role not in ("tab", "menuitem") or parent_role == {"tab": "tablist", "menuitem": "menu"}[role]
        return "role_" + role
    if any(c.tag == "span" and c.text and c.text != reader.words for c in reader.children):
        return "split_words"
    if tag == "button":
        return "button"
    href = attrs.get("href", "")
    return "a_hash" if href == "#" else "a_javascript" if href.startswith("javascript:") else "a_href"
