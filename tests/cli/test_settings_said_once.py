"""Configuration said once: a blank setting in the environment or ``.env`` is refused as an empty flag
is (exit 2, French, naming the variable, never the value), never a fall-back to the production portal;
a ``.env`` or tenants file that is not a regular UTF-8 text file, or does not parse, is said in French;
values a browser would send mangled (a control character in the address) or that ask for nothing
(``payer ''``, ``--every ''``) are usage errors before anything logs in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import (ENV_CHROMIUM, ENV_LOCK_DIR, ENV_LOCK_WAIT, ENV_PASSWORD, ENV_URL, ENV_USERNAME,
                              Settings, normalise_base_url)
from assistant.replica import STATE_ENV
from support import TIMEOUT, assistant

PORTAL = "http://127.0.0.1:9/grandperigueux/espace-citoyens/"  # port 9: a run that got through fails fast


@pytest.fixture(autouse=True)
def family_env(monkeypatch, tmp_path):
    """A family's credentials in the environment, the working folder empty (no .env)."""
    monkeypatch.chdir(tmp_path)
    for key in (ENV_URL, ENV_CHROMIUM, ENV_LOCK_WAIT):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv(ENV_USERNAME, "famille.martin")
    monkeypatch.setenv(ENV_PASSWORD, "Martin-2026")


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out + printed.err


BLANK_REFUSED = [(ENV_URL, ("statut",)), (ENV_USERNAME, ("statut", "--base-url", PORTAL)),
                 (ENV_PASSWORD, ("statut", "--base-url", PORTAL)), (ENV_CHROMIUM, ("statut", "--base-url", PORTAL)),
                 (ENV_LOCK_WAIT, ("statut", "--base-url", PORTAL)), (ENV_LOCK_DIR, ("statut", "--base-url", PORTAL)),
                 (STATE_ENV, ("statut", "--replica"))]


@pytest.mark.parametrize("value", ["", "   ", "\t"])
@pytest.mark.parametrize("key, argv", BLANK_REFUSED)
def test_a_blank_setting_in_the_environment_is_refused_naming_it(capsys, monkeypatch, tmp_path, key, argv, value):
    monkeypatch.setenv(key, value)
    code, printed = run(capsys, *argv, "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"{key} est vide (environnement ou fichier .env)" in printed
    assert "espace-citoyens.net" not in printed and "Traceback" not in printed
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("line", [f"{ENV_URL}=", f"{ENV_URL}=''", f'{ENV_URL}="  "', ENV_URL])
def test_a_blank_url_in_dotenv_never_falls_back_to_the_production_portal(capsys, tmp_path, line):
    (tmp_path / ".env").write_text(f"# le portail\n{line}\n", encoding="utf-8")
    code, printed = run(capsys, "statut", "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"{ENV_URL} est vide" in printed and "injoignable" not in printed
    assert not (tmp_path / "r").exists()


def test_the_environment_wins_over_dotenv_even_blank(capsys, monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(f"{ENV_URL}={PORTAL}\n", encoding="utf-8")
    monkeypatch.setenv(ENV_URL, "")
    code, printed = run(capsys, "statut", "--report-dir", str(tmp_path / "r"))
    assert (code, f"{ENV_URL} est vide" in printed) == (2, True)


def test_a_lock_wait_out_of_bounds_is_refused_without_its_value(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_LOCK_WAIT, "99999999999999999999")
    code, printed = run(capsys, "adhesion", "--yes", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert f"{ENV_LOCK_WAIT} invalide : attendu un nombre de secondes entre 0 et 86400" in printed
    assert "9999" not in printed


# -- the .env file itself -------------------------------------------------------------------------
@pytest.mark.process
def test_a_dotenv_fifo_is_refused_at_once_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / ".env")
    done = assistant("statut", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"), cwd=tmp_path,
                     timeout=TIMEOUT)  # a hang would be a TimeoutExpired here
    assert done.returncode == 2
    assert "Fichier .env illisible : ce n’est pas un fichier ordinaire" in done.stderr


def test_a_dotenv_folder_is_refused_not_ignored(capsys, tmp_path):
    (tmp_path / ".env").mkdir()
    code, printed = run(capsys, "statut", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"))
    assert code == 2 and "Fichier .env illisible : ce n’est pas un fichier ordinaire" in printed


def test_a_dotenv_with_a_nul_byte_is_refused_naming_the_line(capsys, tmp_path):
    (tmp_path / ".env").write_bytes(b"# x\nESPACE_CITOYENS_PASSWORD=Mar\x00tin\n")
    code, printed = run(capsys, "statut", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"))
    assert code == 2 and "Fichier .env illisible : ligne 2, un caractère nul" in printed
    assert "Mar" not in printed


@pytest.mark.process
def test_a_dotenv_line_that_does_not_parse_is_said_in_french_naming_the_line(capsys, tmp_path):
    (tmp_path / ".env").write_text('ESPACE_CITOYENS_USERNAME=famille.martin\n"pas une ligne\nX=1\n', encoding="utf-8")
    done = assistant("statut", "--base-url", PORTAL, "--report-dir", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Fichier .env illisible : ligne 2, ce n’est pas une ligne NOM=valeur" in done.stderr
    assert "could not parse" not in done.stderr + done.stdout


@pytest.mark.process
def test_a_binary_tenants_file_is_said_in_french_without_codec_english(tmp_path):
    (tmp_path / "communes.toml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binaire")
    done = assistant("surveiller", "--tenants", str(tmp_path / "communes.toml"), cwd=tmp_path)
    assert done.returncode == 2
    assert "Fichier des communes" in done.stderr and "illisible" in done.stderr
    assert "codec" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.process
def test_a_tenants_fifo_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "communes.toml")
    done = assistant("baseline", "--tenants", str(tmp_path / "communes.toml"), cwd=tmp_path, timeout=TIMEOUT)
    assert done.returncode == 2 and "ce n’est pas un fichier ordinaire" in done.stderr


# -- values that ask for nothing, or would be sent mangled -------------------------------------------
def test_an_empty_every_is_refused_not_one_cycle(capsys, tmp_path):
    code, printed = run(capsys, "surveiller", "--replica", "--every", "", "--dossier", str(tmp_path / "s"))
    assert code == 2 and "Durée invalide «  » : par exemple 15m" in printed
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/\x01grandperigueux/espace-citoyens/",
                                 "http://127.0.0.1:9/grandperigueux/espace-citoyens/\x7f",
                                 "\x1bhttp://127.0.0.1:9/grandperigueux/espace-citoyens/"])
def test_a_control_character_in_the_address_is_refused(capsys, tmp_path, url):
    code, printed = run(capsys, "statut", "--base-url", url, "--report-dir", str(tmp_path / "r"))
    assert code == 2 and "elle contient un caractère de contrôle" in printed
    assert "%01" not in printed and not (tmp_path / "r").exists()


@pytest.mark.parametrize("number", ["", "   ", "26\n0101"])
def test_payer_without_a_number_is_a_usage_error_before_any_login(capsys, tmp_path, number):
    code = None
    with pytest.raises(SystemExit) as exc:
        code = main(["payer", number, "--replica", "--report-dir", str(tmp_path / "r")])
    printed = capsys.readouterr().err
    assert (code, exc.value.code) == (None, 2)
    assert "numéro de facture invalide" in printed and not (tmp_path / "r").exists()


def test_an_address_without_a_commune_is_named_by_its_host_not_host_and_port():
    settings = Settings(base_url=normalise_base_url("http://127.0.0.1:18803/espace-citoyens/"))
    assert settings.tenant == "127.0.0.1"
    assert Settings(base_url="https://famille.ville.fr/espace-citoyens/").tenant == "famille.ville.fr"
    named = Settings(base_url="https://www.espace-citoyens.net/maisons-alfort/espace-citoyens/")
    assert named.tenant == "maisons-alfort"


@pytest.mark.parametrize("given", ["http://127.0.0.1:9//grandperigueux/espace-citoyens/",
                                   "http://127.0.0.1:9/grandperigueux/./espace-citoyens",
                                   "http://127.0.0.1:9/x/../grandperigueux/espace-citoyens/Home/AccueilPublic"])
def test_the_address_path_is_read_as_a_browser_reads_it(given):
    assert normalise_base_url(given) == PORTAL
