"""What the generated tests share: the draw of compositions, one journey played on the worker's replica,
and the replica's TRUE state of a family (read from its data, never from markup) to judge the answer."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from hypothesis import note
from hypothesis import strategies as st

from assistant.replica import Composition, Faults, Mutation, Replica
from assistant.invoices.statuses import DIRECT_DEBIT, PAID, PARTLY_PAID, TO_PAY, UNPAID
from assistant.replica.formats import meaning, remaining
from assistant.replica.renderings import NORMAL
from assistant.results import RunReport
from assistant.runner import Runner
from assistant.steps import Flow
from support import replica_settings

#: the families a read-only journey is drawn for (famille.moreau's 150 invoices would cost a minute each)
READ_FAMILIES = ("famille.martin", "famille.bernard", "famille.petit", "famille.leroy", "famille.garcia")
#: the families that can adhere (NON): the adhesion and its rehearsal
ADHERING = ("famille.martin", "famille.leroy")
STATE_OUTCOME = {"NON": "not_adhered", "OUI": "already_done", "EN_ATTENTE": "pending"}
#: the seed's words a drift can take away or double (« Mes factures » has a public route to fall back on)
SEED_CONTROLS = ("Adhésion à la facture/compte en ligne", "MODIFIER", "Aller à l’étape 2", "VALIDER")
_FLAGS = {"remove": "--retirer", "rename": "--renommer", "duplicate": "--dupliquer"}


def compositions() -> st.SearchStrategy[Composition]:
    """A composition of normal renderings, each aspect drawn on its own among all of them (shrinking towards
    today's markup)."""
    drawn = st.fixed_dictionaries({a: st.sampled_from(values) for a, values in NORMAL.items()})
    return drawn.map(lambda chosen: Composition(**chosen))


def families(among: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(among)


def replay(comp: Composition, base: Composition | None = None, mutations: tuple[Mutation, ...] = ()) -> str:
    """The command that serves this example's portal again (``base``: the numbered composition a must-stop
    rendering was added to)."""
    base = base or comp
    parts = [f"assistant replica --composition {base.seed}"]
    parts += [f"--aspect {a}={v}" for a, v in comp.stops().items()]
    parts += [f"{_FLAGS[m.kind]} '{m.target}" + (f"={m.replacement}'" if m.kind == "rename" else "'") for m in mutations]
    return " ".join(parts)


@dataclass
class Played:
    """One journey on one composition: the report, the URLs the browser asked for, how long it took."""

    report: RunReport
    requests: list[str] = field(default_factory=list)
    seconds: float = 0.0


def play(rep: Replica, new_context, comp: Composition, flow: Flow, username: str, *, rehearse: bool = False,
         mutations: tuple[Mutation, ...] = (), base: Composition | None = None, tell=note) -> Played:
    """Serve ``comp`` from the seed's data and run ``flow`` for ``username`` through the runner, in a
    fresh context; the replay line is told first (Hypothesis's ``note`` prints it with a failing example)."""
    tell(f"replay: {replay(comp, base, mutations)}  (famille {username})")
    rep.reset()
    rep.set_skin(comp)
    rep.set_faults(Faults(mutations=tuple(mutations)))
    ctx = new_context()
    seen: list[str] = []
    ctx.on("request", lambda r: seen.append(r.url))
    folder = tempfile.mkdtemp(prefix="generated-report-")
    evidence = os.environ.get("GENERATED_EVIDENCE") == "1"
    settings = replica_settings(rep, username, report_dir=folder, screenshots=evidence, trace=False)
    started = time.monotonic()
    try:
        report = Runner(settings).run(flow, rehearse=rehearse, context=ctx)
    finally:
        ctx.close()
    played = Played(report, seen, time.monotonic() - started)
    tell(f"outcome {report.outcome}: {report.message}  ({played.seconds:.1f} s, rapport {folder})")
    return played


def with_stop(comp: Composition, aspect: str, rendering: str) -> Composition:
    return replace(comp, **{aspect: rendering})


# -- the replica's truth ---------------------------------------------------------------------------
def writes(rep: Replica) -> list:
    """Every accepted change of the portal's state but the log-off."""
    return [e for e in rep.audit if e.changed and "logoff" not in e.detail]


def validations(rep: Replica) -> list:
    """The accepted « VALIDER » of the adhesion (a repeat is audited as ignored)."""
    return [e for e in rep.audit if e.accepted and " request " in e.detail and e.detail.startswith("wizard ")]


def never_accepted_tracking(rep: Replica) -> bool:
    return "accepted" not in rep.consents


def true_invoices(rep: Replica, username: str) -> list[dict]:
    return rep.account(username)["invoices"]


#: what an invoice's status means in the replica's data and composition -> the assistant's status
#: (assistant/invoices/statuses.py: « prélèvement en cours » is neither to pay by the family nor paid)
STATUS_OF = {"paid": PAID, "partly_paid": PARTLY_PAID, "to_pay": UNPAID, "direct_debit": DIRECT_DEBIT}


def true_statuses(rep: Replica, username: str, comp: Composition) -> dict[str, str]:
    """Each invoice's number -> the status the family's data gives it on a portal speaking ``comp``'s words
    (a vocabulary of direct debit: what is not paid yet is being debited)."""
    return {inv["number"]: STATUS_OF[meaning(inv, comp.status_words)] for inv in true_invoices(rep, username)}


def true_unpaid_total(rep: Replica, username: str, comp: Composition) -> Decimal:
    """What the family still has to pay itself: the rest of every invoice to pay (none being debited)."""
    return sum((remaining(inv) for inv in true_invoices(rep, username)
                if STATUS_OF[meaning(inv, comp.status_words)] in TO_PAY), Decimal("0"))
