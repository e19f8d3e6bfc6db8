"""Connexion à l’espace famille: the login step every journey starts with (both portal generations)."""

from __future__ import annotations

from assistant.pages.home import HomePage
from assistant.steps import Step

LOGIN_TITLE = "Connexion à l’espace famille"
LOGIN = Step(0, LOGIN_TITLE, HomePage.log_in)
