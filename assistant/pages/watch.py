"""What is watched on a browser tab for the page objects: its documents on their way, and their actions.

- the main frame's document requests still waiting for an answer (a slow portal, not a change):
  :func:`track_documents` once per tab, :func:`waiting_for_portal` to ask;
- the documented controls the page objects are about to use: :func:`watch_actions` (the
  illustrated guide and the rehearsal listen), :func:`tell_action` (the page objects tell).
"""

from __future__ import annotations

import time
from typing import Any, Callable
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

#: told of each documented control just before the assistant uses it: (page object, control, its French label)
ActionHook = Callable[[Any, Locator, str], None]
_ACTION_HOOKS: "WeakKeyDictionary[Page, list[ActionHook]]" = WeakKeyDictionary()

# the documents each tab asked the portal for and has no answer for yet (a slow portal, not a change)
_PENDING: "WeakKeyDictionary[Page, dict[int, tuple[str, float]]]" = WeakKeyDictionary()


def track_documents(page: Page) -> None:
    """Keep, for ``page``, its main frame's document requests still waiting for an answer (once per tab)."""
    if page in _PENDING:
        return
    pending: dict[int, tuple[str, float]] = {}
    _PENDING[page] = pending

    def sent(request) -> None:
        try:  # a listener must never raise: Playwright has no frame for a request issued before its frame
            if request.is_navigation_request() and request.frame == page.main_frame:
                pending[id(request)] = (urlsplit(request.url).path, time.monotonic())
        except PlaywrightError:
            pass

    def answered(event) -> None:
        pending.pop(id(getattr(event, "request", event)), None)

    page.on("request", sent)
    page.on("response", answered)
    page.on("requestfailed", answered)


def waiting_for_portal(page: Page, *, longer_than_s: float = 1.0) -> str | None:
    """The portal address a tab has waited on for more than ``longer_than_s`` (« /…/MonCompte, 12 s »)."""
    now = time.monotonic()
    late = [(path, now - since) for path, since in _PENDING.get(page, {}).values() if now - since > longer_than_s]
    if not late:
        return None
    path, age = max(late, key=lambda item: item[1])
    return f"{path} (sans réponse depuis {age:.0f} s)"


def watch_actions(page: Page, hook: ActionHook) -> Callable[[], None]:
    """Call ``hook`` before every click or check the page objects make on ``page``; returns the unwatch.

    The illustrated guide uses it to outline the control of each step; the hook must not act on the page.
    """
    hooks = _ACTION_HOOKS.setdefault(page, [])
    hooks.append(hook)
    return lambda: hooks.remove(hook) if hook in hooks else None


def tell_action(page_object: Any, locator: Locator, control: str) -> None:
    """Tell the watchers of ``page_object``'s tab which control is about to be used."""
    for hook in list(_ACTION_HOOKS.get(page_object.page, ())):
        hook(page_object, locator, control)
