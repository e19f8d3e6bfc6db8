"""Bad input stops at once with a French message and exit 2: no traceback, no secret echoed,
nothing sent to a portal (the production portal least of all), no report written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.browser import NO_DISPLAY
from assistant.cli import main
from assistant.config import (ENV_PASSWORD, ENV_URL, ENV_USERNAME, MAX_CREDENTIAL_LENGTH, check_credentials,
                              normalise_base_url)
from assistant.errors import ConfigError
from support import python

SECRET = "s3cr3t-Martin"
# port 9 (discard): were the check missing, the run would fail fast there instead of reaching a portal
PORTAL = "http://127.0.0.1:9/grandperigueux/espace-citoyens/"


@pytest.fixture(autouse=True)
def family_env(monkeypatch, tmp_path):
    """Credentials of a family in the environment, no .env (the working folder is empty)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_USERNAME, "famille.martin")
    monkeypatch.setenv(ENV_PASSWORD, "Martin-2026")


def run(capsys, *argv: str) -> tuple[int, str]:
    """``assistant`` in this process; its exit code and everything it printed."""
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out + printed.err


@pytest.mark.parametrize("url", [f"http://famille.martin:{SECRET}@127.0.0.1:9/grandperigueux/espace-citoyens/",
                                 f"https://{SECRET}@www.espace-citoyens.net/grandperigueux/espace-citoyens/",
                                 f"http://famille:{SECRET}@[::1/grandperigueux/espace-citoyens/"])
def test_credentials_in_base_url_are_refused_without_echoing_them(capsys, tmp_path, url):
    code, printed = run(capsys, "statut", "--base-url", url, "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert "Adresse du portail refusée dans --base-url : elle contient un identifiant ou un mot de passe" in printed
    assert SECRET not in printed and url not in printed
    assert not (tmp_path / "r").exists()


def test_credentials_in_the_environment_url_are_refused_too(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_URL, f"http://u:{SECRET}@127.0.0.1:9/grandperigueux/espace-citoyens/")
    code, printed = run(capsys, "statut", "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"refusée dans {ENV_URL}" in printed and SECRET not in printed
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("option,message", [("--base-url", "Adresse du portail vide dans --base-url"),
                                            ("--tenant", "Nom de commune vide dans --tenant")])
def test_empty_base_url_or_tenant_is_refused_not_the_production_portal(capsys, tmp_path, option, message):
    code, printed = run(capsys, "statut", option, "", "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert message in printed and "espace-citoyens.net" not in printed
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("url", ["http://[::1/grandperigueux/espace-citoyens/",
                                 "http://127.0.0.1:99999/grandperigueux/espace-citoyens/",
                                 "http://127.0.0.1:port/grandperigueux/espace-citoyens/"])
def test_unreadable_base_url_exits_2_in_french(capsys, tmp_path, url):
    code, printed = run(capsys, "statut", "--base-url", url, "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert "Adresse du portail illisible dans --base-url" in printed and url not in printed


def test_base_url_with_a_backslash_is_refused_as_browsers_read_it_otherwise():
    # a browser goes to host « h » here, while urlsplit would see an identifiant « h\ » on host « x »
    with pytest.raises(ConfigError) as exc:
        normalise_base_url("http://h\\@x/grandperigueux/espace-citoyens/", key="--base-url")
    assert exc.value.key == "--base-url" and "illisible" in exc.value.message


def test_env_file_that_is_not_utf8_exits_2_naming_the_line(capsys, tmp_path):
    (tmp_path / ".env").write_bytes(b"# famille\nESPACE_CITOYENS_PASSWORD=caf\xe9-2026\n")
    code, printed = run(capsys, "statut", "--replica", "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert "Fichier .env illisible : ligne 2, ce n’est pas du texte UTF-8" in printed
    assert "caf" not in printed


def test_invalid_environment_url_does_not_break_a_replica_run(run_assistant, tmp_path):
    env = {ENV_URL: "http://[::1/grandperigueux/espace-citoyens/", ENV_USERNAME: "famille.martin",
           ENV_PASSWORD: "Martin-2026"}
    done = run_assistant("statut", "--replica", "--report-dir", str(tmp_path / "r"), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "report.json").is_file()


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-5", "dix"])
def test_replica_stop_after_must_be_a_sane_number_of_seconds(capsys, value):
    code, printed = run(capsys, "replica", "--port", "0", f"--arret-apres={value}")
    assert code == 2
    assert f"durée invalide « {value} » : attendu un nombre de secondes entre 0 et" in printed
    assert "Réplique de l’Espace Citoyens démarrée" not in printed


def test_overlong_password_is_refused_at_once(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_PASSWORD, "x" * 100_000)
    code, printed = run(capsys, "statut", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"Mot de passe trop long (plus de {MAX_CREDENTIAL_LENGTH} caractères)" in printed and ENV_PASSWORD in printed
    assert "xxxx" not in printed and not (tmp_path / "r").exists()


def test_credentials_up_to_the_limit_pass_one_more_character_does_not():
    longest = "p" * MAX_CREDENTIAL_LENGTH
    assert check_credentials("famille.martin", longest) == ("famille.martin", longest)
    with pytest.raises(ConfigError) as exc:
        check_credentials("u" * (MAX_CREDENTIAL_LENGTH + 1), "pw")
    assert exc.value.key == ENV_USERNAME and exc.value.message.startswith("Identifiant trop long")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux needs DISPLAY or WAYLAND_DISPLAY")
def test_headed_without_a_display_says_so_in_french(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code, printed = run(capsys, "statut", "--replica", "--headed", "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"Erreur : {NO_DISPLAY}" in printed


HEADED = """
from assistant.browser import NO_DISPLAY, open_browser
from assistant.errors import ConfigError
try:
    with open_browser(headless=False):
        pass
except ConfigError as exc:
    print(exc.key, exc.message == NO_DISPLAY)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or Path("/tmp/.X11-unix/X99").exists(),
                    reason="needs Linux and no X server on display :99")
@pytest.mark.process
def test_headed_with_a_display_that_has_no_server_says_so_in_french():
    # a child process, as above: Playwright is started for real there
    done = python("-c", HEADED, env={"DISPLAY": ":99"})
    assert (done.returncode, done.stdout) == (0, "--headed True\n"), done.stderr
