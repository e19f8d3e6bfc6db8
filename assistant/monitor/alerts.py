"""Alerts through Apprise (e-mail, webhooks, chat tools), decided once per run and never twice.

Per tenant, a small state machine kept in the history (so that restarts and a second monitor on
the same file agree): ``up`` → ``down`` when the last N runs all failed (one alert « panne »);
``down`` → ``up`` on the first run that goes through (one alert « rétabli »). A tenant whose last
runs changed state at least F times is ``flapping``: one alert « instable », then silence until
its last S runs agree again (then one « rétabli » or « panne »). The decision is taken in the
same transaction as the run is written (:meth:`History.record`), the message sent after it.

Messages are French and carry the tenant, the class, the step and the runner's scrubbed message:
never a password, a cookie or a family's data.
"""

from __future__ import annotations

from dataclasses import dataclass

import apprise
from loguru import logger

from ..errors import ConfigError
from .drift import CLASS_FR, Verdict
from .history import AlertRow
from .tenants import Tenant

UP, DOWN, FLAPPING = "up", "down", "flapping"


@dataclass(frozen=True)
class AlertPolicy:
    """N failures in a row make an outage; F changes within the last W runs make a flapping tenant,
    which is stable again once its last S runs agree."""

    after: int = 2
    flap_window: int = 12
    flap_changes: int = 6
    stable_runs: int = 5

    def decide(self, state: str | None, oks: list[bool]) -> tuple[str, str | None]:
        """The new state and the kind of alert to send (``down``, ``up``, ``flapping``) or None."""
        state = state or UP
        if not oks:
            return state, None
        window = oks[-self.flap_window:]
        changes = sum(a != b for a, b in zip(window, window[1:]))
        last = oks[-1]
        if state == FLAPPING:
            tail = oks[-self.stable_runs:]
            if len(tail) < self.stable_runs or len(set(tail)) > 1:
                return FLAPPING, None
            return (UP, UP) if last else (DOWN, DOWN)
        if changes >= self.flap_changes:
            return FLAPPING, FLAPPING
        if state == UP and len(oks) >= self.after and not any(oks[-self.after:]):
            return DOWN, DOWN
        if state == DOWN and last:
            return UP, UP
        return state, None


def message(kind: str, tenant: Tenant, verdict: Verdict, *, report: str | None, policy: AlertPolicy) -> tuple[str, str]:
    """(title, body) in French for one alert."""
    where = f"{tenant.name} ({tenant.base_url})"
    step = f"étape {verdict.step}" if verdict.step is not None else "parcours"
    if kind == DOWN:
        title = f"[Espace Citoyens] {tenant.name} : {CLASS_FR[verdict.klass]}"
        body = (f"Le portail de {where} échoue depuis {policy.after} répétition(s) de suite.\n"
                f"Classe : {CLASS_FR[verdict.klass]} ({verdict.klass}), {step}"
                f"{f', contrôle « {verdict.control} »' if verdict.control else ''}.\n{verdict.message}")
    elif kind == UP:
        title = f"[Espace Citoyens] {tenant.name} : rétabli"
        body = f"Le parcours de {where} fonctionne de nouveau.\n{verdict.message}"
    else:
        title = f"[Espace Citoyens] {tenant.name} : instable"
        body = (f"Le portail de {where} alterne entre succès et échecs ({policy.flap_changes} changements ou plus "
                f"sur les {policy.flap_window} dernières répétitions). Plus d’alerte pour cette commune tant que les "
                f"{policy.stable_runs} dernières répétitions ne concordent pas.\nDernier résultat : "
                f"{CLASS_FR[verdict.klass]} — {verdict.message}")
    if report:
        body += f"\nRapport : {report}"
    return title, body


class Notifier:
    """Sends alerts to Apprise URLs; an URL Apprise does not know is a French error before any run."""

    def __init__(self, urls: list[str]):
        self.urls = list(urls)
        self.apprise = apprise.Apprise()
        for url in self.urls:
            if not self.apprise.add(url):
                scheme = url.split("://", 1)[0] if "://" in url else url[:12]
                raise ConfigError(f"Adresse d’alerte non reconnue par Apprise (schéma « {scheme} ») : voir "
                                  "https://github.com/caronc/apprise/wiki pour les formats.", key="--alert")

    def send(self, alert: AlertRow) -> bool:
        """Send to every URL; True when all took it (a failure is logged, never raised)."""
        if not self.urls:
            return True
        ok = bool(self.apprise.notify(title=alert.title, body=alert.body))
        if not ok:
            logger.warning("alert for {} ({}) could not be delivered to every URL", alert.tenant, alert.kind)
        return ok
