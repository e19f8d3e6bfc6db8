"""The public home ``Home/AccueilPublic`` and the login, in both portal generations [seen].

Classic: ``form#idFormConnexion`` posts to ``Home/Logon``; a refusal re-shows the form with the
message in ``span.erreurLogin``. Newer: a « Mon espace perso » button opens :class:`LoginModal`,
which posts to ``Home/LogonAjax`` and gets JSON back. Which one a tenant serves is found at run
time. The password is revealed only inside ``fill()`` and never logged (the label is).
"""

from __future__ import annotations

import json
import re

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..config import Secret
from ..errors import (AssistantError, ConfigError, LoginRejected, NeedsHuman, PasswordChangeRequired,
                      PortalChanged, PortalUnavailable, PortalUnreachable, SessionExpired)
from .base import PortalPage
from .browser_error import wait_shown_or_error_page
from .clues import Clue
from .controls import control
from .dashboard import DashboardPage
from .interruptions import (HOME_PATH, HOME_TITLE, check_interruptions, interruption_signals, login_signals,
                            public_home_shown)
from .login_modal import LOGIN_BUTTON, LoginModal, password_field, username_field
from .password_change import PasswordChangePage

# The portal's login messages (span.erreurLogin, or the JSON ``Message`` of LogonAjax [seen]), first
# match wins: a blocked account's message often also speaks of the password, so it comes first.
# Their wording is not public [guess]: an unknown one is a refusal, shown to the agent as the portal said it.
LOGIN_MESSAGES: tuple[tuple[re.Pattern[str], type[AssistantError], str], ...] = (
    (re.compile(r"bloqu|verrouill|d[ée]sactiv|suspendu|trop\s+de\s+tentatives", re.I), NeedsHuman,
     "Le compte est bloqué sur le portail : la famille ou le service doit le débloquer."),
    (re.compile(r"captcha|pas\s+un\s+robot|code\s+de\s+s[ée]curit[ée]", re.I), NeedsHuman,
     "Le portail demande une vérification (captcha) qu’une personne doit faire."),
    (re.compile(r"(?:changer|modifier|renouveler|choisir)\s+(?:un\s+|votre\s+)?(?:nouveau\s+)?mot\s+de\s+passe"
                r"|mot\s+de\s+passe\s+(?:a\s+)?expir", re.I), PasswordChangeRequired,
     "Le portail demande de changer le mot de passe : la famille doit le faire elle-même."),
    (re.compile(r"maintenance|indisponible", re.I), PortalUnavailable,
     "Le portail est indisponible pour le moment."),
    (re.compile(r"session\s+(?:a\s+)?expir", re.I), SessionExpired,
     "La session a expiré pendant la connexion."),
    (re.compile(r"identifiant|utilisateur|mot\s+de\s+passe|incorrect|invalide|erron|inconnu", re.I), LoginRejected,
     "Le portail a refusé l’identifiant ou le mot de passe."),
)
# [seen] some tenants log in through an external identity provider (Grand Lyon Connect); [guess] its link's words.
SSO_WORDS = re.compile(r"connect|se\s+connecter|s.identifier|identifiez-vous|connexion", re.IGNORECASE)


def login_error(message: str, *, page: str | None = None, url: str | None = None) -> AssistantError:
    """The typed error for a login message of the portal (unknown wording: a refusal)."""
    text = " ".join(message.split())
    for pattern, error, sentence in LOGIN_MESSAGES:
        if pattern.search(text):
            return error(f"{sentence} Message du portail : « {text} »", page=page, url=url)
    return LoginRejected(f"Le portail a refusé la connexion. Message du portail : « {text} »", page=page, url=url)


class HomePage(PortalPage):
    """« Accueil » — GET /{tenant}/espace-citoyens/Home/AccueilPublic, with the login."""

    PATH = HOME_PATH  # [seen] Home/AccueilPublic, Home/Logon
    TITLE = HOME_TITLE
    PRIVATE = False
    PROOFS = (
        Clue("seen", "le champ « Identifiant »", lambda p: p.username_field),
        Clue("seen", "« Mon espace perso »", lambda p: p.modal_button, words="Mon espace perso"),
        Clue("seen", "un lien de connexion extérieure", lambda p: p.sso_link),
    )

    # -- controls --------------------------------------------------------------------------
    @property
    def password_field(self) -> Locator:
        return password_field(self.page)

    @property
    def username_field(self) -> Locator:
        return username_field(self.page)

    @property
    def login_form(self) -> Locator:
        # why: the classic form (form#idFormConnexion [seen]) is found as the form with a password field
        return self.page.locator("form").filter(has=self.password_field).filter(visible=True).first

    @property
    def modal_button(self) -> Locator:
        return control(self.page, "Mon espace perso")  # [seen]

    @property
    def sso_link(self) -> Locator:
        return self.page.get_by_role("link", name=SSO_WORDS)  # [guess] words of an external login link

    @property
    def error_message(self) -> Locator:
        # why: `span.erreurLogin` is where the portal writes its login messages [seen]
        return self.page.locator(".erreurLogin").or_(self.page.get_by_role("alert")).filter(visible=True)

    @property
    def login_signals(self) -> Locator:
        """What only a logged-out visitor sees: a password field or « Mon espace perso »."""
        return login_signals(self.page)

    def shown_instead(self) -> bool:
        """The public home (or its login) is what the browser shows now."""
        return public_home_shown(self.page)

    def personal_data(self) -> list[Locator]:
        return [self.username_field, self.password_field]

    # -- actions ---------------------------------------------------------------------------
    def open(self) -> "HomePage":
        """Open ``Home/AccueilPublic`` and wait for a way to log in (PortalUnavailable if it cannot)."""
        response = self.goto("Home/AccueilPublic")
        if response is not None and response.status == 404:
            # the portal answers 404 under an unknown commune's name: the address is wrong, not the page
            raise PortalUnreachable(
                f"Commune « {self.settings.tenant} » inconnue du portail : {self.page.url} répond « page introuvable ».",
                page=self.TITLE, url=self.page.url)
        return self.wait_until_here()

    def log_in(self) -> DashboardPage:
        """Open the public home and log in with the settings' credentials; return the dashboard."""
        return self.open().login(self.settings.username, self.settings.password)

    def login(self, username: str | None, password: Secret | None) -> DashboardPage:
        """Log in with whichever generation the tenant serves; return the dashboard.

        Raises LoginRejected, PasswordChangeRequired, NeedsHuman (blocked account, captcha,
        external SSO), PortalUnavailable, PortalChanged.
        """
        if not username:
            raise ConfigError("Identifiant manquant (ESPACE_CITOYENS_USERNAME).", key="ESPACE_CITOYENS_USERNAME")
        if not password:
            raise ConfigError("Mot de passe manquant (ESPACE_CITOYENS_PASSWORD).", key="ESPACE_CITOYENS_PASSWORD")
        if self.username_field.filter(visible=True).count():
            logger.debug("connexion : formulaire classique")
            return self._login_classic(username, password)
        if self.modal_button.filter(visible=True).count():
            logger.debug("connexion : fenêtre « Mon espace perso »")
            return self._login_modal(username, password)
        raise self.external_login_or_drift()

    def external_login_or_drift(self) -> AssistantError:
        """No username field: an external identity provider (NeedsHuman) or a changed page."""
        for name, href in self._external_links():
            if SSO_WORDS.search(name):
                return NeedsHuman(
                    f"La connexion passe par un service extérieur (« {name.strip()} ») : "
                    "la famille doit se connecter elle-même.", page=self.TITLE, url=self.page.url, control=href)
        return PortalChanged("Sur la page d’accueil, aucun champ « Identifiant » ni bouton « Mon espace perso ».",
                             page=self.TITLE, url=self.page.url, control="Identifiant")

    def _external_links(self) -> list[tuple[str, str]]:
        links = self.page.get_by_role("link").filter(visible=True)
        found = links.evaluate_all(
            "els => els.filter(a => a.href && new URL(a.href, location.href).origin !== location.origin)"
            ".map(a => [a.innerText || a.getAttribute('aria-label') || '', a.href])")
        return [(name, href) for name, href in found]

    def _fill(self, field: Locator, value: str, control: str) -> None:
        logger.info("fill « {} »", control)
        self.clear_overlays(target=field, control=control)
        try:
            field.fill(value, timeout=self.settings.timeouts.action)
        except PlaywrightTimeout as exc:
            raise self.missing(control) from exc

    def _check_captcha(self, scope: Locator) -> None:
        # why: captcha widgets live in iframes named after their provider; no label to go by
        # [guess] no captcha at login is public; the widgets' own markup is the vendors'
        widget = scope.locator("iframe[src*=captcha], iframe[title*=captcha i], .g-recaptcha, .h-captcha")
        if widget.or_(scope.get_by_text(re.compile(r"pas\s+un\s+robot", re.I))).count():
            raise NeedsHuman("Le portail demande un captcha à la connexion : une personne doit se connecter.",
                             page=self.TITLE, url=self.page.url, control="captcha")

    def _login_classic(self, username: str, password: Secret) -> DashboardPage:
        form = self.login_form
        self._check_captcha(form)
        self._fill(username_field(form).first, username, "Identifiant")
        self._fill(password_field(form).first, password.reveal(), "Mot de passe")
        submit = form.get_by_role("button", name=LOGIN_BUTTON)  # [seen] « Connexion »
        logger.info("click « Connexion »")
        if submit.count() == 1:
            self.click(submit, "Connexion")
        else:  # Enter submits the classic form [seen]
            password_field(form).first.press("Enter")
        return self._after_submit()

    def _login_modal(self, username: str, password: Secret) -> DashboardPage:
        logger.info("click « Mon espace perso »")
        self.click("Mon espace perso")
        modal = LoginModal(self.page, self.settings)
        try:
            expect(modal.marker.or_(self.sso_link.filter(visible=True)).first).to_be_visible(
                timeout=self.settings.timeouts.action)
        except AssertionError as exc:
            raise PortalChanged("La fenêtre « Mon espace perso » ne s’est pas ouverte.", page=modal.TITLE,
                                url=self.page.url, control="Mon espace perso") from exc
        if not modal.shown():
            raise self.external_login_or_drift()
        self._check_captcha(modal.root)
        self._fill(modal.username, username, "Identifiant")
        self._fill(modal.password, password.reveal(), "Mot de passe")
        logger.info("click « Connexion »")
        answers: list = []

        def keep(response) -> None:
            if re.search(r"/Home/LogonAjax", response.url, re.IGNORECASE):
                answers.append(response)

        # what the person sees decides (the dashboard, or the message the modal shows); the JSON
        # answer of LogonAjax [seen] is the second source, for a modal that shows nothing readable
        self.page.on("response", keep)
        try:
            if modal.submit.count() == 1:
                self.click(modal.submit, "Connexion")
            else:  # no single « Connexion » button: Enter submits the form, as a person would
                modal.password.press("Enter")
            return self._after_submit(ajax=answers)
        finally:
            self.page.remove_listener("response", keep)

    def _ajax_error(self, answers: list) -> AssistantError | None:
        """The typed error LogonAjax's JSON answer gives, if it can still be read."""
        for response in answers:
            if response.status >= 500:
                return PortalUnavailable(f"Le portail a répondu par une erreur (HTTP {response.status}) à la connexion.",
                                         page=LoginModal.TITLE, url=self.page.url)
            try:
                data = json.loads(response.body().decode("utf-8"))
            except (PlaywrightError, json.JSONDecodeError, UnicodeDecodeError):
                continue
            if not isinstance(data, dict) or str(data.get("Status", "")).upper() == "OK":
                continue
            if re.search(r"MDP|MOT_?DE_?PASSE|PASSWORD|CHANGE", str(data.get("Status", "")), re.IGNORECASE):
                return PasswordChangePage(self.page, self.settings).refuse()
            if data.get("Message"):
                return login_error(str(data["Message"]), page=LoginModal.TITLE, url=self.page.url)
        return None

    def _after_submit(self, ajax: list | None = None) -> DashboardPage:
        """Wait for « the dashboard or what the portal said instead » and sort it out."""
        dashboard = DashboardPage(self.page, self.settings)
        change = PasswordChangePage(self.page, self.settings)
        modal = LoginModal(self.page, self.settings)
        outcome = (dashboard.marker.or_(change.awaited).or_(self.error_message).or_(modal.error_message)
                   .or_(interruption_signals(self.page, private=False)))
        try:
            answered = wait_shown_or_error_page(self.page, outcome.filter(visible=True).first,
                                                self.settings.timeouts.navigation)
        except PlaywrightTimeout as exc:
            check_interruptions(self.page, self.settings, private=False)
            said = self._ajax_error(ajax or [])
            if said:
                raise said from exc
            if dashboard.url_matches():
                return dashboard  # known by its public address [seen]
            self.clear_overlays()  # a window over the page instead (a second factor) is a person's to answer
            raise PortalChanged("Après « Connexion », ni le tableau de bord ni un message du portail.",
                                page=self.TITLE, url=self.page.url, control="Connexion") from exc
        if not answered:  # Chromium's own error page: the portal did not answer (raises PortalUnavailable)
            check_interruptions(self.page, self.settings, private=False)
        if change.shown():
            raise change.refuse()
        if dashboard.shown():
            # the usual case; what shows over the dashboard at once (an announcement, a second factor) is
            # dealt with before any step: closed when purely informative, else a person's to answer
            dashboard.clear_overlays()
            return dashboard
        errors = self.error_message.or_(modal.error_message)
        if errors.count():
            raise login_error(errors.first.inner_text(), page=self.TITLE, url=self.page.url)
        check_interruptions(self.page, self.settings, private=False)
        return dashboard.wait_until_here()
