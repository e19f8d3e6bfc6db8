"""The one table of the replica's renderings: every aspect of a page, every way the replica draws it.

A *composition* (skins.py) picks one rendering per aspect, independently; the templates of
``fixtures/pages/`` draw what it picks. Each rendering carries its source, as docs/portal.md marks
the facts: ``seed`` (the help page's words), ``seen`` (a public source shows it) or ``guess``
(plausible, seen nowhere). What is [seen] or [seed] and never varies (public routes, login fields,
invoice rows' classes and detail ids, the help page's words modulo typography) is no aspect at all.

The first rendering of every aspect is today's markup (the ``classique`` preset, composition 0).
A rendering marked ``stop`` is one the assistant must refuse to go through (two billing accounts
offering the adhesion, a dialog a person must answer): it is never drawn at random, only asked for
by name. fixtures/README.md, « Compositions », shows this table (a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("seed", "seen", "guess")


@dataclass(frozen=True)
class Rendering:
    """One way of drawing an aspect: its key, where the idea comes from, what is served."""

    key: str
    source: str
    description: str
    #: True: a page the assistant must stop on (never in the random pool of normal renderings)
    stop: bool = False


def _r(key: str, source: str, description: str, stop: bool = False) -> Rendering:
    return Rendering(key, source, description, stop)


# the element kinds of a control; nav = a control that leads to a page (or opens a panel), act = one
# that acts on the page (MODIFIER, « Aller à l’étape 2 », VALIDER)
_KINDS: dict[str, tuple[str, str]] = {
    "a_href": ("guess", "<a href=URL> (MODIFIER: a link to the step in edit mode)"),
    "a_hash": ("guess", "<a href=\"#\"> and a script (a nav control: onclick sets the location)"),
    "a_javascript": ("guess", "<a href=\"javascript:void(0)\"> and a script"),
    "button": ("guess", "<button> (nav: a GET form's submit button; act: type=button or type=submit)"),
    "input_submit": ("guess", "<input type=submit value=…> (nav or MODIFIER: in a GET form)"),
    "input_button": ("guess", "<input type=button value=…> and a script"),
    "input_image": ("guess", "<input type=image src=icon alt=…> (nav or MODIFIER: in a GET form)"),
    "role_button": ("guess", "<span role=button tabindex=0> and onclick/script"),
    "role_link": ("guess", "<div role=link tabindex=0> and onclick/script"),
    "role_tab": ("guess", "<span role=tab tabindex=0> in a role=tablist, and onclick/script"),
    "role_menuitem": ("guess", "<li role=menuitem tabindex=0> in a role=menu, and onclick/script"),
    "tile": ("guess", "a whole clickable tile (<a> or <button>): icon, counter if any, the words, a sub-title"),
    "split_words": ("guess", "the words split over elements: <span>Mes</span> <span>factures</span>, <span>M</span>ODIFIER"),
}


def _kinds(first: str, source_of_first: str | None = None, *, skip: tuple[str, ...] = ()) -> tuple[Rendering, ...]:
    """Every control kind, ``first`` first (today's markup); ``skip`` the kinds that cannot serve."""
    order = [first] + [k for k in _KINDS if k != first and k not in skip]
    return tuple(_r(k, source_of_first if k == first and source_of_first else _KINDS[k][0], _KINDS[k][1])
                 for k in order)


ASPECTS: dict[str, tuple[Rendering, ...]] = {
    "login": (
        _r("classic", "seen", "form#idFormConnexion posting to Home/Logon"),
        _r("modal", "seen", "« Mon espace perso » opens a modal posting to Home/LogonAjax (JSON)"),
    ),
    "routes": (
        _r("path_steps", "guess", "Demande/NouvelleDemande/FACTURE/ADHESION, then /Recapitulatif, /Valider, "
                                  "/Confirmation (302 between steps)"),
        _r("query_steps", "guess", "Demarches/FactureEnLigne/Adhesion?etape=1, ?etape=2&IdDemarche=W, ?etape=3&IdDemarche=W"),
        _r("postback", "guess", "Demarche/Saisie/AdhesionFactureEnLigne: every step POSTs to this one URL"),
    ),
    "headings": (
        _r("h_tags", "guess", "real <h1>/<h2>/<h3>"),
        _r("styled_divs", "guess", "<div class=\"titre\">, <p class=\"h2\">: no heading role"),
        _r("aria_headings", "guess", "<div role=\"heading\" aria-level=\"N\">"),
    ),
    "heading_texts": (
        _r("classic", "seen", "« Ma demande », « Le récapitulatif », « Mes factures », « Mon tableau de bord »"),
        _r("numbered", "guess", "« Étape 1 – Votre demande », « Récapitulatif », « Mon compte », « Mon tableau de bord »"),
        _r("terse", "guess", "no step 1 title, « Vérification », « Facturation », no dashboard title"),
        _r("none", "guess", "no step titles, no invoices page title, no dashboard title"),
    ),
    "factures_place": (
        _r("menu_and_tile", "guess", "« Mes factures » in the menu and as a dashboard tile"),
        _r("tile_only", "guess", "« Mes factures » as a dashboard tile only"),
        _r("menu_only", "guess", "« Mes factures » in the menu only"),
    ),
    "tile_shape": (
        _r("heading_paragraph", "guess", "a tile: the title as a heading, a paragraph under it"),
        _r("badge_before", "seen", "count badge before the title (.smarties, « 2 Mes démarches »), icon <img alt>"),
        _r("badge_after", "guess", "icon <img alt=\"Icône …\">, the title, a count badge after it"),
        _r("title_description", "guess", "the title and a description in spans"),
        _r("icon_counter_subtitle", "guess", "decorative icon, a counter, the title and a sub-title"),
    ),
    "ctl_mes_factures": _kinds("a_href"),
    "adhesion_place": (
        _r("paragraph_link", "guess", "its own page; the control in a paragraph under « Mes factures »' title"),
        _r("tab_bar_link", "guess", "its own page; the control in « Mes factures »' tab bar"),
        _r("toolbar", "guess", "its own page; the control in an action bar under the invoices"),
        _r("tab_panel", "seen", "a tab of « Mes factures » whose panel holds the adhesion (no navigation; "
                                "a commune's guide says « l'onglet »)"),
        _r("accordion", "guess", "a collapsible panel of « Mes factures » holding the adhesion"),
        _r("two_accounts", "guess", "two billing accounts on « Mes factures », each offering the adhesion", stop=True),
    ),
    "ctl_adhesion": _kinds("a_href"),
    "read_mode": (
        _r("label_strong", "guess", "<p><span class=\"libelle\">question</span> <strong>NON</strong></p>"),
        _r("definition_list", "guess", "<dl><dt>question</dt><dd>NON</dd></dl>"),
        _r("table_row", "guess", "<table><tr><th>question</th><td>NON</td></tr></table>"),
        _r("sentence", "guess", "« Votre réponse actuelle à la question « … » : NON. »"),
        _r("disabled_radios", "guess", "the two radios, disabled, the current one checked"),
        _r("disabled_select", "guess", "a disabled drop-down list labelled by the question, the current answer selected"),
        _r("badge", "guess", "the question, then the answer as a coloured badge"),
    ),
    "ctl_modifier": _kinds("button"),
    "question": (
        _r("fieldset_native", "guess", "<fieldset><legend> + <input type=radio> + <label for>"),
        _r("wrapped_hidden_inputs", "guess", "labels wrapping visually hidden radios (custom toggles)"),
        _r("aria_radiogroup", "guess", "role=radiogroup labelled by the question, role=radio aria-checked spans"),
        _r("no_fieldset", "guess", "the question in a <p>, then the radios, no fieldset"),
        _r("select", "guess", "<label for> + <select> with « -- », OUI, NON"),
        _r("checkbox", "guess", "<fieldset><legend>question</legend> one checkbox labelled OUI (unchecked: NON)"),
        _r("switch", "guess", "<button role=switch aria-checked> labelled by the question, « NON » and « OUI » on its sides"),
        _r("toggle_buttons", "guess", "role=group of two <button aria-pressed> OUI / NON"),
        _r("segmented", "guess", "Bootstrap 5 segmented group: role=group, .btn-check radios + <label class=btn>"),
    ),
    "ctl_next_step": _kinds("a_hash", "seen", skip=("a_href",)),
    "ctl_valider": _kinds("button", "seen", skip=("a_href",)),
    "confirmation": (
        _r("number_and_status", "seen", "« N° de demande : 2026-000123 », « Statut : Acceptée »"),
        _r("number_in_sentence", "guess", "« Votre demande n° 2026-000123 a bien été enregistrée. »"),
        _r("no_number", "guess", "« Votre demande a bien été prise en compte. »: no number at all"),
        _r("back_to_step1", "guess", "back on step 1 (read mode, the new answer) with a message, no number"),
    ),
    "typography": (
        _r("seed", "seed", "« MODIFIER », « Aller à l’étape 2 », « VALIDER », « OUI » as the help page writes them"),
        _r("title_case", "guess", "« Modifier », « Aller à l'étape 2 », « Valider », « Oui »; U+00A0 before « ? »"),
        _r("caps_no_accents", "guess", "« MODIFIER », « ALLER A L'ETAPE 2 », « VALIDER »"),
        _r("narrow_spaces", "guess", "U+202F before « ? », « l’étape\u00a02 », « Mes factures (2) »"),
    ),
    "wordings": (
        _r("classic", "guess", "« Identifiant », « Identifiant ou mot de passe incorrect. », « en cours de traitement »"),
        _r("username", "guess", "« Nom d’utilisateur », « … invalide. », « en attente de validation », « Patientez... »"),
        _r("email", "guess", "« Adresse e-mail », « Une demande est déjà en cours », « Veuillez patienter… »"),
    ),
    "consent": (
        _r("none", "guess", "no consent overlay"),
        _r("tarteaucitron", "guess", "tarteaucitron-like: « Tout accepter », « Tout refuser », « Personnaliser »"),
        _r("axeptio", "guess", "Axeptio-like: « OK pour moi », « Non merci », close button"),
        _r("didomi", "guess", "Didomi-like: « Accepter & Fermer », « Continuer sans accepter → », « En savoir plus »"),
        _r("home_made", "guess", "home-made: « J’accepte » and « × Fermer » only"),
        _r("words_only", "guess", "an overlay known by its words only: no vendor id or class, no dialog role"),
        _r("shadow_root", "guess", "the same, drawn in a custom element's (open) shadow root"),
    ),
    "notice": (
        _r("none", "guess", "nothing after the login"),
        _r("jai_compris", "guess", "an informative dialog after the login, closed by « J'ai compris »"),
        _r("fermer", "guess", "an informative dialog after the login, closed by « Fermer »"),
        _r("croix", "guess", "an informative dialog after the login, closed by « × » (aria-label « Fermer »)"),
        _r("fields", "guess", "a dialog asking to update the phone number (fields, « Enregistrer »)", stop=True),
        _r("survey", "guess", "a satisfaction survey covering the page (« Envoyer mon avis »)", stop=True),
        _r("attestation", "guess", "an attestation to tick (« J'atteste sur l'honneur… », « Valider »)", stop=True),
        _r("second_factor", "guess", "a code received by SMS to type (« Vérifier »)", stop=True),
    ),
    "wait": (
        _r("short", "seen", "« Merci de patienter... » for 400 ms"),
        _r("instant", "guess", "0 ms"),
        _r("long", "guess", "3 s"),
        _r("very_long", "guess", "10 s"),
    ),
    "error_pages": (
        _r("classic", "guess", "public layout, <h1> title and a paragraph"),
        _r("bootstrap_alert", "guess", "public layout, <div class=\"alert alert-danger\" role=\"alert\">, no heading"),
        _r("app_offline", "guess", "bare page without the portal's layout (IIS app_offline.htm style)"),
    ),
    "invoice_table": (
        _r("classic", "guess", "8 columns, the status a span, « Payer » a green link"),
        _r("reduced_columns", "guess", "6 columns, the status a label, « Payer en ligne » a button-styled link"),
        _r("icons", "guess", "a selection cell first, the status an icon with a text alternative, « Payer » a GET form's button"),
    ),
    "status_words": (
        _r("payee_a_payer", "guess", "« Payée » / « À payer »"),
        _r("reglee_a_regler", "guess", "« Réglée » / « À régler »"),
        _r("payee_en_attente", "guess", "« Payée » / « En attente de paiement »"),
        _r("reglee_non_reglee", "guess", "« Réglée » / « Non réglée »"),
        _r("acquittee_impayee", "guess", "« Acquittée » / « Impayée »"),
        _r("soldee_a_payer", "guess", "« Soldée » / « À payer »"),
        _r("prelevee_prelevement", "guess", "« Prélevée » / « Prélèvement en cours »: a family on direct debit, "
                                            "whose invoices not paid yet are being debited"),
    ),
    "detail_status": (
        _r("fixed", "guess", "the invoice detail fragment says « Payée » / « À payer » whatever the table's words "
                             "(« Prélèvement en cours » for an invoice being debited, as the table says)"),
        _r("as_table", "guess", "the detail fragment says the table's status word (status_words, status_case)"),
    ),
    "status_case": (
        _r("as_written", "guess", "the words as the vocabulary writes them (« Partiellement réglée » for a part payment)"),
        _r("upper", "guess", "capitals with accents: « À PAYER »"),
        _r("lower", "guess", "lower case: « à payer »"),
        _r("no_accents", "guess", "capitals without accents: « A PAYER », « REGLEE »"),
    ),
    "amount_grouping": (
        _r("nbsp", "seen", "1 234,56: U+00A0 between thousands (.NET Framework's fr-FR)"),
        _r("nnbsp", "guess", "1 234,56: U+202F (.NET on ICU)"),
        _r("space", "guess", "1 234,56: a plain space"),
        _r("dot", "guess", "1.234,56"),
        _r("none", "guess", "1234,56"),
    ),
    "amount_currency": (
        _r("euro_nbsp", "seen", "« 1 234,56 € » (U+00A0 before €)"),
        _r("euro_space", "guess", "« 1 234,56 € » (a plain space)"),
        _r("none", "guess", "no « € » in the cell (the column says « Montant (€) »)"),
    ),
}

#: the renderings drawn at random (and numbered by a seed): every one but the must-stop ones
NORMAL: dict[str, tuple[str, ...]] = {a: tuple(r.key for r in rs if not r.stop) for a, rs in ASPECTS.items()}
#: aspect -> the must-stop renderings
STOPS: dict[str, tuple[str, ...]] = {a: tuple(r.key for r in rs if r.stop) for a, rs in ASPECTS.items()
                                     if any(r.stop for r in rs)}
CONTROL_ASPECTS = ("ctl_mes_factures", "ctl_adhesion", "ctl_modifier", "ctl_next_step", "ctl_valider")


def rendering(aspect: str, key: str) -> Rendering:
    """The table's entry (KeyError names an unknown one)."""
    for r in ASPECTS[aspect]:
        if r.key == key:
            return r
    raise KeyError(f"{aspect}={key}")


def keys(aspect: str) -> tuple[str, ...]:
    return tuple(r.key for r in ASPECTS[aspect])


def markdown_table() -> str:
    """The table as fixtures/README.md shows it (a test keeps the README equal to it)."""
    lines = ["| aspect | rendering | source | what is served |", "|---|---|---|---|"]
    for aspect, renderings in ASPECTS.items():
        for r in renderings:
            what = r.description.replace("<", "&lt;").replace("|", "&#124;")
            lines.append(f"| `{aspect}` | `{r.key}`{' (must stop)' if r.stop else ''} | {r.source} | {what} |")
    return "\n".join(lines)
