"""A structural fingerprint of each page of the journey, and what differs between two of them.

Per step, once the runner took its evidence (:data:`assistant.runner.Observe`):

- the **aria snapshot** of the page's main region (Playwright's ``Locator.aria_snapshot``: roles,
  accessible names, states; no CSS, no layout), normalised so that a family's data does not look
  like a change: table rows are reduced to their structure, digits to ``0``, link targets to their
  path, personal names scrubbed by the runner's redactor;
- the **inventory** of the forms (method, action path, visible fields by name, type and label) and of
  the controls (role and name) on the page, read in one ``evaluate``; hidden fields, values and
  anything typed are never read;
- the **documented controls the flow used** on that page, as the page objects named them (told by
  :func:`assistant.pages.base.watch_actions` just before each click).

A baseline is the fingerprints of a green rehearsal, saved as JSON per tenant.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

from ..report_dir import write_atomic

if TYPE_CHECKING:
    from playwright.sync_api import Page

SNIPPET_LINES = 24

_INVENTORY_JS = r"""(root) => {
  const clean = (t) => (t || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const labelOf = (e) => clean(e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
                               || e.getAttribute('title') || e.getAttribute('placeholder') || '');
  const forms = [...document.forms].filter((f) => root.contains(f) || f.contains(root)).map((f) => ({
    method: (f.getAttribute('method') || 'get').toUpperCase(),
    action: new URL(f.getAttribute('action') || location.href, location.href).pathname,
    fields: [...f.elements].filter((e) => e.name && e.type !== 'hidden' && e.type !== 'submit' && e.type !== 'button')
      .map((e) => ({name: e.name, type: e.type || e.tagName.toLowerCase(), label: labelOf(e)})),
  }));
  const controls = [...root.querySelectorAll('a[href], button, input[type=submit], input[type=button], [role=button], [role=link]')]
    .filter(visible).filter((e) => !e.closest('tr'))
    .map((e) => ({role: (e.getAttribute('role') || (e.tagName === 'A' ? 'link' : 'button')),
                  name: clean(e.getAttribute('aria-label') || e.innerText || e.value || e.getAttribute('title'))}));
  return {forms, controls};
}"""

_ROW = re.compile(r"^(\s*)- row\b")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_URL = re.compile(r"(/url:\s*)(\S+)")
_DIGITS = re.compile(r"(?<!level=)\d+")


@dataclass
class PageFingerprint:
    """What one step's page looks like, structurally."""

    step: int
    title: str
    page: str | None
    path: str
    aria: str
    forms: list[dict[str, Any]] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)

    def digest(self) -> str:
        """A short hash of everything compared (two equal digests: nothing changed)."""
        payload = json.dumps([self.path, self.aria, self.forms, self.controls, self.used], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PageFingerprint":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def snippet(self) -> str:
        """The page as a person could read it in a journal: path, then the aria snapshot."""
        return f"{self.path}\n{self.aria}".strip()


def _normalise_path(url: str) -> str:
    path = urlsplit(url).path
    return _DIGITS.sub("0", path)


def normalise_aria(snapshot: str, scrub: Callable[[str], str] = lambda s: s) -> str:
    """Keep the structure, drop the family's data: table rows become their shape, digits 0."""
    out: list[str] = []
    skip_indent: int | None = None
    seen_rows: set[str] = set()
    lines = scrub(snapshot).splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None and indent > skip_indent:
            index += 1
            continue
        skip_indent = None
        row = _ROW.match(line)
        if row:
            # a row and its cells: its shape only (roles, no text), each shape once
            block = [line]
            j = index + 1
            while j < len(lines) and len(lines[j]) - len(lines[j].lstrip()) > indent:
                block.append(lines[j])
                j += 1
            # column headers are the table's structure and are kept; cells and names are data
            shape = "\n".join(b.split(":")[0].rstrip() if "columnheader" in b
                              else _QUOTED.sub('"…"', b).split(":")[0].rstrip() for b in block)
            shape = _DIGITS.sub("0", shape)
            if shape not in seen_rows:
                seen_rows.add(shape)
                out.append(shape)
            index = j
            continue
        line = _URL.sub(lambda m: m.group(1) + _normalise_path(m.group(2)), line)
        out.append(_DIGITS.sub("0", line))
        index += 1
    return "\n".join(out)


def capture(page: "Page", *, step: int, title: str, page_title: str | None, used: list[str],
            scrub: Callable[[str], str]) -> PageFingerprint:
    """Read the fingerprint of what ``page`` shows now (main region, or the whole body if none)."""
    main = page.get_by_role("main")
    root = main.first if main.count() else page.locator("body")
    try:
        aria = root.aria_snapshot(timeout=5_000)
    except PlaywrightError:
        aria = ""
    try:
        inventory = root.evaluate(_INVENTORY_JS)
    except PlaywrightError:
        inventory = {"forms": [], "controls": []}
    forms = [{"method": f["method"], "action": _DIGITS.sub("0", f["action"]),
              "fields": sorted({(x["name"], x["type"], scrub(x["label"])) for x in f["fields"]})}
             for f in inventory.get("forms", [])]
    forms = [{**f, "fields": [list(x) for x in f["fields"]]} for f in forms]
    # controls keep their digits (« Aller à l’étape 2 »): the family's data sits in table rows, left out
    controls = sorted({f"{c['role']} « {scrub(c['name'])} »" for c in inventory.get("controls", []) if c.get("name")})
    return PageFingerprint(step=step, title=title, page=page_title, path=_normalise_path(page.url),
                           aria=normalise_aria(aria, scrub), forms=forms, controls=controls,
                           used=list(dict.fromkeys(used)))


@dataclass
class Difference:
    """How one page differs from its baseline: a few words, and the before/after snippets."""

    step: int
    page: str | None
    summary: str
    before: str
    after: str


def compare(before: PageFingerprint | None, after: PageFingerprint | None, *, step: int) -> Difference | None:
    """None when nothing structural changed, else what did (missing page on either side included)."""
    if before is None and after is None:
        return None
    if before is None:
        return Difference(step, after.page, "page absente de la référence", "", after.snippet())
    if after is None:
        return Difference(step, before.page, f"page « {before.page or before.title} » non atteinte",
                          before.snippet(), "")
    if before.digest() == after.digest():
        return None
    parts = []
    if before.path != after.path:
        parts.append(f"adresse {before.path} → {after.path}")
    gone = sorted(set(before.controls) - set(after.controls))
    new = sorted(set(after.controls) - set(before.controls))
    if gone:
        parts.append("contrôles disparus : " + ", ".join(gone[:5]))
    if new:
        parts.append("contrôles nouveaux : " + ", ".join(new[:5]))
    if before.forms != after.forms:
        parts.append("formulaires modifiés")
    if before.used != after.used:
        parts.append("contrôles utilisés : " + ", ".join(after.used) + " (avant : " + ", ".join(before.used) + ")")
    if before.aria != after.aria:
        parts.append("texte ou structure de la page modifiés")
    b, a = _diff_snippets(before.snippet(), after.snippet())
    return Difference(step, after.page or before.page, " ; ".join(parts) or "page modifiée", b, a)


def _diff_snippets(before: str, after: str) -> tuple[str, str]:
    """The lines that differ (with one line of context), each side at most SNIPPET_LINES lines."""
    old, new = before.splitlines(), after.splitlines()
    b_out: list[str] = []
    a_out: list[str] = []
    for group in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_grouped_opcodes(1):
        for tag, i1, i2, j1, j2 in group:
            mark = " " if tag == "equal" else "-"
            b_out += [f"{mark} {line}" for line in old[i1:i2]]
            mark = " " if tag == "equal" else "+"
            a_out += [f"{mark} {line}" for line in new[j1:j2]]
    return "\n".join(b_out[:SNIPPET_LINES]), "\n".join(a_out[:SNIPPET_LINES])


# -- baselines on disk ------------------------------------------------------------------------
BASELINE_VERSION = 1


def save_baseline(path: Path, tenant: str, pages: dict[int, PageFingerprint], recorded_at: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": BASELINE_VERSION, "tenant": tenant, "recorded_at": recorded_at,
            "pages": [p.to_json() for _, p in sorted(pages.items())]}
    return write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


def load_baseline(path: Path) -> dict[int, PageFingerprint] | None:
    """The baseline's pages by step, or None when there is none (or it is unreadable: logged by the caller)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        return None
    return {p["step"]: PageFingerprint.from_json(p) for p in data.get("pages", [])}
