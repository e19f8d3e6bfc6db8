"""Fixtures for the replica's tests: in-process replicas (shared read-only, or fresh per test)."""

from __future__ import annotations

from typing import Iterator

import pytest

from assistant.replica import Replica, ReplicaConfig


@pytest.fixture(scope="module")
def shared() -> Iterator[Replica]:
    """A read-mostly replica shared by a module's tests (do not change accounts through it)."""
    with Replica(ReplicaConfig()) as rep:
        yield rep


@pytest.fixture
def replica(tmp_path) -> Iterator[Replica]:
    """A fresh replica (own state, outbox and audit file) for tests that change things."""
    with Replica(ReplicaConfig(outbox_dir=tmp_path / "outbox", audit_path=tmp_path / "audit.jsonl")) as rep:
        yield rep


@pytest.fixture
def make_replica(tmp_path):
    """Start replicas with a custom config; all are stopped at the end of the test."""
    started: list[Replica] = []

    def make(**kw) -> Replica:
        kw.setdefault("outbox_dir", tmp_path / "outbox")
        rep = Replica(ReplicaConfig(**kw)).start()
        started.append(rep)
        return rep

    yield make
    for rep in started:
        rep.stop()
