"""The tenants file: checked whole before any run, every problem named with its line."""

from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.config import Secret
from assistant.errors import ConfigError
from assistant.monitor.cli import parse_duration
from assistant.monitor.tenants import load_tenants, parse_shard, shard

GOOD = """# communes surveillées
[[tenant]]
name = "grandperigueux"
base_url = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"
login = "classic"
username_env = "GP_USER"
password_env = "GP_PASS"

[[tenant]]
name = "maisons-alfort"
base_url = "https://famille.example.fr/maisons-alfort/espace-citoyens/Home/AccueilPublic"
login = "modale"
username_env = "MA_USER"
password_env = "MA_PASS"
"""
ENV = {"GP_USER": "test.gp", "GP_PASS": "secret-gp", "MA_USER": "test.ma", "MA_PASS": "secret-ma"}


def write(tmp_path, text):
    path = tmp_path / "communes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_gives_every_tenant_with_its_credentials(tmp_path):
    tenants = load_tenants(write(tmp_path, GOOD), ENV)
    assert [(t.name, t.base_url, t.login, t.username, t.line) for t in tenants] == [
        ("grandperigueux", "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/", "classic", "test.gp", 2),
        ("maisons-alfort", "https://famille.example.fr/maisons-alfort/espace-citoyens/", "modal", "test.ma", 9),
    ]
    assert tenants[0].password == Secret("secret-gp")
    assert "secret-gp" not in repr(tenants[0])
    assert (tenants[0].payment_username, tenants[0].payment_password) == (None, None)


def test_a_payment_account_is_read_from_its_two_variables(tmp_path):
    text = GOOD.replace('password_env = "GP_PASS"', 'password_env = "GP_PASS"\npayment_username_env = "GP_PAYER"\n'
                        'payment_password_env = "GP_PAYER_PASS"')
    tenant = load_tenants(write(tmp_path, text), {**ENV, "GP_PAYER": "payeur.gp", "GP_PAYER_PASS": "secret-payeur"})[0]
    assert (tenant.payment_username, tenant.payment_password) == ("payeur.gp", Secret("secret-payeur"))
    assert "secret-payeur" not in repr(tenant)


@pytest.mark.parametrize("old, new, line, words", [
    ('login = "classic"', 'login = "classic"\ntimeout = "3"', 6, "clé inconnue « timeout »"),
    ('base_url = "https://famille.example.fr/maisons-alfort/espace-citoyens/Home/AccueilPublic"',
     'base_url = "famille.example.fr/maisons-alfort"', 11, "adresse invalide pour « maisons-alfort »"),
    ('password_env = "MA_PASS"', 'password_env = "MA_ABSENT"', 14, "MA_ABSENT"),
    ('name = "maisons-alfort"', 'name = "grandperigueux"', 10, "déjà déclarée ligne 3"),
    ('login = "modale"', 'login = "sso"', 12, "style de connexion inconnu"),
    ('password_env = "GP_PASS"', 'password_env = "GP_PASS"\npayment_username_env = "GP_USER"', 8,
     "« payment_username_env » sans « payment_password_env »"),
    ('password_env = "GP_PASS"', 'password_env = "GP_PASS"\npayment_username_env = "GP_USER"\n'
     'payment_password_env = "GP_PAYER_ABSENT"', 9, "GP_PAYER_ABSENT"),
])
def test_a_bad_entry_is_refused_naming_its_line(tmp_path, old, new, line, words):
    with pytest.raises(ConfigError) as caught:
        load_tenants(write(tmp_path, GOOD.replace(old, new)), ENV)
    assert f"ligne {line} :" in caught.value.message
    assert words in caught.value.message


def test_a_missing_variable_is_named_never_its_value(tmp_path):
    env = {k: v for k, v in ENV.items() if k != "GP_PASS"}
    with pytest.raises(ConfigError) as caught:
        load_tenants(write(tmp_path, GOOD), env)
    assert caught.value.message.endswith("la variable d’environnement GP_PASS (« password_env » de « grandperigueux ») "
                                         "est absente ou vide.")
    assert "ligne 7" in caught.value.message


def test_a_toml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_tenants(write(tmp_path, GOOD.replace('name = "grandperigueux"', 'name = grandperigueux')), ENV)
    assert caught.value.message.startswith(f"{tmp_path / 'communes.toml'}, ligne 3, colonne 8 : syntaxe TOML invalide")


@pytest.mark.parametrize("old, new, line, words", [
    ('base_url = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"',
     'base_url = "https://www.espace citoyens.net/grandperigueux/espace-citoyens/"', 4, "adresse invalide"),
    ('base_url = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"',
     'base_url = "https://www.espace-citoyens.net:99999/grandperigueux/espace-citoyens/"', 4, "adresse invalide"),
    ('base_url = "https://www.espace-citoyens.net/grandperigueux/espace-citoyens/"',
     'base_url = "https://test.gp:secret-gp@www.espace-citoyens.net/grandperigueux/espace-citoyens/"', 4,
     "pas d’identifiant ni de mot de passe dans l’adresse"),
])
def test_an_address_with_a_bad_host_port_or_credentials_is_refused(tmp_path, old, new, line, words):
    with pytest.raises(ConfigError) as caught:
        load_tenants(write(tmp_path, GOOD.replace(old, new)), ENV)
    assert f"ligne {line} :" in caught.value.message and words in caught.value.message
    assert "secret-gp" not in caught.value.message


def test_entries_that_are_not_tables_are_refused_naming_the_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_tenants(write(tmp_path, "# communes\ntenant = [1, 2]\n"), ENV)
    assert caught.value.message.endswith("ligne 2 : chaque commune est une table [[tenant]] (nom = valeur, une clé par ligne).")


def test_a_file_saved_with_a_bom_is_read(tmp_path):
    path = tmp_path / "communes.toml"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    assert [t.name for t in load_tenants(path, ENV)] == ["grandperigueux", "maisons-alfort"]


def test_the_cli_refuses_a_bad_file_before_any_run_in_french(tmp_path, capsys, monkeypatch):
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    path = write(tmp_path, GOOD.replace('login = "classic"', 'login = "classic"\nretries = 3'))
    code = main(["surveiller", "--tenants", str(path), "--dossier", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Erreur : {path}, ligne 6 : clé inconnue « retries »")
    assert "Traceback" not in err
    assert not (tmp_path / "s").exists()  # nothing ran, nothing was created


def test_shards_split_every_tenant_exactly_once(tmp_path):
    tenants = load_tenants(write(tmp_path, GOOD), ENV)
    parts = [shard(tenants, i, 2) for i in (1, 2)]
    assert [[t.name for t in part] for part in parts] == [["grandperigueux"], ["maisons-alfort"]]
    assert shard(tenants, 1, 1) == sorted(tenants, key=lambda t: t.name)
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/2", "3/2", "a/b", "1"):
        with pytest.raises(ConfigError):
            parse_shard(bad)


def test_durations():
    assert [parse_duration(x) for x in ("15m", "1h", "1h30m", "90s", "2")] == [900, 3600, 5400, 90, 2]
    with pytest.raises(ConfigError):
        parse_duration("quinze minutes")


def test_every_is_never_under_five_minutes_against_a_real_portal(tmp_path):
    from assistant.monitor.scheduler import check_every

    tenants = load_tenants(write(tmp_path, GOOD), ENV)
    with pytest.raises(ConfigError) as caught:
        check_every(299, tenants)
    assert caught.value.message.startswith("--every trop court : au moins 5 minutes contre un portail réel")
    assert check_every(300, tenants) is None
    loopback = [t.__class__(**{**t.__dict__, "base_url": "http://127.0.0.1:8765/gp/espace-citoyens/"}) for t in tenants]
    assert check_every(1, loopback) is None


def test_the_jitter_never_brings_a_real_portal_under_five_minutes():
    from assistant.monitor.scheduler import MIN_EVERY_S, next_interval

    lowest, highest = (lambda a, b: a), (lambda a, b: b)
    assert next_interval(300, 0.1, MIN_EVERY_S, draw=lowest) == 300
    assert next_interval(300, 0.1, MIN_EVERY_S, draw=highest) == pytest.approx(330)
    assert next_interval(900, 0.1, MIN_EVERY_S, draw=lowest) == pytest.approx(810)
    assert next_interval(60, 0.1, 1.0, draw=lowest) == pytest.approx(54)


LOOPBACK = GOOD.replace("https://www.espace-citoyens.net/grandperigueux/espace-citoyens/",
                        "http://127.0.0.1:9/grandperigueux/espace-citoyens/").split("\n\n[[tenant]]")[0] + "\n"


def test_an_unusable_folder_is_refused_in_french_before_any_run(tmp_path, capsys, monkeypatch):
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    taken = tmp_path / "surveillance"
    taken.write_text("un fichier, pas un dossier", encoding="utf-8")
    code = main(["surveiller", "--tenants", str(write(tmp_path, LOOPBACK)), "--dossier", str(taken)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"Erreur : Dossier du moniteur « {taken} » inutilisable : c’est un fichier, pas un dossier. "
                   "Choisissez un autre --dossier ; rien n’a été fait sur le portail.\n")


def test_a_metrics_port_already_taken_is_refused_in_french_before_any_run(tmp_path, capsys, monkeypatch):
    import socket

    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["surveiller", "--tenants", str(write(tmp_path, LOOPBACK)), "--every", "1m",
                     "--metrics-port", str(port), "--dossier", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Erreur : Impossible de servir /metrics sur 127.0.0.1:{port} (port déjà utilisé)")
    assert "Traceback" not in err
    assert not list((tmp_path / "s").glob("runs/*"))  # nothing ran
