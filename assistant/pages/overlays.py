"""The overlays cleared before each action: « Prolonger ma session », consent, « Merci de patienter... »."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page

from .consent import overlay, refuse_shown
from .session_modal import SessionModal
from .wait_modal import WaitModal

if TYPE_CHECKING:
    from ..config import Settings


def clear_overlays(page: Page, settings: "Settings", *, wait_modal: bool = False) -> bool:
    """Answer « Prolonger ma session », refuse a consent overlay [guess], and with ``wait_modal`` let
    « Merci de patienter... » go; whether an overlay was there. One look at the page when none shows."""
    session, wait = SessionModal(page, settings), WaitModal(page, settings)
    overlays = overlay(page).or_(session.extend_button.filter(visible=True))
    if not (overlays.or_(wait.marker) if wait_modal else overlays).count():
        return False
    if wait_modal:
        wait.wait_gone_if_shown()
    return session.extend() | refuse_shown(page)
