"""The journeys, as data: each module exposes a ``FLOW`` (:class:`assistant.steps.Flow`).

- :mod:`flows.adhesion`: the six steps of the help page, activating « la facture en ligne »;
- :mod:`flows.status`: the read-only check behind ``assistant statut``.

The login step both share lives here.
"""

from __future__ import annotations

from assistant.errors import PortalChanged
from assistant.pages.base import PortalPage
from assistant.pages.dashboard import DashboardPage
from assistant.pages.home import HomePage
from assistant.steps import Journey, Step

LOGIN_TITLE = "Connexion à l’espace famille"


def log_in(journey: Journey) -> DashboardPage:
    """Open the public home and log in; end on the dashboard."""
    settings = journey.settings
    home = HomePage(journey.page, settings).open()
    return home.login(settings.username, settings.password)


LOGIN = Step(0, LOGIN_TITLE, log_in, DashboardPage)


def current(journey: Journey, expected: type[PortalPage]):
    """The page the previous step ended on, checked to be of type ``expected``."""
    page = journey.current
    if not isinstance(page, expected):
        raise PortalChanged(
            f"Page « {expected.TITLE} » attendue pour continuer, "
            f"mais le parcours est sur « {getattr(page, 'TITLE', 'aucune page')} ».",
            page=expected.TITLE, url=journey.page.url,
        )
    return page


__all__ = ["LOGIN", "LOGIN_TITLE", "current", "log_in"]
