"""What the page tests on hand-written snippets share: a portal page of no kind in particular, the
settings of a commune nobody here has seen, and which control a snippet's click script caught
(``window.clicked``, set from the clicked element's ``data-k``)."""

from __future__ import annotations

from playwright.sync_api import Page

from assistant.config import Settings, Timeouts
from assistant.pages.base import PortalPage

SETTINGS = Settings(base_url="http://127.0.0.1:9/commune/espace-citoyens/",
                    timeouts=Timeouts(action=1_500, navigation=3_000, wait_modal=3_000))


class AnyPage(PortalPage):
    TITLE = "page d’essai"


def clicked(page: Page) -> str:
    return page.evaluate("window.clicked || ''")
