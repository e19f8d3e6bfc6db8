"""Every page of the journeys is recognised by the help page's words or public facts, never by a guess."""

from __future__ import annotations

import inspect

import pytest

from assistant.pages.base import PortalPage
from assistant.pages.table import COMPONENTS, PAGES

ALL = (*PAGES, *COMPONENTS)
INTERRUPTIONS = {"MaintenancePage", "ServerErrorPage", "PayfipPage"}  # told by their HTTP status or address


@pytest.mark.parametrize("page_class", ALL, ids=lambda c: c.__name__)
def test_proofs_come_from_the_seed_or_public_facts(page_class: type[PortalPage]):
    assert {clue.source for clue in page_class.PROOFS} <= {"seed", "seen"}
    assert {clue.source for clue in page_class.STATES + page_class.HINTS} <= {"guess"}


@pytest.mark.parametrize("page_class", PAGES, ids=lambda c: c.__name__)
def test_every_page_has_a_proof_or_a_public_address(page_class: type[PortalPage]):
    assert page_class.PROOFS or page_class.PATH is not None or page_class.__name__ in INTERRUPTIONS


@pytest.mark.parametrize("page_class", PAGES, ids=lambda c: c.__name__)
def test_no_page_requires_a_guessed_route(page_class: type[PortalPage]):
    # a wizard route, a password-change route... are guesses: only public routes are declared
    source = inspect.getsource(page_class)
    assert "Demande/" not in source and "ChangementMotDePasse" not in source
    if page_class.PATH is not None:
        assert "[seen]" in inspect.getsource(inspect.getmodule(page_class))
