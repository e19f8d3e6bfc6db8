"""The replica's portal state: accounts (per account, shared by sessions), sessions, wizards, audit.

Everything mutable sits behind one lock. Nothing here knows HTTP; the Flask views (web/) call in.
Accounts change only inside :meth:`PortalState.changing`, which also keeps them in the state folder
when the replica has one (store.py); sessions, wizards and the audit stay in memory.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from .formats import french_amount, french_date  # noqa: F401  (kept importable from here)
from .store import VERSION, CorruptState, StateFile, fingerprint

ADHESION_VALUES = ("NON", "OUI", "EN_ATTENTE")
REQUEST_LABEL = "Adhésion à la facture en ligne"
STATUS_ACCEPTED = "Acceptée"
STATUS_PENDING = "En cours de traitement"
_UNREAD = object()  # no version of the state file read yet


@dataclass(frozen=True)
class AuditEntry:
    """One state-changing request (every POST and LogOff), accepted or not."""

    time: str
    account: str | None
    method: str
    route: str
    accepted: bool
    changed: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Wizard:
    """One run of the adhesion démarche, owned by the session that opened it."""

    id: str
    username: str
    answer: str | None = None
    request_number: str | None = None


@dataclass
class Session:
    id: str
    username: str
    last_seen: float
    requests: int = 0
    wizards: dict[str, Wizard] = field(default_factory=dict)
    notice_due: bool = True  # the composition's dialog after the login is still to show
    flash: str | None = None  # a message for the next page (a confirmation without its own page)


def _synthetic_invoices(account: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """Deterministic invoices for big synthetic families (their PDFs are generated on the fly)."""
    members = [f"{m['prenom']} {m['nom']}" for m in account.get("members", [])] or [account["nom"]]
    start = date(2021, 1, 31)
    out = []
    for i in range(count):
        issued = start + timedelta(days=30 * i)
        cents = 350 + (i * 1373) % 24000
        out.append({
            "IdFactureUnique": str(900000 + i),
            "number": str(700000 + i),
            "label": f"Accueil de loisirs - période {i + 1}",
            "issued": issued.isoformat(),
            "amount": f"{cents // 100}.{cents % 100:02d}",
            "due": (issued + timedelta(days=30)).isoformat(),
            "paid": i < count - 3,
            "member": members[i % len(members)],
        })
    return out


def load_data(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _account(raw: dict[str, Any]) -> dict[str, Any]:
    acc = copy.deepcopy(raw)
    if acc.get("adhesion") not in ADHESION_VALUES:
        raise ValueError(f"account {acc.get('username')!r}: adhesion must be one of {ADHESION_VALUES}")
    acc.setdefault("invoices", [])
    acc.setdefault("requests", [])
    acc.setdefault("must_change_password", False)
    return acc


def _from_seed(data: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], int]:
    """(accounts by lower-case username, next request number) of a seed (fixtures/accounts.json)."""
    accounts = {}
    for raw in data.get("accounts", []):
        acc = _account(raw)
        if acc.get("generate_invoices"):
            acc["invoices"] = acc["invoices"] + _synthetic_invoices(acc, int(acc["generate_invoices"]))
        accounts[acc["username"].lower()] = acc
    return accounts, int(data.get("next_request_number", 1))


def _from_snapshot(snapshot: dict[str, Any], folder: Path) -> tuple[dict[str, dict[str, Any]], int]:
    """The same out of a state file (its synthetic invoices already there); CorruptState otherwise."""
    try:
        accounts = {}
        for raw in snapshot["accounts"]:
            acc = _account(raw)
            if not (isinstance(acc["username"], str) and isinstance(acc["password"], str)
                    and isinstance(acc["invoices"], list) and isinstance(acc["requests"], list)):
                raise TypeError(acc["username"])
            accounts[acc["username"].lower()] = acc
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CorruptState(folder, "comptes incomplets") from None
    return accounts, snapshot["next_request_number"]


class PortalState:
    """Accounts, sessions, wizards and the audit log of one replica run (thread-safe).

    ``state_dir`` keeps the accounts in that folder between runs (store.py); None: in memory only.
    """

    def __init__(self, data: dict[str, Any], session_timeout_s: float, audit_path: Path | None = None,
                 state_dir: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.session_timeout_s = session_timeout_s
        self.audit_path = audit_path
        self.audit: list[AuditEntry] = []
        self.duplicate_validations = 0
        self._secret = secrets.token_bytes(32)
        self._sessions: dict[str, Session] = {}
        self._wizard_seq = 1000
        self._seed = data
        self._seed_id = fingerprint(data)
        self._accounts, self._request_seq = _from_seed(data)
        # the default demo family: the seed's first one to adhere, whatever the state says since
        self.default_username = next((u for u, a in self._accounts.items()
                                      if a["adhesion"] == "NON" and not a["must_change_password"]), None)
        self._store = StateFile(state_dir) if state_dir is not None else None
        self._seen: object = _UNREAD  # the signature of the state file last read (None: there was none)
        self._sync()

    @property
    def accounts(self) -> dict[str, dict[str, Any]]:
        """The accounts as they are now (read them under ``lock``; change them in :meth:`changing`)."""
        with self.lock:
            self._sync()
            return self._accounts

    def _sync(self) -> None:
        """Read the state file again if it changed on disk (no file: the seed's data)."""
        if self._store is None:
            return
        with self.lock:
            seen = self._store.signature()
            if seen == self._seen:
                return
            snapshot = self._store.read()
            kept = snapshot and _from_snapshot(snapshot, self._store.folder)  # CorruptState first, seed or not
            if not kept or snapshot["seed"] != self._seed_id:
                kept = _from_seed(self._seed)
            self._accounts, self._request_seq = kept
            self._seen = seen

    @contextmanager
    def changing(self) -> Iterator[dict[str, dict[str, Any]]]:
        """The accounts to change in the block; with a state folder: under its lock, read again
        first, written back after (nothing written if the block raises)."""
        with self.lock:
            if self._store is None:
                yield self._accounts
                return
            with self._store.lock:
                self._seen = _UNREAD  # always read again under the lock
                self._sync()
                try:
                    yield self._accounts
                    self._store.write({"version": VERSION, "seed": self._seed_id,
                                       "next_request_number": self._request_seq, "accounts": list(self._accounts.values())})
                finally:
                    self._seen = _UNREAD  # a failed change is in memory only: read the file again next time

    def reset(self) -> None:
        """Back to the seed's data (in memory, and in the state folder if any): no session, empty audit."""
        with self.changing():
            self._accounts, self._request_seq = _from_seed(self._seed)
            self._sessions.clear()
            self.audit.clear()
            self.duplicate_validations = 0

    # -- accounts -------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> dict[str, Any] | None:
        with self.lock:
            acc = self.accounts.get(username.strip().lower())
            if acc is None or not hmac.compare_digest(acc["password"].encode(), password.encode()):
                return None
            return acc

    def account(self, username: str) -> dict[str, Any]:
        """A deep copy of the account's current state (no password)."""
        with self.lock:
            acc = self.accounts[username.lower()]
            public = {k: v for k, v in acc.items() if k != "password"}
            return copy.deepcopy(public)

    def invoice(self, username: str, invoice_id: str) -> dict[str, Any] | None:
        with self.lock:
            for inv in self.accounts[username.lower()]["invoices"]:
                if inv["IdFactureUnique"] == invoice_id:
                    return dict(inv)
            return None

    def change_password(self, username: str, new_password: str) -> None:
        with self.changing() as accounts:
            acc = accounts[username.lower()]
            acc["password"] = new_password
            acc["must_change_password"] = False

    # -- sessions -------------------------------------------------------------------------
    def open_session(self, username: str) -> Session:
        with self.lock:
            sess = Session(id=secrets.token_hex(12), username=username.lower(), last_seen=time.monotonic())
            self._sessions[sess.id] = sess
            return sess

    def touch_session(self, sid: str | None, expire_after: int | None, count: bool = True) -> Session | None:
        """The live session for cookie ``sid``, after counting this request; None if absent/expired."""
        if not sid:
            return None
        with self.lock:
            sess = self._sessions.get(sid)
            if sess is None:
                return None
            now = time.monotonic()
            if now - sess.last_seen > self.session_timeout_s:
                del self._sessions[sid]
                return None
            if count:
                sess.requests += 1
                if expire_after is not None and sess.requests > expire_after:
                    del self._sessions[sid]
                    return None
            sess.last_seen = now
            return sess

    def close_session(self, sid: str | None) -> Session | None:
        with self.lock:
            return self._sessions.pop(sid, None) if sid else None

    # -- anti-forgery (ASP.NET-style cookie token + form token pair) ----------------------
    def form_token(self, cookie_token: str, username: str | None) -> str:
        nonce = secrets.token_urlsafe(12)
        mac = hmac.new(self._secret, f"{cookie_token}|{username or ''}|{nonce}".encode(), hashlib.sha256)
        return f"{nonce}.{mac.hexdigest()[:40]}"

    def check_token(self, cookie_token: str | None, form_token: str | None, username: str | None) -> bool:
        if not cookie_token or not form_token or "." not in form_token:
            return False
        nonce, _, mac = form_token.partition(".")
        good = hmac.new(self._secret, f"{cookie_token}|{username or ''}|{nonce}".encode(), hashlib.sha256)
        return hmac.compare_digest(good.hexdigest()[:40], mac)

    # -- adhesion wizard ------------------------------------------------------------------
    def open_wizard(self, sess: Session) -> Wizard:
        with self.lock:
            self._wizard_seq += 1
            wiz = Wizard(id=str(self._wizard_seq), username=sess.username)
            sess.wizards[wiz.id] = wiz
            return wiz

    def validate_wizard(self, wiz: Wizard) -> tuple[dict[str, Any], bool]:
        """Apply VALIDER once: (the request, True if applied now / False if a repeat)."""
        with self.changing() as accounts:
            acc = accounts[wiz.username]
            if wiz.request_number is not None:
                self.duplicate_validations += 1
                return next(r for r in acc["requests"] if r["number"] == wiz.request_number), False
            now = datetime.now()
            number = f"{now.year}-{self._request_seq:06d}"
            self._request_seq += 1
            request = {
                "number": number,
                "label": REQUEST_LABEL,
                "date": now.date().isoformat(),
                "status": STATUS_ACCEPTED,
                "answer": wiz.answer,
            }
            acc["requests"].append(request)
            acc["adhesion"] = wiz.answer
            wiz.request_number = number
            return dict(request), True

    # -- audit ----------------------------------------------------------------------------
    def record(self, account: str | None, method: str, route: str, accepted: bool, changed: bool,
               detail: str = "") -> AuditEntry:
        entry = AuditEntry(datetime.now().isoformat(timespec="milliseconds"), account, method, route,
                           accepted, changed, detail)
        with self.lock:
            self.audit.append(entry)
            if self.audit_path is not None:
                with self.audit_path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
        return entry
