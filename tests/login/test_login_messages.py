"""The login's message table: each French message the portal shows at the door, its typed outcome."""

from __future__ import annotations

import pytest

from assistant.errors import LoginRejected, NeedsHuman, PasswordChangeRequired, PortalUnavailable, SessionExpired
from assistant.pages.home import login_error


@pytest.mark.parametrize(("message", "error"), [
    ("Identifiant ou mot de passe incorrect.", LoginRejected),
    ("Nom d'utilisateur inconnu", LoginRejected),
    ("Votre compte est bloqué suite à trop de tentatives avec un mot de passe incorrect.", NeedsHuman),
    ("Compte verrouillé, contactez votre mairie", NeedsHuman),
    ("Veuillez saisir le captcha", NeedsHuman),
    ("Votre mot de passe a expiré, vous devez changer votre mot de passe.", PasswordChangeRequired),
    ("Le site est en maintenance", PortalUnavailable),
    ("Votre session a expiré", SessionExpired),
    ("Quelque chose d’inattendu", LoginRejected),
])
def test_login_messages_map_to_their_outcome(message, error):
    found = login_error(message)
    assert type(found) is error
    assert message.split()[0] in found.message
