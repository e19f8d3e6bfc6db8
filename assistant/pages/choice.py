"""Answering a question as a person would, whatever control the portal draws for it (see :mod:`.reading`).

The question's words [seed] say which controls answer it; the answer's word [seed] (« OUI ») says
which of them to use. How it is drawn is not public [guess], so each kind is used the way a person
uses it: a radio is checked (or its visible label clicked when the input hides), an ARIA radio or a
toggle button clicked, a drop-down list's option selected, a switch or a checkbox clicked until it
is on. Then the control is read again: it must now show the answer, else :class:`PortalChanged`
names it. Two controls that answer the question equally (two groups with « OUI ») are ambiguity,
and a question that is gone is drift: nothing is clicked in their place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loguru import logger
from playwright.sync_api import Locator, expect

from ..errors import PortalChanged
from ..labels import label
from .controls import hit_test
from .reading import ANSWERS, Group, Reading, candidates, read_answer

if TYPE_CHECKING:
    from .base import PortalPage


def targets(reading: Reading, answer: str) -> list[Group]:
    """The groups a person can use now to answer ``answer`` (enabled, shown)."""
    return [g for g in reading.groups if g.usable and g.member(answer) is not None
            and (g.kind != "list" or any(o["word"] == answer for o in g.members[0].get("options", [])))]


def choose(host: "PortalPage", question: str, answer: str, answers: tuple[str, ...] = ANSWERS) -> Group:
    """Answer ``question`` with ``answer`` on ``host``'s page; return the group used, read again."""
    reading = read_answer(host.page, question, answers)
    found = targets(reading, answer)
    if not found:
        if not reading.asked:
            raise host.missing(question)
        raise host.missing(answer)
    if len(found) > 1:
        names = [g.says() for g in found]
        raise PortalChanged(f"Sur « {host.TITLE} », {len(found)} contrôles différents répondent « {answer} » "
                            f"à « {question} » ({' ; '.join(names)}) : lequel utiliser n’est pas clair, rien "
                            "n’a été coché.", page=host.TITLE, url=host.page.url, control=answer, candidates=names)
    group = found[0]
    if group.answer == answer:
        logger.info("« {} » already shows « {} »", question, answer)
        return group
    member = group.member(answer)
    assert member is not None
    control = candidates(host.page).nth(member["i"])
    logger.info("answer « {} » ({}, {})", answer, question, group.kind)
    _act(host, group, member, control, answer, answers)
    return _verified(host, group, member, control, question, answer, answers)


def _act(host: "PortalPage", group: Group, member: dict, control: Locator, answer: str,
         answers: tuple[str, ...]) -> None:
    """Use the control the way a person would for its kind."""
    timeout = host.settings.timeouts.action
    if group.kind == "list":
        option = next(o for o in member["options"] if o["word"] == answer)
        host.about_to_act(control, answer)
        host.clear_overlays(wait_modal=True)
        control.select_option(index=option["index"], timeout=timeout)
        return
    if group.kind == "check" and (answer == answers[0]) == (member["state"] == "true"):
        return  # already where it must be (the group's reading said otherwise: verified below)
    if group.kind == "combo":
        host.click(control, answer)
        host.click(host.page.get_by_role("option", name=label(answer)).filter(visible=True).first, answer)
        return
    host.about_to_act(control, answer)
    host.clear_overlays(wait_modal=True)
    landing = hit_test(control)["hit"]
    if landing == "self" and member["mark"] == "checked":
        # a native radio or checkbox a click reaches: checked as Playwright checks it
        if group.kind == "radio" or answer == answers[0]:
            control.check(timeout=timeout)
        else:
            control.uncheck(timeout=timeout)
    elif landing in ("self", "other"):
        host.click(control, answer)  # covered by an overlay: the click clears it, or says what covers it
    else:
        # styled radios and switches hide the input under their label: a person clicks the label
        # (its own, or the word itself)
        host.click(_label_of(host, control, answer if group.kind != "check" else None), answer)


def _label_of(host: "PortalPage", control: Locator, answer: str | None) -> Locator:
    """What a person clicks for a control whose input hides: its own <label>, else its visible word."""
    page = host.page
    ident = control.get_attribute("id")
    # why: a <label> wraps the input, or points at it by id; neither has a role of its own
    own = page.locator("label").filter(has=control)
    if ident:
        own = own.or_(page.locator(f"label[for='{ident}']"))
    own = own.filter(visible=True)
    if own.count() or answer is None:
        return own.first
    return page.get_by_text(label(answer)).filter(visible=True).first


def _verified(host: "PortalPage", group: Group, member: dict, control: Locator, question: str, answer: str,
              answers: tuple[str, ...]) -> Group:
    """Wait for the control to show the answer, then read the question again: it must show it."""
    timeout = host.settings.timeouts.action
    try:
        if group.kind == "list":
            option = next(o for o in member["options"] if o["word"] == answer)
            expect(control).to_have_value(option["value"], timeout=timeout)
        elif member["mark"] in ("checked", "aria-checked") and (group.kind != "check" or answer == answers[0]):
            expect(control).to_be_checked(timeout=timeout)
        elif member["mark"] in ("aria-pressed", "aria-selected") and group.kind != "check":
            expect(control).to_have_attribute(member["mark"], "true", timeout=timeout)
    except AssertionError:
        logger.info("« {} » does not show « {} » after the action", question, answer)
    again = targets(read_answer(host.page, question, answers), answer)
    if len(again) == 1 and again[0].answer == answer:
        return again[0]
    shown = " ; ".join(g.says() for g in again) or group.says()
    raise PortalChanged(f"Sur « {host.TITLE} », « {answer} » n’a pas pu être choisi pour « {question} » "
                        f"({shown}).", page=host.TITLE, url=host.page.url, control=answer)
