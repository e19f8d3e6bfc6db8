"""Reading a question's answer as a person sees it, whatever the markup: a value, or why it cannot be read.

The question's words are the anchor [seed]; the answer is read from the question's own controls
(radios, hidden radios behind their labels, ARIA radios, a drop-down list, a checkbox or switch,
toggle or segmented buttons; enabled or not) or, when it has none, from the words written beside
it (« … ? OUI », a <dl>, a table row, a sentence, a badge). One script, one round trip
(:mod:`.choice_script`). No default: no checked answer, two answers that disagree, or a word that
is not an answer is said as such (:attr:`Reading.problem`), never read as « NON ».
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from ..errors import Unreadable
from ..labels import label
from .choice_script import CANDIDATES, CHOICE_JS

ANSWERS = ("OUI", "NON")
KIND_FR = {"radio": "boutons radio", "toggle": "boutons", "list": "liste", "check": "case à cocher",
           "combo": "liste"}


@dataclass
class Group:
    """One control (or set of controls) answering the question, and what a person reads in it."""

    kind: str  # radio, toggle, list, check, combo
    name: str
    usable: bool
    answer: str | None
    problem: str | None  # none, unknown, contradiction, state
    seen: str | None
    members: list[dict] = field(default_factory=list)

    def says(self) -> str:
        """In French, what the group shows: « liste « … » : OUI »."""
        where = KIND_FR[self.kind] + (f" « {self.name} »" if self.name else "")
        if self.answer:
            return f"{where} : « {self.answer} »"
        return f"{where} : {PROBLEM_FR[self.problem or 'none'](self)}"

    def member(self, answer: str) -> dict | None:
        """The member a person uses to answer ``answer`` (its index in the candidates, its kind...)."""
        if self.kind in ("radio", "toggle"):
            found = [m for m in self.members if m["word"] == answer and m["usable"]]
            return found[0] if len(found) == 1 else None
        return self.members[0] if self.usable else None


PROBLEM_FR = {
    "none": lambda g: "aucune réponse choisie" if g.kind in ("list", "combo") else "aucune réponse cochée",
    "unknown": lambda g: f"réponse « {g.seen} » non reconnue",
    "contradiction": lambda g: f"plusieurs réponses cochées ensemble ({g.seen})",
    "state": lambda g: "l’état n’est pas indiqué (ni coché, ni pressé, ni sélectionné)",
}


@dataclass
class Reading:
    """What the page shows for a question: its groups of controls, or the answer written beside it."""

    question: str
    asked: bool  # the question shows
    groups: list[Group]
    written: str | None = None
    unknown: str | None = None

    @property
    def answer(self) -> str | None:
        """The one answer the page shows (every group agreeing), else None."""
        if self.groups:
            answers = {g.answer for g in self.groups}
            return answers.pop() if len(answers) == 1 and None not in answers else None
        return self.written

    @property
    def problem(self) -> str | None:
        """In French, why the answer shown cannot be read; None when it can, or when nothing is shown."""
        if self.groups:
            if self.answer:
                return None
            if len(self.groups) == 1:
                group = self.groups[0]
                return f"{PROBLEM_FR[group.problem or 'none'](group)} à la question « {self.question} »"
            return (f"réponses contradictoires à la question « {self.question} » : "
                    + " ; ".join(g.says() for g in self.groups))
        if self.unknown:
            return f"réponse « {self.unknown} » non reconnue à la question « {self.question} »"
        return None

    @property
    def seen(self) -> str | None:
        """What was shown instead of a readable answer, for the report."""
        if self.groups:
            return " ; ".join(g.says() for g in self.groups)
        return self.unknown


def candidates(page: Page) -> Locator:
    """Every element an answer may be drawn with, in the order the script numbers them."""
    return page.locator(CANDIDATES)


def read_answer(page: Page, question: str, answers: tuple[str, ...] = ANSWERS) -> Reading:
    """What ``page`` shows for ``question`` (see :class:`Reading`), in one round trip."""
    try:
        found = candidates(page).evaluate_all(CHOICE_JS, [label(question, exact=False).pattern, list(answers)])
    except PlaywrightError:
        # the page is navigating: nothing shown yet
        return Reading(question, False, [])
    groups = [Group(g["kind"], g["name"] or "", g["usable"], g["answer"], g["problem"], g["seen"], g["members"])
              for g in found["groups"]]
    return Reading(question, found["question"], groups, found["written"], found["unknown"])


def answer_near(page: Page, question: str, answers: tuple[str, ...] = ANSWERS) -> str | None:
    """The one answer shown with ``question`` (by its controls or the words beside it), if any."""
    return read_answer(page, question, answers).answer


def unreadable(reading: Reading, *, page: str, url: str) -> Unreadable:
    """The error for a question whose answer is shown but cannot be read (or not shown at all)."""
    why = reading.problem or f"aucune réponse affichée à la question « {reading.question} »"
    return Unreadable(f"Sur « {page} », {why} : l’état n’est pas lu, rien n’a été envoyé.",
                      page=page, url=url, control=reading.question, seen=reading.seen)


def answer_of(reading: Reading, *, page: str, url: str) -> str | None:
    """The answer ``reading`` shows; None when none is shown; :class:`Unreadable` when one is shown but
    cannot be read."""
    if reading.problem:
        raise unreadable(reading, page=page, url=url)
    return reading.answer
