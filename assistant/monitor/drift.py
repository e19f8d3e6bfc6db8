"""What a rehearsal says about the portal: one class, a French sentence, and the differences.

Classes, from the typed outcomes first (:mod:`assistant.errors`), then from the fingerprints:

| class | when |
|---|---|
| ``ok`` | the rehearsal went through and every page matches its baseline |
| ``cosmetic`` | it went through, but a page's text, structure or login generation differs from the baseline |
| ``breaking`` | a documented page or control is gone or renamed (:class:`PortalChanged`), or a state no longer reads (:class:`Unreadable`) |
| ``outage`` | the portal did not serve the journey: unreachable, HTTP 5xx, maintenance, session lost, time-out |
| ``access`` | the test account is refused (wrong password, password change, SSO/captcha, pending request) |
| ``interrupted`` | SIGINT or SIGTERM stopped the monitor during the rehearsal: nothing said of the portal |

A time-out is told apart from a missing control by what the browser was doing when the step
failed: a page load still waiting for the portal's answer, or answered later than an action may
wait, is an outage; so is a « missing » control listed under its own words among the nearest
controls on the page (it was there, just not ready in time: a loaded machine). A page that
loaded in time without the control is a change. An outage compares no page with its baseline:
what the browser showed instead (Chromium's own error page, the portal's error page) is no drift.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..labels import label
from .fingerprint import Difference, PageFingerprint, compare
from .rehearsal import Rehearsal

OK, COSMETIC, BREAKING, OUTAGE, ACCESS = "ok", "cosmetic", "breaking", "outage", "access"
INTERRUPTED = "interrupted"
CLASSES = (OK, COSMETIC, BREAKING, OUTAGE, ACCESS, INTERRUPTED)
FAILING = (BREAKING, OUTAGE, ACCESS)
#: exit code of ``assistant surveiller`` by class; several tenants: the most severe (order of SEVERITY);
#: a monitor stopped by a signal exits 130 / 143 whatever the classes (:mod:`assistant.interrupts`)
EXIT_CODES = {OK: 0, COSMETIC: 0, INTERRUPTED: 130, ACCESS: 1, OUTAGE: 3, BREAKING: 4}
SEVERITY = (OK, COSMETIC, INTERRUPTED, ACCESS, OUTAGE, BREAKING)
CLASS_FR = {OK: "nominal", COSMETIC: "changement cosmétique", BREAKING: "changement cassant",
            OUTAGE: "indisponibilité", ACCESS: "accès refusé", INTERRUPTED: "interrompue"}

OUTCOME_CLASS = {
    "rehearsed": OK,
    "portal_changed": BREAKING,
    "unreadable": BREAKING,  # the page came, its state no longer reads: its words or markup changed
    "portal_unavailable": OUTAGE,
    "session_expired": OUTAGE,
    "browser_server_unreachable": OUTAGE,
    "config_error": OUTAGE,  # the browser died during the run: the run says nothing about the portal's pages
    "login_rejected": ACCESS,
    "password_change_required": ACCESS,
    "needs_human": ACCESS,
    "portal_refused": ACCESS,
    "pending": ACCESS,
}
LOGIN_FR = {"classic": "formulaire classique", "modal": "« Mon espace perso » (modale)"}


@dataclass
class Verdict:
    """The class of one rehearsal and what supports it."""

    klass: str
    message: str
    step: int | None = None
    page: str | None = None
    control: str | None = None
    differences: list[Difference] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.klass in FAILING

    def key(self) -> str:
        """Same key, same incident: a journal entry is written when the key changes."""
        after = "|".join(f"{d.step}:{hashlib.sha256(d.after.encode('utf-8')).hexdigest()[:12]}"
                         for d in self.differences)
        return f"{self.klass}|{self.step}|{self.control}|{after}"


def classify(run: Rehearsal, baseline: dict[int, PageFingerprint] | None) -> Verdict:
    """The verdict of ``run`` against ``baseline`` (None: no baseline yet, outcomes only)."""
    report = run.report
    if report is None:
        return Verdict(OUTAGE, "La répétition n’a pas pu être jouée.")
    failed = next((s for s in report.steps if s.status == "failed"), None)
    if report.outcome == "interrupted":  # the operator's, not the portal's: no class of the portal, no drift
        return Verdict(INTERRUPTED, report.message, step=failed.number if failed else _last_step(report))
    klass = OUTCOME_CLASS.get(report.outcome, BREAKING if report.exit_code == 4 else OUTAGE)
    if klass == BREAKING and run.pending_documents:
        # the page never came: the portal is slow, not changed
        klass = OUTAGE
        message = (f"Délai dépassé : le portail n’a pas répondu à temps ({', '.join(run.pending_documents[:2])}). "
                   f"{report.message}")
    elif klass == BREAKING and failed is not None and _still_there(failed):
        # the « missing » control is among the nearest ones found on the page, under its own name:
        # nothing was renamed, the page was not ready in time (a loaded browser or a slow script)
        klass = OUTAGE
        message = (f"Délai dépassé : « {failed.control} » est bien sur la page mais n’a pas répondu à temps. "
                   f"{report.message}")
    else:
        message = report.message
    if klass != OK:
        step = failed.number if failed else _last_step(report)
        differences = []
        if step is not None and klass != OUTAGE:  # the page of an outage is not the portal's journey
            before = (baseline or {}).get(step)
            after = run.pages.get(step)
            if before is not None or after is not None:
                diff = compare(before, after, step=step)
                if diff is not None:
                    differences.append(diff)
        return Verdict(klass, message, step=step, page=failed.page if failed else None,
                       control=failed.control if failed else None, differences=differences)
    differences = []
    if run.login_seen and run.login_seen != run.tenant.login:
        differences.append(Difference(0, "Connexion", f"connexion : {LOGIN_FR[run.login_seen]} au lieu de "
                                      f"{LOGIN_FR[run.tenant.login]}", LOGIN_FR[run.tenant.login],
                                      LOGIN_FR[run.login_seen]))
    if baseline is not None:
        for step in sorted(set(baseline) | set(run.pages)):
            diff = compare(baseline.get(step), run.pages.get(step), step=step)
            if diff is not None:
                differences.append(diff)
    if differences:
        pages = ", ".join(f"étape {d.step}" for d in differences)
        return Verdict(COSMETIC, f"Le parcours fonctionne, mais le portail a changé ({pages}) : "
                       + differences[0].summary + ".", differences=differences)
    return Verdict(OK, report.message)


_QUOTED = re.compile(r"«\s*(.+?)\s*»")


def _still_there(step) -> bool:
    """Whether the failed step's control is listed, under its own words, among the page's nearest controls."""
    if not step.control:
        return False
    wanted = label(step.control)
    return any(wanted.search(name) for candidate in step.candidates for name in _QUOTED.findall(candidate))


def _last_step(report) -> int | None:
    played = [s.number for s in report.steps if s.status != "skipped"]
    return played[-1] if played else None


def worst(classes: list[str]) -> str:
    """The most severe class of several tenants' (``ok`` for none)."""
    return max(classes, key=SEVERITY.index, default=OK)
