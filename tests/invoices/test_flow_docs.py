"""The flows' docstrings are the journeys as people read them: kept equal to the steps."""

from __future__ import annotations

import re

import flows.invoices as invoices_flow
import flows.payment as payment_flow_module
from flows.invoices import InvoiceOptions, listing_flow
from flows.payment import payment_flow


def documented(section: str, module=invoices_flow) -> list[tuple[int, str]]:
    block = module.__doc__.split(section, 1)[1].split("\n\n", 2)[1]
    return [(int(m[1]), m[2]) for m in re.finditer(r"^(\d)\. (.+)$", block, re.M)]


def played(flow) -> list[tuple[int, str]]:
    return [(s.number, s.title) for s in (flow.login, *flow.steps)]


def test_consult_docstring_equals_its_steps(tmp_path):
    flow = listing_flow(InvoiceOptions(download_dir=tmp_path))
    assert documented("Consulter") == played(flow)
    assert all(not s.writes for s in flow.steps)


def test_consult_without_download_has_no_download_step():
    flow = listing_flow()
    assert [s.number for s in flow.steps] == [1, 2]


def test_payment_docstring_equals_its_steps():
    flow = payment_flow("1")
    assert documented("Payer (", payment_flow_module) == played(flow)
    assert all(not s.writes for s in flow.steps)  # the assistant itself never pays
