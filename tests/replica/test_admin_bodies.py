"""The replica's admin endpoints validate their JSON bodies: anything else than what they take is a
400 with a French ``error`` (never a 500), the faults and skin served stay as they were, and a
number out of bounds (a latency of 10²⁰ ms) is refused before it can break every request."""

from __future__ import annotations

import json
import re

import pytest

from assistant.replica import Faults
from assistant.replica.faults import MAX_LATENCY_MS, Mutation
from replica_helpers import HttpClient

SKIN_BODIES = [
    b'{"name": {"a": 1}}',                      # a dict where a string belongs
    b'{"radios": ["aria_radiogroup"]}',
    b'{"name": "bootstrap", "wait": 3}',
    b'{"rococo": "oui"}',                        # no such aspect
    b'["bootstrap"]',
    b"42",
    b"{pas du json",
    b'"\xff\xfe"',                               # not UTF-8
    b'{"composition": -1}',                      # composition numbers start at 0
    b'{"composition": "12"}',
    b'{"composition": 1e400}',
]

FAULT_BODIES = [
    b'{"latency_ms": {"MonCompte": 100000000000000000000}}',   # accepted before, then every request failed
    b'{"latency_ms": {"MonCompte": 1.5}}',
    b'{"latency_ms": {"MonCompte": "300"}}',
    b'{"error_500": [["MonCompte"]]}',          # unhashable before: a 500
    b'{"error_500": [{"route": "x"}]}',
    b'{"expire_after_requests": 100000000000000000000}',
    b'{"wait_modal_ms": -1}',
    b'{"maintenance": "oui"}',
    b'{"mutations": [{"kind": ["rename"], "target": "x"}]}',
    b'{"mutations": [{"kind": "rename", "target": {"x": 1}}]}',
    b'{"mutations": "rename"}',
    b'{"inconnue": 1}',
    b"[]",
    b"{pas du json",
]


ENGLISH = ("expected", "must be", "unknown", "invalid", "Expecting", "codec", "object", "property")


def french(error: str) -> bool:
    """No English word of Python's or json's messages (as whole words: « invalide » is French)."""
    return not any(re.search(rf"\b{word}\b", error) for word in ENGLISH)


@pytest.mark.parametrize("body", SKIN_BODIES)
def test_a_bad_skin_body_is_a_400_in_french_and_changes_nothing(replica, body):
    http = HttpClient(replica)
    before = replica.skin
    answer = http.admin("skin", body)
    assert answer.status == 400
    error = json.loads(answer.text)["error"]
    assert error and french(error), error
    assert replica.skin == before
    assert HttpClient(replica).get("Home/AccueilPublic").status == 200


@pytest.mark.parametrize("body", FAULT_BODIES)
def test_a_bad_faults_body_is_a_400_in_french_and_changes_nothing(replica, body):
    http = HttpClient(replica)
    before = replica.faults
    answer = http.admin("faults", body)
    assert answer.status == 400
    error = json.loads(answer.text)["error"]
    assert error and french(error), error
    assert replica.faults == before
    assert HttpClient(replica).get("Home/AccueilPublic").status == 200


def test_good_bodies_still_change_the_replica(replica):
    http = HttpClient(replica)
    assert http.admin("faults", b'{"latency_ms": {"MonCompte": 600000}, "error_500": ["x"]}').status == 200
    assert replica.faults.latency_ms == {"MonCompte": MAX_LATENCY_MS}
    assert http.admin("skin", b'{"name": "bootstrap", "wait": "instant"}').status == 200
    assert replica.skin.wait == "instant"


@pytest.mark.parametrize("kwargs", [{"latency_ms": {"*": 10 ** 20}}, {"wait_modal_ms": 10 ** 20},
                                    {"expire_after_requests": 10 ** 20}])
def test_faults_out_of_bounds_are_refused_in_python_too(kwargs):
    with pytest.raises(ValueError, match="attendu un entier entre"):
        Faults(**kwargs)


def test_a_mutation_of_the_wrong_kind_is_refused_in_french():
    with pytest.raises(ValueError, match="kind d’une dérive"):
        Mutation(["rename"], "x")  # type: ignore[arg-type]
