"""The errors that say a page or a control is not what the help page says: drift, or a late portal.

A drift report names what was looked for, the [guess] hints also missing and the controls nearest
to the documented words. When the tab still waits for the portal's answer, it is not drift: the
portal is late (:class:`PortalUnavailable`); when it shows Chromium's own error page, the portal
is unreachable (:mod:`.browser_error`), and that page's controls are never listed. What the browser shows instead is told by the table
of pages (:func:`assistant.pages.table.shown_instead`), one level up.
"""

from __future__ import annotations

from playwright.sync_api import Page

from ..errors import PortalChanged, PortalUnavailable
from .browser_error import unreachable
from .clues import Recognisable
from .controls import nearest
from .watch import waiting_for_portal


def late(page: Page, title: str) -> PortalUnavailable | None:
    """When the tab shows Chromium's error page, « title » is unreachable; when it still waits for the
    portal's answer, « title » is late: not changed, either way."""
    down = unreachable(page, title)
    if down is not None:
        return down
    waiting = waiting_for_portal(page)
    if waiting is None:
        return None
    return PortalUnavailable(f"Le portail tarde à répondre : « {title} » attendu, {waiting}. "
                             "Réessayer plus tard.", page=title, url=page.url)


def not_recognised(expected: Recognisable) -> PortalChanged | PortalUnavailable:
    """The drift error for a page that does not show: what was looked for, the hints missing too and
    the nearest controls (or, when the portal has not answered yet, :class:`PortalUnavailable`)."""
    page, title = expected.page, expected.TITLE
    slow = late(page, title)
    if slow is not None:
        return slow
    proofs = [clue.says for clue in expected.PROOFS] or ["son adresse"]
    looked_for = f"{proofs[0]} introuvable" if len(proofs) == 1 else "ni " + " ni ".join(proofs)
    missing_hints = [clue.says for clue in expected.HINTS if expected.absent(clue)]
    words = [clue.words for clue in expected.PROOFS if clue.words]
    candidates = list(dict.fromkeys(c for w in words for c in nearest(page, w)))[:4]
    message = f"Page « {title} » non reconnue : {looked_for}."
    if missing_hints:
        message += f" Absent aussi : {', '.join(missing_hints)}."
    if candidates:
        message += f" Contrôles proches sur la page : {', '.join(candidates)}."
    return PortalChanged(message, page=title, url=page.url, control=words[0] if words else None,
                         candidates=candidates)


def missing(page: Page, title: str, control: str) -> PortalChanged | PortalUnavailable:
    """The drift error for a documented control that is not on « title » (or, when the portal has
    not answered yet, :class:`PortalUnavailable`)."""
    slow = late(page, title)
    if slow is not None:
        return slow
    candidates = nearest(page, control)
    message = f"Sur la page « {title} », le contrôle « {control} » est introuvable."
    if candidates:
        message += f" Contrôles proches sur la page : {', '.join(candidates)}."
    return PortalChanged(message, page=title, url=page.url, control=control, candidates=candidates)
