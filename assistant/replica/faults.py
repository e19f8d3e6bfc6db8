"""Faults a replica run can inject: latency, HTTP 500 on a route, session expiry, maintenance,
and drift mutations (a portal changing between runs: a control renamed, removed or duplicated, a text changed).

Route patterns are relative to the tenant base (``MonCompte/DetailFacture``), matched
case-insensitively (like ASP.NET routing) with ``fnmatch`` wildcards (``Demande/*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from ..frenchargs import bounded

#: bounds of the numbers a fault takes (a wait the server can make, a count it can keep)
MAX_LATENCY_MS = 600_000
MAX_WAIT_MS = 600_000
MAX_EXPIRE_AFTER = 1_000_000


def _integer(value: Any, low: int, high: int, what: str) -> None:
    """A JSON number that must be an integer from ``low`` to ``high`` (French ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} : attendu un entier entre {low} et {high}")


def normalise_route(route: str) -> str:
    """Strip slashes and query, lowercase: the form routes and patterns are compared in."""
    return route.split("?", 1)[0].strip().strip("/").lower()


def route_matches(pattern: str, route: str) -> bool:
    """True if ``route`` (tenant-relative path) matches ``pattern`` (exact or wildcard)."""
    return fnmatchcase(normalise_route(route), normalise_route(pattern))


MUTATION_KINDS = ("rename", "remove", "replace_text", "duplicate")


@dataclass(frozen=True)
class Mutation:
    """One drift of the portal, applied to the HTML of the pages whose route matches ``route``.

    ``rename``: a visible control label ``target`` becomes ``replacement`` (MODIFIER -> CHANGER);
    ``remove``: the link/control labelled ``target`` disappears; ``replace_text``: the text
    ``target`` becomes ``replacement`` wherever it is shown; ``duplicate``: a second control of the
    same words and role sits beside the one labelled ``target``, leading elsewhere (``replacement``,
    default ``?doublon=1`` on the same page) and doing nothing else. Labels are compared like a person
    reads them (case, accents, spaces and apostrophes ignored), so a mutation works on every composition.
    """

    kind: str
    target: str
    replacement: str = ""
    route: str = "*"

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in MUTATION_KINDS:
            raise ValueError(f"kind d’une dérive : attendu {', '.join(MUTATION_KINDS)}")
        for name in ("target", "replacement", "route"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} d’une dérive : une chaîne de caractères est attendue")
        if not self.target.strip() or not self.route.strip():
            raise ValueError("une dérive demande un libellé (target) et une route")

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "target": self.target, "replacement": self.replacement, "route": self.route}

    @classmethod
    def from_json(cls, data: Any) -> "Mutation":
        if not isinstance(data, dict) or set(data) - {"kind", "target", "replacement", "route"}:
            raise ValueError("une dérive est un objet avec kind, target, replacement, route")
        return cls(**data)


@dataclass(frozen=True)
class Faults:
    """Faults of one run; immutable, replaced as a whole with ``Replica.set_faults``."""

    latency_ms: dict[str, int] = field(default_factory=dict)
    error_500: set[str] | frozenset[str] = field(default_factory=frozenset)
    expire_after_requests: int | None = None
    maintenance: bool = False
    wait_modal_ms: int | None = None
    mutations: tuple[Mutation, ...] = ()

    def __post_init__(self) -> None:
        for pattern, ms in self.latency_ms.items():
            if not isinstance(pattern, str) or not pattern.strip():
                raise ValueError("latency_ms : chaque route est une chaîne de caractères non vide")
            _integer(ms, 0, MAX_LATENCY_MS, f"latence de « {pattern} » (ms)")
        if any(not isinstance(r, str) for r in self.error_500):
            raise ValueError("error_500 : une liste de routes (chaînes de caractères) est attendue")
        if self.expire_after_requests is not None:
            _integer(self.expire_after_requests, 1, MAX_EXPIRE_AFTER, "expire_after_requests")
        if self.wait_modal_ms is not None:
            _integer(self.wait_modal_ms, 0, MAX_WAIT_MS, "wait_modal_ms")
        if not isinstance(self.maintenance, bool):
            raise ValueError("maintenance : true ou false est attendu")
        if any(not isinstance(m, Mutation) for m in self.mutations):
            raise ValueError("mutations : des objets Mutation sont attendus")
        object.__setattr__(self, "mutations", tuple(self.mutations))
        object.__setattr__(self, "latency_ms", dict(self.latency_ms))
        object.__setattr__(self, "error_500", frozenset(self.error_500))

    def latency_for(self, route: str) -> int:
        """Milliseconds to wait before answering ``route`` (the largest matching entry)."""
        return max((ms for p, ms in self.latency_ms.items() if route_matches(p, route)), default=0)

    def fails_500(self, route: str) -> bool:
        return any(route_matches(p, route) for p in self.error_500)

    def mutations_for(self, route: str) -> list[Mutation]:
        """The drift mutations that apply to the page at ``route``, in order."""
        return [m for m in self.mutations if route_matches(m.route, route)]

    def to_json(self) -> dict[str, Any]:
        return {
            "latency_ms": dict(self.latency_ms),
            "error_500": sorted(self.error_500),
            "expire_after_requests": self.expire_after_requests,
            "maintenance": self.maintenance,
            "wait_modal_ms": self.wait_modal_ms,
            "mutations": [m.to_json() for m in self.mutations],
        }

    @classmethod
    def from_json(cls, data: Any) -> "Faults":
        """Build from the admin endpoint's JSON; raises ValueError on anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("un objet JSON est attendu")
        unknown = set(data) - {"latency_ms", "error_500", "expire_after_requests", "maintenance", "wait_modal_ms", "mutations"}
        if unknown:
            raise ValueError(f"clés inconnues : {', '.join(sorted(unknown))}")
        latency = data.get("latency_ms") or {}
        errors = data.get("error_500") or []
        mutations = data.get("mutations") or []
        if not isinstance(latency, dict) or not isinstance(errors, list) or not isinstance(mutations, list):
            raise ValueError("latency_ms est un objet, error_500 et mutations des listes")
        if any(not isinstance(r, str) for r in errors):  # checked before the set: a list in it is unhashable
            raise ValueError("error_500 : une liste de routes (chaînes de caractères) est attendue")
        return cls(
            latency_ms=latency,
            error_500=set(errors),
            expire_after_requests=data.get("expire_after_requests"),
            maintenance=data.get("maintenance", False),
            wait_modal_ms=data.get("wait_modal_ms"),
            mutations=tuple(Mutation.from_json(m) for m in mutations),
        )


def parse_latency(spec: str) -> tuple[str, int]:
    """Parse a CLI ``ROUTE=MS`` item; raises ValueError with a French message."""
    route, sep, ms = spec.rpartition("=")
    if not sep or not route.strip() or not ms.strip().isdigit():
        raise ValueError(f"latence invalide « {spec} » : attendu ROUTE=MS, par exemple MonCompte=300")
    return route.strip(), int(bounded(ms, 0, MAX_LATENCY_MS, f"latence de « {route.strip()} » (ms)"))


def parse_mutation(kind: str, spec: str) -> Mutation:
    """Parse a CLI item: ``ANCIEN=NOUVEAU[@ROUTE]`` (rename, replace_text) or ``LIBELLÉ[@ROUTE]`` (remove,
    duplicate).

    Raises ValueError with a French message.
    """
    body, at, route = spec.rpartition("@")
    if not at:
        body, route = spec, "*"
    if kind in ("remove", "duplicate"):
        if not body.strip():
            what = "à retirer" if kind == "remove" else "à dupliquer"
            raise ValueError(f"libellé {what} invalide « {spec} » : attendu LIBELLÉ ou LIBELLÉ@ROUTE")
        return Mutation(kind, body.strip(), route=route.strip() or "*")
    old, sep, new = body.partition("=")
    if not sep or not old.strip():
        raise ValueError(f"changement invalide « {spec} » : attendu ANCIEN=NOUVEAU ou ANCIEN=NOUVEAU@ROUTE, "
                         "par exemple MODIFIER=CHANGER")
    return Mutation(kind, old.strip(), new.strip(), route=route.strip() or "*")
