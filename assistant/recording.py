"""Record a portal as a scrubbed HAR archive, and replay it offline.

This is how the fixtures get refreshed from the real portal: on a machine that reaches it, with a
test account, :func:`record` rehearses the adhesion journey (« VALIDER » is never clicked, the
runner's network guard blocks any write) and lists the invoices, each run in a browser context
that keeps what it exchanged as a HAR archive — Playwright's own recording. Then every archive
is scrubbed and the HTML pages are kept beside it:

- the password, the identifiant and the session cookies, by value (and URL/HTML/JSON-encoded);
- every ``Cookie`` / ``Set-Cookie`` header and every anti-forgery token (``__RequestVerificationToken``);
- the names read on the pages (greeting, family members), e-mail addresses and amounts in euros;
- POST bodies: their field names are kept, their values are not (a replay matches POSTs by
  address and method).

Last, the whole folder is searched for the password and the session cookie once more, decoded
bodies included: if either is still there, the recording is deleted and :class:`UnsafeRecording`
raised. :func:`replay` serves an archive to a browser context with Playwright's HAR routing,
offline: what the archive does not hold is aborted.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from loguru import logger

from flows import registry

from .errors import UnsafeRecording
from .invoices.french import AMOUNT_IN_PAGE
from .redact import MASK, Redactor
from .report_dir import Writer, ready
from .results import RunReport
from .runner import Runner

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

    from .config import Settings
    from .runner import Progress

MANIFEST = "enregistrement.json"
TOKEN = "__RequestVerificationToken"
_TOKEN_IN_HTML = re.compile(rf'name="{TOKEN}"[^>]*?value="([^"]+)"|value="([^"]+)"[^>]*?name="{TOKEN}"')
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/x-javascript",
               "application/xml", "image/svg")


@dataclass
class Recording:
    """What :func:`record` left in ``folder``: one HAR per flow, the scrubbed pages, the run reports."""

    folder: Path
    base_url: str
    hars: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    reports: dict[str, RunReport] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.exit_code == 0 for r in self.reports.values())


#: the recording's folder: a new or empty one (a recording never mixes with other files)
RECORDING = Writer("Dossier de l’enregistrement", "--out", alone="refuse")


def check_out_folder(folder: Path) -> Path:
    """The recording's folder, new or empty and writable: checked before anything is fetched."""
    return ready(folder, RECORDING)[0]


def record(settings: "Settings", folder: Path, *, browser: "Browser | None" = None,
           progress: "Progress | None" = None) -> Recording:
    """Rehearse the adhesion journey and list the invoices, each as a scrubbed HAR in ``folder``."""
    folder = check_out_folder(folder)
    redactor = Redactor()
    recording = Recording(folder=folder, base_url=settings.base_url)
    journeys = (("adhesion", registry.flow("adhesion"), True), ("factures", registry.flow("factures"), False))
    try:
        for name, flow, rehearse in journeys:
            har = folder / f"{name}.har"
            # the runs' own reports stay out of the recording: they speak of the family (totals...)
            run_settings = _replace_report_dir(settings, Path(settings.report_dir or "reports/enregistrer") / name)
            runner = Runner(run_settings, progress=progress, redactor=redactor,
                            context_options={"record_har_path": str(har), "record_har_content": "embed"})
            recording.reports[name] = runner.run(flow, rehearse=rehearse, browser=browser)
            recording.hars[name] = har.name
        secrets = [settings.password.reveal()] if settings.password else []
        for name in recording.hars:
            secrets += scrub_har(folder / recording.hars[name], redactor)
        recording.pages = save_pages(folder, [folder / h for h in recording.hars.values()])
        _write_manifest(recording)
        found = leaks(folder, secrets)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never a half-scrubbed recording
        raise
    if found:
        shutil.rmtree(folder, ignore_errors=True)
        raise UnsafeRecording(f"Enregistrement supprimé : après nettoyage, {found[0]} contenait encore un secret "
                              "(mot de passe ou cookie de session).")
    return recording


def _replace_report_dir(settings: "Settings", report_dir: Path) -> "Settings":
    # no trace: the HAR is the recording; a trace would be one more archive to scrub
    return replace(settings, report_dir=report_dir, trace=False)


# -- scrubbing ----------------------------------------------------------------------------------
def _cookie_values(header: str) -> list[str]:
    values = []
    for part in re.split(r"[;\n]", header):
        if "=" in part:
            name, value = part.split("=", 1)
            if name.strip().lower() not in ("path", "domain", "expires", "max-age", "samesite") and value.strip():
                values.append(value.strip())
    return values


def _secrets_in(har: dict) -> tuple[list[str], list[str]]:
    """Cookie values and anti-forgery tokens found anywhere in the archive."""
    cookies, tokens = [], []
    for entry in har["log"]["entries"]:
        for side in (entry["request"], entry["response"]):
            for header in side.get("headers", []):
                if header["name"].lower() in ("cookie", "set-cookie"):
                    cookies += _cookie_values(header["value"])
            for cookie in side.get("cookies", []):
                cookies.append(cookie.get("value", ""))
        post = entry["request"].get("postData") or {}
        tokens += [v for k, v in parse_qsl(post.get("text", "")) if k == TOKEN]
        content = entry["response"].get("content", {})
        text = _body_text(content)
        if text:
            tokens += [a or b for a, b in _TOKEN_IN_HTML.findall(text)]
    return [c for c in cookies if len(c) >= 3], [t for t in tokens if t]


def _body_text(content: dict) -> str | None:
    """A response body as text when it is text (decoded from base64 if need be), else None."""
    mime = (content.get("mimeType") or "").lower()
    if "text" not in content or not mime.startswith(_TEXT_TYPES):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(content["text"]).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
    return content["text"]


def scrub_text(text: str, redactor: Redactor) -> str:
    """Secrets and personal values, e-mails and amounts out of one text."""
    text = redactor.scrub(text)
    text = _EMAIL.sub("masque@exemple.invalid", text)
    return AMOUNT_IN_PAGE.sub("•••,•• €", text)


def scrub_har(path: Path, redactor: Redactor) -> list[str]:
    """Scrub one HAR archive in place; return the session cookies and tokens it held (for the check)."""
    har = json.loads(path.read_text(encoding="utf-8"))
    cookies, tokens = _secrets_in(har)
    redactor.add(*cookies, *tokens)
    for entry in har["log"]["entries"]:
        request, response = entry["request"], entry["response"]
        request["url"] = scrub_text(request["url"], redactor)
        for part in (request, response):
            for header in part.get("headers", []):
                if header["name"].lower() in ("cookie", "set-cookie", "authorization"):
                    header["value"] = MASK
                else:
                    header["value"] = scrub_text(header["value"], redactor)
            part["cookies"] = [{**c, "value": MASK} for c in part.get("cookies", [])]
        request["queryString"] = [{**q, "value": scrub_text(q["value"], redactor)}
                                  for q in request.get("queryString", [])]
        post = request.pop("postData", None)
        if post is not None:
            # the values go; the field names stay, to tell what was sent (a replay matches POSTs by address)
            names = [k for k, _ in parse_qsl(post.get("text", ""), keep_blank_values=True)]
            request["_postDataMasked"] = "&".join(f"{k}={MASK}" for k in names)
        content = response.get("content", {})
        text = _body_text(content)
        if text is not None:
            content["text"] = scrub_text(text, redactor)
            content.pop("encoding", None)
        elif "text" in content:
            # binary bodies (PDFs may hold a name) are not kept, images excepted
            if not (content.get("mimeType") or "").startswith("image/"):
                content["text"], content["size"] = "", 0
                content.pop("encoding", None)
    path.write_text(json.dumps(har, ensure_ascii=False, indent=1), encoding="utf-8")
    return [*cookies]


def save_pages(folder: Path, hars: list[Path]) -> list[str]:
    """The (already scrubbed) HTML pages of the archives, one file each, in ``folder/pages``."""
    out = folder / "pages"
    out.mkdir(exist_ok=True)
    names = []
    for har_path in hars:
        har = json.loads(har_path.read_text(encoding="utf-8"))
        for entry in har["log"]["entries"]:
            content = entry["response"].get("content", {})
            if entry["response"].get("status") != 200 or not (content.get("mimeType") or "").startswith("text/html"):
                continue
            route = urlsplit(entry["request"]["url"]).path.rstrip("/").rsplit("/espace-citoyens/", 1)[-1] or "racine"
            name = f"{len(names) + 1:02d}-{har_path.stem}-{re.sub(r'[^A-Za-z0-9]+', '_', route).strip('_')}.html"
            (out / name).write_text(content.get("text", ""), encoding="utf-8")
            names.append(name)
    return names


def leaks(folder: Path, secrets: list[str]) -> list[str]:
    """Files of ``folder`` that still hold a secret (HAR bodies decoded from base64 included)."""
    probe = Redactor()
    probe.add(*secrets)
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        blobs = [data]
        if path.suffix == ".har":
            har = json.loads(data)
            blobs += [base64.b64decode(e["response"]["content"]["text"]) for e in har["log"]["entries"]
                      if e["response"].get("content", {}).get("encoding") == "base64"]
        if any(probe.found_in(blob) for blob in blobs):
            found.append(str(path.relative_to(folder)))
    return found


def _write_manifest(recording: Recording) -> None:
    manifest = {
        "base_url": recording.base_url,
        "enregistre_le": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "archives": recording.hars,
        "pages": recording.pages,
        "parcours": {name: {"resultat": r.outcome, "code": r.exit_code} for name, r in recording.reports.items()},
        "nettoyage": "mot de passe, identifiant, cookies, jetons anti-falsification, noms, courriels, montants",
    }
    (recording.folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


# -- replaying ----------------------------------------------------------------------------------
def replay(har: Path):
    """An ``on_context`` for :class:`assistant.runner.Runner`: serve ``har`` offline, abort the rest."""
    def route(context: "BrowserContext") -> None:
        context.route_from_har(har, not_found="abort")
    logger.debug("replaying {}", har)
    return route


def load_manifest(folder: Path) -> dict:
    """A recording's manifest (its base address, its archives)."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
