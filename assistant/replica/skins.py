"""Compositions (« habillages »): one rendering per aspect of the portal's pages, chosen independently.

Nobody here has seen the real portal's markup for the adhesion wizard, the dashboard tiles, the
invoice table's status column... renderings.py lists, per *aspect*, every way the replica draws it
(each with its source). A :class:`Composition` picks one per aspect; the templates of
``fixtures/pages/`` read it (macros in ``_skin.html``, ``_controles.html``, ``_question.html``).

Compositions are numbered: ``Composition.from_seed(n)`` is a bijection between the integers
``0 … COUNT-1`` and the compositions made of normal renderings (mixed radix over the aspects, the
first aspect the lowest digit; each digit the index of the rendering in its aspect), so a property
test can draw each aspect on its own and still name its example with one integer, which
``assistant replica --composition N`` serves again. Composition 0 is ``classique`` (today's markup).
The named presets (``Composition.named("bootstrap")``) are fixed examples. ``Skin`` is the old name.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from .renderings import ASPECTS, NORMAL, STOPS
from .routes import CONSENT_COOKIES, WIZARD_PATHS, WizardRoutes  # noqa: F401  (kept importable from here)
from .skin_words import AMOUNTS, HEADING_TEXTS, TYPOGRAPHY, WAIT_MS, WORDINGS

#: how many compositions the normal renderings make (seeds are 0 … COUNT-1)
COUNT = math.prod(len(v) for v in NORMAL.values())


class UnknownSkin(ValueError):
    """A preset name that is not one; the message lists the presets (French, for the CLI)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"habillage inconnu « {name} » : choisir parmi {', '.join(SKINS)}")


@dataclass(frozen=True)
class Composition:
    """One plausible portal: a rendering per aspect (renderings.py); the defaults are today's markup."""

    login: str = "classic"
    routes: str = "path_steps"
    headings: str = "h_tags"
    heading_texts: str = "classic"
    factures_place: str = "menu_and_tile"
    tile_shape: str = "heading_paragraph"
    ctl_mes_factures: str = "a_href"
    adhesion_place: str = "paragraph_link"
    ctl_adhesion: str = "a_href"
    read_mode: str = "label_strong"
    ctl_modifier: str = "button"
    question: str = "fieldset_native"
    ctl_next_step: str = "a_hash"
    ctl_valider: str = "button"
    confirmation: str = "number_and_status"
    typography: str = "seed"
    wordings: str = "classic"
    consent: str = "none"
    notice: str = "none"
    wait: str = "short"
    error_pages: str = "classic"
    invoice_table: str = "classic"
    status_words: str = "payee_a_payer"
    detail_status: str = "fixed"
    status_case: str = "as_written"
    amount_grouping: str = "nbsp"
    amount_currency: str = "euro_nbsp"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (r.key for r in ASPECTS[f.name]):
                raise ValueError(f"aspect {f.name} : valeur inconnue « {value} » "
                                 f"(au choix : {', '.join(r.key for r in ASPECTS[f.name])})")

    # -- numbering ------------------------------------------------------------------------------
    @classmethod
    def from_seed(cls, seed: int) -> "Composition":
        """The composition numbered ``seed`` (0 … COUNT-1); ValueError (French) otherwise."""
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < COUNT:
            raise ValueError(f"composition invalide « {seed} » : attendu un entier entre 0 et {COUNT - 1}")
        chosen = {}
        for aspect, values in NORMAL.items():
            seed, digit = divmod(seed, len(values))
            chosen[aspect] = values[digit]
        return cls(**chosen)

    @property
    def seed(self) -> int | None:
        """This composition's number; None when it uses a must-stop rendering (no number)."""
        seed, weight = 0, 1
        for aspect, values in NORMAL.items():
            value = getattr(self, aspect)
            if value not in values:
                return None
            seed += values.index(value) * weight
            weight *= len(values)
        return seed

    def stops(self) -> dict[str, str]:
        """The must-stop renderings this composition uses (aspect -> rendering)."""
        return {a: getattr(self, a) for a, values in STOPS.items() if getattr(self, a) in values}

    # -- presets --------------------------------------------------------------------------------
    @classmethod
    def named(cls, name: str) -> "Composition":
        """The preset called ``name``; UnknownSkin (a ValueError listing the presets) otherwise."""
        try:
            return PRESETS[name.strip().lower()]
        except KeyError:
            raise UnknownSkin(name) from None

    @property
    def name(self) -> str:
        """The preset this composition equals, else « personnalisé »."""
        return next((n for n, s in PRESETS.items() if s == self), "personnalisé")

    def describe(self) -> list[str]:
        """« aspect = rendering », one line per aspect (what ``assistant replica`` prints)."""
        return [f"{f.name} = {getattr(self, f.name)}" for f in fields(self)]

    # -- what the templates read ----------------------------------------------------------------
    @property
    def wait_ms(self) -> int:
        """This composition's duration of the « Merci de patienter... » modal."""
        return WAIT_MS[self.wait]

    def words(self) -> dict[str, Any]:
        """Every wording this composition implies (typography, wordings, heading texts, amounts)."""
        return {**TYPOGRAPHY[self.typography], **WORDINGS[self.wordings], **HEADING_TEXTS[self.heading_texts],
                **AMOUNTS[self.amount_grouping], **AMOUNTS[self.amount_currency + "_currency"]}

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "seed": self.seed, **asdict(self)}

    @classmethod
    def from_json(cls, data: Any) -> "Composition":
        """``"bootstrap"``, ``{"name": "bootstrap", "question": "select"}`` or ``{"composition": N, …}``;
        ValueError if malformed."""
        if isinstance(data, str):
            return cls.named(data)
        if not isinstance(data, dict):
            raise ValueError("a skin name or a JSON object is expected")
        aspects = {k: v for k, v in data.items() if k not in ("name", "seed", "composition")}
        unknown = set(aspects) - set(ASPECTS)
        if unknown:
            raise ValueError(f"unknown aspects: {sorted(unknown)}")
        if "composition" in data:
            base = cls.from_seed(data["composition"])
        else:
            base = cls.named(data["name"]) if "name" in data else cls()
        return cls(**{**asdict(base), **aspects})


Skin = Composition


def as_skin(value: "Composition | str | int | None") -> Composition:
    """A Composition from a Composition, a preset name, a seed or None (the default)."""
    if value is None:
        return PRESETS["classique"]
    if isinstance(value, Composition):
        return value
    if isinstance(value, str):
        return Composition.named(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Composition.from_seed(value)
    raise TypeError("skin must be a Composition, a preset name or a composition number")


# Named presets: fixed examples, each a plausible generation of the portal.
PRESETS: dict[str, Composition] = {
    # today's markup, the default: composition 0
    "classique": Composition(),
    # a Bootstrap 3 generation (~2016): buttons everywhere, ?etape=N routes, a tarteaucitron banner
    "bootstrap": Composition(
        routes="query_steps", headings="styled_divs", heading_texts="numbered", factures_place="tile_only",
        tile_shape="badge_before", adhesion_place="toolbar", ctl_adhesion="button", read_mode="definition_list",
        question="wrapped_hidden_inputs", ctl_next_step="button", typography="title_case", wordings="username",
        consent="tarteaucitron", wait="long", error_pages="bootstrap_alert", invoice_table="reduced_columns",
        status_words="reglee_a_regler"),
    # an accessibility rework (~2023): ARIA roles everywhere, a post-back wizard, a Didomi popup
    "accessible": Composition(
        routes="postback", headings="aria_headings", heading_texts="terse", factures_place="tile_only",
        tile_shape="title_description", ctl_mes_factures="role_link", adhesion_place="tab_bar_link",
        ctl_adhesion="role_link", read_mode="sentence", ctl_modifier="role_button", question="aria_radiogroup",
        ctl_next_step="role_button", ctl_valider="role_button", typography="narrow_spaces", wordings="email",
        consent="didomi", wait="instant", error_pages="app_offline", invoice_table="icons",
        status_words="payee_en_attente", amount_grouping="nnbsp"),
    # an old WebForms-looking generation (~2015): inputs, capitals without accents, a long wait
    "historique": Composition(
        routes="postback", headings="styled_divs", heading_texts="none", factures_place="menu_only",
        ctl_mes_factures="split_words", ctl_adhesion="input_button", read_mode="table_row",
        ctl_modifier="input_button", question="no_fieldset", ctl_next_step="input_submit",
        ctl_valider="input_submit", typography="caps_no_accents", consent="home_made", wait="very_long",
        error_pages="app_offline", amount_grouping="space", amount_currency="euro_space"),
    # a recent generation (~2025): links styled as buttons, an Axeptio widget, tiles with badges
    "moderne": Composition(
        heading_texts="terse", factures_place="tile_only", tile_shape="badge_after", adhesion_place="tab_bar_link",
        read_mode="disabled_radios", ctl_modifier="a_hash", ctl_next_step="a_javascript", ctl_valider="a_hash",
        typography="title_case", wordings="username", consent="axeptio", error_pages="bootstrap_alert",
        invoice_table="icons", status_words="payee_en_attente"),
}

SKINS: tuple[str, ...] = tuple(PRESETS)
