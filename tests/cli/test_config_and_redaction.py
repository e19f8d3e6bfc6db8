"""Settings, secrets and the redactor: the values that must never leak, and the URLs we build."""

from __future__ import annotations

import zipfile

import pytest

from assistant.config import Secret, Settings, normalise_base_url, tenant_base_url
from assistant.errors import ConfigError
from assistant.outcomes import OUTCOMES
from assistant.redact import MASK, Redactor


def test_secret_never_shows_itself():
    secret = Secret("hunter2-pw")
    assert (repr(secret), str(secret), f"{secret}") == ("Secret('***')", "***", "***")
    assert secret.reveal() == "hunter2-pw"


def test_settings_repr_hides_the_password():
    settings = Settings().with_credentials("famille.x", "hunter2-pw")
    assert "hunter2-pw" not in repr(settings)


@pytest.mark.parametrize("tenant", ["grandperigueux", "maisons-alfort", "ville2"])
def test_tenant_base_url_accepts_hyphenated_slugs(tenant):
    assert tenant_base_url(tenant) == f"https://www.espace-citoyens.net/{tenant}/espace-citoyens/"


@pytest.mark.parametrize("tenant", ["Grand_Perigueux", "", "a/b", "-x"])
def test_tenant_base_url_rejects_bad_slugs(tenant):
    with pytest.raises(ConfigError) as exc:
        tenant_base_url(tenant)
    assert exc.value.key == "--tenant"


@pytest.mark.parametrize("given,expected", [
    ("https://www.espace-citoyens.net/grandperigueux/espace-citoyens", "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"),
    ("https://famille.example.fr/ville/espace-citoyens/Home/AccueilPublic", "https://famille.example.fr/ville/espace-citoyens/"),
])
def test_base_url_is_normalised(given, expected):
    assert normalise_base_url(given) == expected


@pytest.mark.parametrize("bad", ["ftp://x/espace-citoyens/", "www.espace-citoyens.net/x/espace-citoyens/", "https://x.fr/autre/"])
def test_bad_base_url_names_the_key_not_the_value(bad):
    with pytest.raises(ConfigError) as exc:
        normalise_base_url(bad, key="--base-url")
    assert exc.value.key == "--base-url" and bad not in exc.value.message


def test_env_settings_read_url_and_credentials():
    settings = Settings.from_env({"ESPACE_CITOYENS_URL": "http://127.0.0.1:9/t/espace-citoyens",
                                  "ESPACE_CITOYENS_USERNAME": "u1", "ESPACE_CITOYENS_PASSWORD": "p1"})
    assert (settings.base_url, settings.username, settings.password.reveal(), settings.tenant) == (
        "http://127.0.0.1:9/t/espace-citoyens/", "u1", "p1", "t")


def test_redactor_scrubs_plain_html_and_json_forms():
    r = Redactor()
    r.add(Secret('p<w>"d&1'), "Claire MARTIN", "ab")
    text = 'a p<w>"d&1 b p&lt;w&gt;&quot;d&amp;1 c "p<w>\\"d&1" Claire MARTIN ab'
    assert r.scrub(text) == f'a {MASK} b {MASK} c "{MASK}" {MASK} ab'


def test_redactor_rewrites_trace_archives(tmp_path):
    path = tmp_path / "trace.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("trace.trace", '{"value":"Claire MARTIN"}')
        z.writestr("resources/a.png", b"Claire MARTIN")
    r = Redactor()
    r.add("Claire MARTIN")
    r.scrub_zip(path)
    with zipfile.ZipFile(path) as z:
        assert z.read("trace.trace").decode() == '{"value":"' + MASK + '"}'
        assert z.read("resources/a.png") == b"Claire MARTIN"  # images are masked by locator, not bytes


def test_every_outcome_of_the_report_vocabulary_has_an_exit_code_and_french_text():
    required = {"done": 0, "already_done": 0, "pending": 0, "rehearsed": 0, "login_rejected": 1,
                "password_change_required": 5, "session_expired": 3, "portal_unavailable": 3,
                "portal_changed": 4, "needs_human": 5}
    assert {k: OUTCOMES[k].exit_code for k in required} == required
    assert all(o.sentence and o.next_action for o in OUTCOMES.values())
