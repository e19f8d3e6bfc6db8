"""Skins: every [guess] of docs/portal.md becomes a choice of the replica.

Nobody here has seen the real portal's markup for the adhesion wizard, the dashboard tiles, the
invoice table's status column... A skin picks one plausible markup generation per guessed
*aspect* (a field of :class:`Skin`, whose value names one generation). The [seen] and [seed]
facts never vary: routes ``MonCompte``/``CompteCitoyen``/``Home/Logon``..., the login fields, the
invoice rows' classes and detail ids, the greeting, the help page's words.

``Skin.named("bootstrap")`` gives a preset; ``dataclasses.replace(skin, radios="aria_radiogroup")``
changes one aspect. The templates in ``fixtures/pages/`` read the skin (macros in ``_skin.html``);
the words each value implies live in the tables below. See fixtures/README.md, « Skins ».
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from .skin_words import HEADING_TEXTS, TYPOGRAPHY, WAIT_MS, WORDINGS

# aspect -> value -> what that value serves (the first value of each aspect is today's markup)
ASPECTS: dict[str, dict[str, str]] = {
    "routes": {
        "path_steps": "Demande/NouvelleDemande/FACTURE/ADHESION, then /Recapitulatif, /Valider, /Confirmation (302 between steps)",
        "query_steps": "Demarches/FactureEnLigne/Adhesion?etape=1, ?etape=2&IdDemarche=W, ?etape=3&IdDemarche=W",
        "postback": "Demarche/Saisie/AdhesionFactureEnLigne: every step POSTs to this one URL, which never changes",
    },
    "adhesion_link": {
        "paragraph": "a paragraph under the page title",
        "tabs": "a tab of the « Mes factures » page's tab bar",
        "toolbar_button": "an action bar, styled as a button",
    },
    "headings": {
        "h_tags": "real <h1>/<h2>/<h3>",
        "styled_divs": "<div class=\"titre\">, <p class=\"h2\">: no heading role",
        "aria_headings": "<div role=\"heading\" aria-level=\"N\">",
    },
    "heading_texts": {
        "classic": "« Ma demande », « Le récapitulatif », « Mes factures », « Mon tableau de bord »",
        "numbered": "« Étape 1 – Votre demande », « Récapitulatif », « Mon compte », « Mon tableau de bord »",
        "terse": "no step 1 title, « Vérification », « Facturation », no dashboard title",
        "none": "no step titles, no invoices page title, no dashboard title",
    },
    "dashboard": {
        "menu_and_tile": "« Mes factures » in the menu and as a tile",
        "tile_badge_before": "tile only, count badge before the title (.smarties), icon <img alt>",
        "tile_badge_after": "tile only, count badge after the title, icon <img alt>",
        "menu_split_label": "menu only, label split: <span>Mes</span> <span>factures</span>",
        "tile_role_link": "tile only: <div role=\"link\" tabindex=\"0\"> with a description",
    },
    "controls": {
        "classic": "MODIFIER <button>, « Aller à l’étape 2 » <a href=\"#\">, VALIDER <button type=submit>",
        "buttons": "everything a <button> (the adhesion link a GET form's button)",
        "links": "everything an <a> (href=\"#\", href=\"javascript:void(0)\")",
        "inputs": "<input type=button|submit value=…>",
        "aria_roles": "<span role=\"button\" tabindex=\"0\">, <div role=\"link\" tabindex=\"0\">",
    },
    "radios": {
        "fieldset_native": "<fieldset><legend> + <input type=radio> + <label for>",
        "wrapped_hidden_inputs": "labels wrapping visually hidden radios (custom toggles)",
        "aria_radiogroup": "role=radiogroup labelled by the question, role=radio aria-checked spans",
        "no_fieldset": "the question in a <p>, then the radios, no fieldset",
    },
    "read_mode": {
        "label_strong": "<p><span class=\"libelle\">question</span> <strong>NON</strong></p>",
        "definition_list": "<dl><dt>question</dt><dd>NON</dd></dl>",
        "table_row": "<table><tr><th>question</th><td>NON</td></tr></table>",
        "sentence": "« Votre réponse actuelle à la question « … » : NON. »",
        "disabled_radios": "the two radios, disabled, the current one checked",
    },
    "typography": {
        "seed": "« MODIFIER », « Aller à l’étape 2 », « VALIDER », « OUI »; amounts 1 234,56 € (U+00A0)",
        "title_case": "« Modifier », « Aller à l'étape 2 », « Valider », « Oui »; U+00A0 before « ? »",
        "caps_no_accents": "« MODIFIER », « ALLER A L'ETAPE 2 », « VALIDER »; amounts with plain spaces",
        "narrow_spaces": "U+202F before « ? » and in amounts, « l’étape\u00a02 », « Mes factures (2) »",
    },
    "consent": {
        "none": "no consent banner",
        "tarteaucitron": "tarteaucitron-like banner: « Tout accepter », « Tout refuser », « Personnaliser »",
        "axeptio": "Axeptio-like widget: « OK pour moi », « Non merci », close button",
        "didomi": "Didomi-like popup: « Accepter & Fermer », « Continuer sans accepter → », « En savoir plus »",
        "home_made": "home-made: « J’accepte » and « × Fermer » only",
    },
    "wait": {
        "short": "« Merci de patienter... » for 400 ms",
        "instant": "0 ms",
        "long": "3 s",
        "very_long": "10 s",
    },
    "wordings": {
        "classic": "« Identifiant », « Identifiant ou mot de passe incorrect. », « en cours de traitement »",
        "username": "« Nom d’utilisateur », « … invalide. », « en attente de validation », « Patientez... »",
        "email": "« Adresse e-mail », « Une demande est déjà en cours », « Veuillez patienter… »",
    },
    "error_pages": {
        "classic": "public layout, <h1> title and a paragraph",
        "bootstrap_alert": "public layout, <div class=\"alert alert-danger\" role=\"alert\">, no heading",
        "app_offline": "bare page without the portal's layout (IIS app_offline.htm style)",
    },
    "invoices": {
        "classic": "8 columns, « Payée »/« À payer » spans, « Payer » a green link",
        "reduced_columns": "6 columns, « Réglée »/« À régler » labels, « Payer en ligne » a button-styled link",
        "icons": "a selection cell first, status as an icon with a text alternative, « Payer » a GET form's button",
    },
}

class UnknownSkin(ValueError):
    """A skin name that is not a preset; the message lists the presets (French, for the CLI)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"habillage inconnu « {name} » : choisir parmi {', '.join(SKINS)}")


@dataclass(frozen=True)
class Skin:
    """One plausible portal: a value (generation) per guessed aspect; defaults are today's markup."""

    routes: str = "path_steps"
    adhesion_link: str = "paragraph"
    headings: str = "h_tags"
    heading_texts: str = "classic"
    dashboard: str = "menu_and_tile"
    controls: str = "classic"
    radios: str = "fieldset_native"
    read_mode: str = "label_strong"
    typography: str = "seed"
    consent: str = "none"
    wait: str = "short"
    wordings: str = "classic"
    error_pages: str = "classic"
    invoices: str = "classic"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ASPECTS[f.name]:
                raise ValueError(f"aspect {f.name} : valeur inconnue « {value} » "
                                 f"(au choix : {', '.join(ASPECTS[f.name])})")

    @classmethod
    def named(cls, name: str) -> "Skin":
        """The preset called ``name``; UnknownSkin (a ValueError listing the presets) otherwise."""
        try:
            return PRESETS[name.strip().lower()]
        except KeyError:
            raise UnknownSkin(name) from None

    @property
    def name(self) -> str:
        """The preset this skin equals, else « personnalisé »."""
        return next((n for n, s in PRESETS.items() if s == self), "personnalisé")

    @property
    def wait_ms(self) -> int:
        """This skin's duration of the « Merci de patienter... » modal."""
        return WAIT_MS[self.wait]

    def words(self) -> dict[str, Any]:
        """Every wording this skin implies (typography, wordings, heading texts), for the templates."""
        return {**TYPOGRAPHY[self.typography], **WORDINGS[self.wordings], **HEADING_TEXTS[self.heading_texts]}

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, **asdict(self)}

    @classmethod
    def from_json(cls, data: Any) -> "Skin":
        """``"bootstrap"`` or ``{"name": "bootstrap", "radios": "aria_radiogroup"}``; ValueError if malformed."""
        if isinstance(data, str):
            return cls.named(data)
        if not isinstance(data, dict):
            raise ValueError("a skin name or a JSON object is expected")
        aspects = {k: v for k, v in data.items() if k != "name"}
        unknown = set(aspects) - set(ASPECTS)
        if unknown:
            raise ValueError(f"unknown aspects: {sorted(unknown)}")
        base = cls.named(data["name"]) if "name" in data else cls()
        return cls(**{**asdict(base), **aspects})


def as_skin(value: "Skin | str | None") -> Skin:
    """A Skin from a Skin, a preset name or None (the default)."""
    if value is None:
        return PRESETS["classique"]
    if isinstance(value, Skin):
        return value
    if isinstance(value, str):
        return Skin.named(value)
    raise TypeError("skin must be a Skin or a preset name")


# Named presets: together they use every value of every aspect at least once (a test checks it).
PRESETS: dict[str, Skin] = {
    # today's markup, the default
    "classique": Skin(),
    # a Bootstrap 3 generation (~2016): buttons everywhere, ?etape=N routes, a tarteaucitron banner
    "bootstrap": Skin(routes="query_steps", adhesion_link="toolbar_button", headings="styled_divs",
                      heading_texts="numbered", dashboard="tile_badge_before", controls="buttons",
                      radios="wrapped_hidden_inputs", read_mode="definition_list", typography="title_case",
                      consent="tarteaucitron", wait="long", wordings="username", error_pages="bootstrap_alert",
                      invoices="reduced_columns"),
    # an accessibility rework (~2023): ARIA roles everywhere, a post-back wizard, a Didomi popup
    "accessible": Skin(routes="postback", adhesion_link="tabs", headings="aria_headings", heading_texts="terse",
                       dashboard="tile_role_link", controls="aria_roles", radios="aria_radiogroup",
                       read_mode="sentence", typography="narrow_spaces", consent="didomi", wait="instant",
                       wordings="email", error_pages="app_offline", invoices="icons"),
    # an old WebForms-looking generation (~2015): inputs, capitals without accents, a long wait
    "historique": Skin(routes="postback", adhesion_link="paragraph", headings="styled_divs", heading_texts="none",
                       dashboard="menu_split_label", controls="inputs", radios="no_fieldset", read_mode="table_row",
                       typography="caps_no_accents", consent="home_made", wait="very_long", wordings="classic",
                       error_pages="app_offline", invoices="classic"),
    # a recent generation (~2025): links styled as buttons, an Axeptio widget, tiles with badges
    "moderne": Skin(routes="path_steps", adhesion_link="tabs", headings="h_tags", heading_texts="terse",
                    dashboard="tile_badge_after", controls="links", radios="fieldset_native",
                    read_mode="disabled_radios", typography="title_case", consent="axeptio", wait="short",
                    wordings="username", error_pages="bootstrap_alert", invoices="icons"),
}

SKINS: tuple[str, ...] = tuple(PRESETS)


# -- the adhesion wizard's routes per ``routes`` value (tenant-relative) ------------------------
WIZARD_PATHS = {
    "path_steps": "Demande/NouvelleDemande/FACTURE/ADHESION",
    "query_steps": "Demarches/FactureEnLigne/Adhesion",
    "postback": "Demarche/Saisie/AdhesionFactureEnLigne",
}

# the name of the cookie each consent tool keeps the visitor's choice in [guess]
CONSENT_COOKIES = {"tarteaucitron": "tarteaucitron", "axeptio": "axeptio_cookies", "didomi": "didomi_token",
                   "home_made": "consentementCookies"}


@dataclass(frozen=True)
class WizardRoutes:
    """Where each step of the adhesion wizard lives for one ``routes`` value (tenant-relative)."""

    family: str

    @property
    def start(self) -> str:
        """GET: step 1 (the adhesion link's target)."""
        return WIZARD_PATHS[self.family]

    @property
    def step1_action(self) -> str:
        return self.start + ("?etape=1" if self.family == "query_steps" else "")

    @property
    def valider_action(self) -> str:
        return {"path_steps": self.start + "/Valider", "query_steps": self.start + "?etape=2"}.get(self.family, self.start)

    def step_fields(self, step: int) -> dict[str, str]:
        """Hidden fields the post-back wizard needs to know which step is posted."""
        return {"Etape": str(step)} if self.family == "postback" else {}

    def recap(self, wizard_id: str) -> str | None:
        """GET of the recap (None for the post-back wizard: the recap answers step 1's POST)."""
        return {"path_steps": f"{self.start}/Recapitulatif?IdDemarche={wizard_id}",
                "query_steps": f"{self.start}?etape=2&IdDemarche={wizard_id}"}.get(self.family)

    def confirmation(self, wizard_id: str) -> str | None:
        return {"path_steps": f"{self.start}/Confirmation?IdDemarche={wizard_id}",
                "query_steps": f"{self.start}?etape=3&IdDemarche={wizard_id}"}.get(self.family)
