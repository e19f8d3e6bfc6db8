"""The flows are data: numbered like the help page, its French words verbatim, one writing step,
and each module docstring (the documented journey) equal to the steps' titles."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

import flows.adhesion
import flows.status
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.base import PortalPage
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.invoices import InvoicesPage
from assistant.pages.recap import RecapPage
from assistant.steps import Flow, Step, chain_breaks

HELP_PAGE = {
    1: "Dans votre espace famille personnel, allez dans « Mes factures »",
    2: "Cliquez sur « Adhésion à la facture/compte en ligne »",
    3: "Puis sur « MODIFIER »",
    4: "Activez le « OUI » à la question « Souhaitez-vous adhérer à la facture en ligne ? »",
    5: "Pour valider, cliquez sur « Aller à l’étape 2 »",
    6: "Une page de confirmation s’ouvre, cliquez sur « VALIDER » en vert",
}
MODULES = [flows.adhesion, flows.status]


def documented(module) -> dict[int, str]:
    return {int(n): text.strip() for n, text in re.findall(r"^(\d+)\. (.+)$", module.__doc__, re.MULTILINE)}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_is_the_steps(module):
    flow: Flow = module.FLOW
    assert documented(module) == {s.number: s.title for s in (flow.login, *flow.steps)}


def test_adhesion_has_the_six_steps_of_the_help_page():
    flow = flows.adhesion.FLOW
    assert [s.number for s in flow.steps] == [1, 2, 3, 4, 5, 6]
    assert {s.number: s.title for s in flow.steps} == HELP_PAGE
    assert flow.login.number == 0 and flow.login.title == "Connexion à l’espace famille"


def test_only_validate_writes():
    assert [s.number for s in flows.adhesion.FLOW.steps if s.writes] == [6]
    assert not flows.adhesion.FLOW.login.writes
    assert not any(s.writes for s in flows.status.FLOW.steps)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_step_is_a_page_method_leading_where_the_next_one_starts(module):
    flow: Flow = module.FLOW
    assert flow.login.starts_on is HomePage and flow.login.ends_on is DashboardPage
    for step in (flow.login, *flow.steps):
        assert issubclass(step.ends_on, PortalPage) and step.ends_on.TITLE
        assert step.act.__qualname__.split(".")[0] == step.starts_on.__name__
    assert chain_breaks(flow) == []


def test_the_six_steps_name_the_click_of_the_help_page():
    acts = [step.act for step in flows.adhesion.FLOW.steps]
    assert acts == [DashboardPage.open_invoices, InvoicesPage.open_adhesion, AdhesionPage.modify,
                    AdhesionFormPage.choose_yes, AdhesionFormPage.go_to_step_2, RecapPage.validate]
    assert flows.adhesion.FLOW.steps[-1].ends_on is ConfirmationPage


def test_a_step_that_is_not_a_page_method_is_refused_when_declared():
    with pytest.raises(TypeError, match="not a method of a page class"):
        Step(1, "x", lambda page: page)
    with pytest.raises(TypeError, match="annotated to return a page class"):
        Step(1, "x", InvoicesPage.personal_data)


def test_a_broken_chain_is_told():
    broken = replace(flows.adhesion.FLOW, steps=flows.adhesion.FLOW.steps[1:])
    assert chain_breaks(broken) == ["step 2 starts on InvoicesPage, step 0 leads to DashboardPage"]


def test_status_is_the_first_two_steps_of_adhesion():
    assert [(s.number, s.title) for s in flows.status.FLOW.steps] == [
        (s.number, s.title) for s in flows.adhesion.FLOW.steps[:2]]
    assert flows.status.FLOW.name == "statut"
