"""The one table of pages: which page the browser shows, on several skins; the package's shape."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from support import replica_settings
from playwright.sync_api import Page

from assistant.errors import PortalChanged, PortalUnavailable
from assistant.pages.adhesion import AdhesionPage
from assistant.pages.adhesion_form import AdhesionFormPage
from assistant.pages.base import PortalPage
from assistant.pages.component import Component
from assistant.pages.confirmation import ConfirmationPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.pages.invoice_detail import InvoiceDetailPanel
from assistant.pages.invoice_table import InvoiceTable
from assistant.pages.invoices import InvoicesPage
from assistant.pages.login_modal import LoginModal
from assistant.pages.maintenance import MaintenancePage
from assistant.pages.part import Part
from assistant.pages.recap import RecapPage
from assistant.pages.requests import RequestsPage
from assistant.pages.session_modal import SessionModal
from assistant.pages.table import COMPONENTS, PAGES, shown_instead, which_page
from assistant.pages.wait_modal import WaitModal
from assistant.replica import Faults

PAGES_DIR = Path(__file__).resolve().parents[2] / "assistant" / "pages"


# -- which_page, on two skins whose headings, routes and controls differ ------------------------
@pytest.mark.parametrize(("skin", "style"), [("classique", "classic"), ("moderne", "modal")])
def test_which_page_tells_every_page_of_the_journey(page: Page, make_replica, skin, style):
    rep = make_replica(skin=skin, login_style=style)
    settings = replica_settings(rep, "famille.martin")
    home = HomePage(page, settings).open()
    assert which_page(page) is HomePage
    dashboard = home.login(settings.username, settings.password)
    assert which_page(page) is DashboardPage
    invoices = dashboard.open_invoices()
    assert which_page(page) is InvoicesPage
    adhesion = invoices.open_adhesion()
    assert which_page(page) is AdhesionPage
    form = adhesion.modify()
    assert which_page(page) is AdhesionFormPage
    recap = form.choose(True).go_to_step_2()
    assert (which_page(page), which_page(page, strong=True)) == (RecapPage, RecapPage)
    confirmation = recap.validate()
    assert which_page(page) is ConfirmationPage
    confirmation.open_requests()
    assert which_page(page) is RequestsPage


def test_which_page_tells_maintenance_over_any_address(page: Page, replica):
    replica.set_faults(Faults(maintenance=True))
    page.goto(replica_settings(replica).url("MonCompte"))
    assert which_page(page) is MaintenancePage


def test_which_page_is_none_on_a_page_it_does_not_know(page: Page):
    page.set_content("<main><h1>Bonjour</h1><p>Rien de connu ici.</p></main>")
    assert which_page(page) is None


def test_a_drift_error_names_the_page_shown_instead(page: Page, session_replica):
    settings = replica_settings(session_replica, "famille.martin")
    HomePage(page, settings).open().login(settings.username, settings.password)
    drift = PortalChanged("Page « Mes factures » non reconnue.", page=InvoicesPage.TITLE)
    assert shown_instead(page, drift) == " La page affichée ressemble à « Mon tableau de bord »."
    assert shown_instead(page, PortalChanged("…", page=DashboardPage.TITLE)) == ""
    assert shown_instead(page, PortalUnavailable("…", page=InvoicesPage.TITLE)) == ""


# -- the package's shape ------------------------------------------------------------------------
@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_overlays_and_fragments_are_components_not_pages(component):
    assert issubclass(component, Component) and not issubclass(component, PortalPage)
    assert component not in PAGES


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found))


def test_every_page_and_component_is_in_the_table():
    # the runner masks every page and component of the table when a run fails: none may be left out
    for module in pkgutil.iter_modules([str(PAGES_DIR)]):
        importlib.import_module(f"assistant.pages.{module.name}")
    pages = {cls for cls in _subclasses(PortalPage) if cls.__module__.startswith("assistant.pages.")}
    components = {cls for cls in _subclasses(Component) if cls.__module__.startswith("assistant.pages.")}
    assert pages - {cls for cls in pages if cls.__name__.startswith("_")} == set(PAGES)
    assert components - {Part} == set(COMPONENTS) == {InvoiceDetailPanel, InvoiceTable, LoginModal, SessionModal,
                                                      WaitModal}


def test_pages_init_holds_no_logic():
    tree = ast.parse((PAGES_DIR / "__init__.py").read_text(encoding="utf-8"))
    assert [type(node) for node in tree.body] == [ast.Expr]  # its docstring only
    assert isinstance(tree.body[0].value, ast.Constant) and isinstance(tree.body[0].value.value, str)


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """The ``assistant.pages`` modules ``path`` imports, and the lines of imports made inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = "assistant.pages" if path.name == "__init__.py" else f"assistant.pages.{path.stem}"
    base = package if path.name == "__init__.py" else package.rsplit(".", 1)[0]
    found: set[str] = set()
    nested: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            nested += [n.lineno for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                origin = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            names = [f"{origin}.{alias.name}" for alias in node.names] if not node.module else []
            found.update([origin, *names])
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    modules = {f"assistant.pages.{p.stem}" for p in PAGES_DIR.glob("*.py") if p.name != "__init__.py"}
    return {m for m in found if m in modules or m == "assistant.pages"} - {package}, nested


def test_pages_import_downward_only_no_cycle_no_import_in_a_function():
    graph, nested = {}, {}
    for path in sorted(PAGES_DIR.glob("*.py")):
        name = "assistant.pages" if path.name == "__init__.py" else f"assistant.pages.{path.stem}"
        graph[name], lines = _imports(path)
        if lines:
            nested[path.name] = lines
    assert nested == {}
    assert graph["assistant.pages"] == set()

    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join((*trail, module))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())
