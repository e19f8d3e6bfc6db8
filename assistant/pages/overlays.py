"""The overlays cleared before each action, as a person would (:mod:`.covers` finds them, :mod:`.dialogs` sorts them).

« Merci de patienter... » is let go, « Prolonger ma session » answered, a consent overlay refused (never
accepted), a purely informative dialog closed; the login window is left to the login. Anything else over
the page stops the run before the action (:class:`NeedsHuman`). One look at the page when none shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..errors import Obstructed
from . import consent
from .covers import Cover, holding, in_the_way, leave, look, probe
from .dialogs import close_of, kind, needs_human, note_closed
from .session_modal import SessionModal
from .wait_modal import WaitModal

if TYPE_CHECKING:
    from ..config import Settings

ROUNDS = 3  # looks after a wait modal went (the page under it may have changed)


def clear_overlays(page: Page, settings: "Settings", *, wait_modal: bool = False, target: Locator | None = None,
                   intercepted: bool = False, where: str = "page du portail", control: str | None = None) -> bool:
    """Clear what covers the page before using ``target`` (named ``control`` on the page ``where``);
    whether anything was cleared. ``wait_modal``: let « Merci de patienter... » go; ``intercepted``: a
    click on ``target`` was just intercepted, what lies over it counts too.

    Raises :class:`NeedsHuman` for an overlay the assistant must not answer, :class:`Obstructed` for a
    dialog that stays after its own « Fermer »."""
    session, wait = SessionModal(page, settings), WaitModal(page, settings)
    specials = session.extend_button.filter(visible=True)
    if wait_modal:
        specials = specials.or_(wait.marker)
    cleared = False
    for _ in range(ROUNDS):
        token = look()
        shown, found = probe(specials, consent.WORDS, token)
        if intercepted and target is not None:
            cover = in_the_way(target, consent.WORDS, token)
            if cover is not None and cover.ref not in {c.ref for c in found}:
                found.append(cover)
        if not shown and not found:
            return cleared
        kinds = {c.ref: kind(c) for c in found}
        if wait_modal and wait.wait_gone_if_shown():
            cleared = True
            continue  # the page under it may have changed: look again
        if shown or "session" in kinds.values():
            cleared |= session.extend()
        return _sort_out(page, settings, found, kinds, target, where, control) | cleared
    return cleared


def _sort_out(page: Page, settings: "Settings", found: list[Cover], kinds: dict[str, str], target: Locator | None,
              where: str, control: str | None) -> bool:
    """Refuse the consent overlays, close the informative dialogs, stop at the first other one over the page."""
    own = holding(target) if target is not None and any(k in ("consent", "info", "blocking")
                                                          for k in kinds.values()) else set()
    stop: Cover | None = None
    cleared = False
    for cover in found:
        what = kinds[cover.ref]
        if cover.ref in own or what in ("wait", "inert", "session", "login"):
            continue  # the control about to be used is inside: the page's own dialog
        if what == "consent" and consent.way_out(cover) is not None:
            cleared |= _click_way_out(page, settings, cover, consent.way_out(cover), where, control, info=False)
        elif what == "info":
            cleared |= _click_way_out(page, settings, cover, close_of(cover), where, control, info=True)
        elif cover.covers:
            stop = stop or cover
        else:
            logger.info("an overlay in nobody's way is left as it is: « {} »", cover.short(60))
            leave(page, cover)
    if stop is not None:
        logger.warning("an overlay over the page needs a person: « {} »", stop.short(60))
        raise needs_human(stop, where=where, url=page.url, control=control)
    return cleared


def _click_way_out(page: Page, settings: "Settings", cover: Cover, pattern, where: str, control: str | None,
                   *, info: bool) -> bool:
    """Click the overlay's refusal or close control, wait for it to go, note it; whether it was clicked."""
    root = cover.root(page)
    chosen = consent.choices(root, pattern)
    try:
        if not chosen.count():
            logger.warning("the overlay's « {} » could not be found again", pattern.pattern)
            return False
        name = " ".join((chosen.first.get_attribute("aria-label") or chosen.first.inner_text() or "×").split())
        logger.info("{} with « {} »", "information dialog closed" if info else "consent overlay refused", name)
        chosen.first.click(timeout=settings.timeouts.action)
    except PlaywrightError as exc:
        logger.warning("the overlay could not be answered: {}", (exc.message or str(exc)).splitlines()[0])
        return False
    if not info:
        consent.note(page.context, name, cover)
    try:
        root.wait_for(state="hidden", timeout=settings.timeouts.action if info else 2_000)
    except PlaywrightTimeout:
        if not info:
            logger.warning("the consent overlay is still shown after « {} »", name)
            return True
        on = f"le clic sur « {control} »" if control else "la page"
        raise Obstructed(f"Sur « {where} », {on} est intercepté par une fenêtre affichée par-dessus la page : "
                         f"« {cover.short()} », restée affichée après « {name} ».", page=where, url=page.url,
                         control=control) from None
    if info:
        note_closed(page.context, name, cover)
    return True
