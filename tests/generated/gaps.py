"""Renderings the assistant does not handle yet, kept out of the random draw until their room lands.

Each entry names the room that must handle it (controls, interruptions, invoices, unknown), the
journeys it breaks and what happens; ``GENERATED_ALL=1`` draws them anyway (to see whether a room's
work fixed them). The coordinator empties this table as the rooms' branches are merged. A rendering
listed here is still served by the replica and shown by tests/replica (the replica draws it right:
tests/replica/test_renderings_in_browser.py walks it in Chromium); it is the assistant that stops on it.
Found with ``tests/generated/sweep.py`` (classique with one rendering changed); the seed replays it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ALL = ("adhesion", "rehearsal", "statut", "factures", "diagnostic")
WIZARD = ("adhesion", "rehearsal")
INVOICES = ("factures", "diagnostic")


@dataclass(frozen=True)
class Gap:
    room: str
    journeys: tuple[str, ...]
    what: str


_TWO_MES_FACTURES = ("with « Mes factures » in the menu and as a tile (factures_place=menu_and_tile), two controls "
                     "without href read « Mes factures »: portal_changed « 2 contrôles différents s’appellent « Mes "
                     "factures » » although both lead to MonCompte (one alone works)")
_OUI = "portal_changed « le contrôle « OUI » est introuvable » (the nearest candidates list the very control)"
_VALIDER = "portal_changed « Page « Le récapitulatif » non reconnue : « VALIDER » introuvable »"
_NOTICE = "portal_changed: the click on « Mes factures » is intercepted by the dialog, never closed"
_CONSENT = "portal_changed: the click on « Connexion » is intercepted by the overlay, never refused"
_WORDS = ("with detail_status=as_table (the detail fragment says the table's word), {} read as an unreadable status "
          "(the table alone is read fine: the detail's « À payer » wins)")

#: (aspect, rendering) -> what fails on the assistant of today; ("family", username) for a family's data;
#: journey "stop": the must-stop renderings of test_must_stop.py
KNOWN_GAPS: dict[tuple[str, str], Gap] = {
    ("ctl_mes_factures", "input_submit"): Gap("controls", ALL, _TWO_MES_FACTURES),
    ("ctl_mes_factures", "input_button"): Gap("controls", ALL, _TWO_MES_FACTURES),
    ("ctl_mes_factures", "input_image"): Gap("controls", ALL, _TWO_MES_FACTURES),
    ("question", "select"): Gap("controls", WIZARD, _OUI),
    ("question", "checkbox"): Gap("controls", WIZARD, _OUI),
    ("question", "switch"): Gap("controls", WIZARD, _OUI),
    ("question", "toggle_buttons"): Gap("controls", WIZARD, _OUI),
    ("ctl_valider", "input_image"): Gap("controls", WIZARD, _VALIDER),
    ("ctl_valider", "role_tab"): Gap("controls", WIZARD, _VALIDER),
    ("ctl_valider", "role_menuitem"): Gap("controls", WIZARD, _VALIDER),
    ("notice", "jai_compris"): Gap("interruptions", ALL, _NOTICE),
    ("notice", "fermer"): Gap("interruptions", ALL, _NOTICE),
    ("notice", "croix"): Gap("interruptions", ALL, _NOTICE),
    ("consent", "words_only"): Gap("interruptions", ALL, _CONSENT),
    ("consent", "shadow_root"): Gap("interruptions", ALL, _CONSENT + " (its text read as « <bandeau-visite> »)"),
    ("notice", "fields"): Gap("interruptions", ("stop",), "portal_changed (the click is intercepted), not needs_human"),
    ("notice", "survey"): Gap("interruptions", ("stop",), "portal_changed (the click is intercepted), not needs_human"),
    ("notice", "attestation"): Gap("interruptions", ("stop",), "portal_changed (the click is intercepted), not needs_human"),
    ("notice", "second_factor"): Gap("interruptions", ("stop",), "portal_changed (the click is intercepted), not needs_human"),
    ("read_mode", "disabled_select"): Gap("controls", ALL, "the read mode as a disabled list is not read: the answer is "
                                          "read after « MODIFIER » from radios only, else « NON » — statut says « n’est "
                                          "pas activée » for an adhered family with question=checkbox (seed 419796000, "
                                          "famille.bernard); with other kinds of MODIFIER or question: portal_changed"),
    ("status_words", "reglee_a_regler"): Gap("invoices", INVOICES, _WORDS.format("« À régler »")),
    ("status_words", "reglee_non_reglee"): Gap("invoices", INVOICES, _WORDS.format("« Non réglée »")),
    ("status_words", "prelevee_prelevement"): Gap("invoices", INVOICES, _WORDS.format("« Prélèvement en cours », « Prélevée »")),
    ("family", "famille.garcia"): Gap("invoices", INVOICES, "a part payment: unpaid_total sums the invoice's total "
                                      "(2 345,60 €), not what is left on it (1 345,60 €); with detail_status=as_table "
                                      "« Partiellement réglée » is an unreadable status"),
}


#: renderings that fail together only (each alone passes): the draw leaves such compositions out
COMBINED_GAPS: list[tuple[tuple[tuple[str, str], ...], Gap]] = []


def combined(journey: str) -> list[tuple[tuple[str, str], ...]]:
    """The combinations the draw of ``journey`` leaves out (none when GENERATED_ALL=1)."""
    if os.environ.get("GENERATED_ALL") == "1":
        return []
    return [pairs for pairs, gap in COMBINED_GAPS if journey in gap.journeys]


def excluded(journey: str) -> set[tuple[str, str]]:
    """The renderings (and families) the draw of ``journey`` leaves out (none when GENERATED_ALL=1)."""
    if os.environ.get("GENERATED_ALL") == "1":
        return set()
    return {key for key, gap in KNOWN_GAPS.items() if journey in gap.journeys}
