"""No traceback, anywhere: a signal during start-up's imports (even inside a class being created) ends
with 130 / 143; a reader that closes the pipe ends the command quietly (141); every number typed is
bounded by one check (exit 2, French) before it reaches code that cannot take it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.__main__ import CLOSED_PIPE
from assistant.cli import build_parser, main
from assistant.frenchargs import bounded, commands
from assistant.monitor.history import History, RunRow, StepRow, iso
from assistant.replica.cli import build_parser as replica_parser
from support import TIMEOUT, child_env

# Loaded by the child's interpreter before anything else (PYTHONPATH): when the module named by
# TRIP_MODULE is about to be imported, a class is created whose attribute's __set_name__ sends the
# signal, so that the handler runs *inside a class creation*, as a signal at a random moment of the
# imports does now and then (a dataclass, a descriptor of a library).
TRIPWIRE = '''
import os, signal, sys

class _Tripwire:
    def __set_name__(self, owner, name):
        os.kill(os.getpid(), int(os.environ["TRIP_SIGNAL"]))
        for _ in range(100000):  # the handler runs at one of these bytecodes, inside __set_name__
            pass

class _Finder:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ.get("TRIP_MODULE"):
            del os.environ["TRIP_MODULE"]
            type("Tripped", (), {"wire": _Tripwire()})
        return None

sys.meta_path.insert(0, _Finder())
'''


@pytest.fixture
def tripwire(tmp_path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(TRIPWIRE, encoding="utf-8")
    return folder


@pytest.mark.parametrize("module", ["loguru", "assistant.cli", "playwright.sync_api", "flask"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.process
def test_a_signal_inside_a_class_creation_during_start_up_ends_at_once_without_traceback(tripwire, tmp_path,
                                                                                        module, sig):
    env = child_env({"PYTHONPATH": str(tripwire), "TRIP_MODULE": module, "TRIP_SIGNAL": str(int(sig))})
    done = subprocess.run([sys.executable, "-m", "assistant", "statut", "--replica", "--report-dir",
                           str(tmp_path / "r")], env=env, cwd=tmp_path, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert done.returncode == 128 + sig, done.stderr
    assert "Traceback" not in done.stderr and "RuntimeError" not in done.stderr
    assert "Interrompu pendant le démarrage : rien n’a été fait." in done.stderr
    assert not (tmp_path / "r").exists()


@pytest.mark.process
def test_sigterm_at_random_moments_of_start_up_never_gives_a_traceback(tmp_path):
    """A few random moments here (``TRIALS`` for more, by hand): each run ends 143 (or is killed by the
    signal before Python runs a line of ours), never 1 with a traceback."""
    draw = random.Random(int(os.environ.get("SEED", "21")))
    ended = []
    for trial in range(int(os.environ.get("TRIALS", "12"))):
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "statut", "--replica", "--report-dir",
                                 str(tmp_path / f"r{trial}")], env=child_env({}), cwd=tmp_path, text=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            proc.communicate(timeout=draw.uniform(0.0, 1.5))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=TIMEOUT)
        ended.append((proc.returncode, "Traceback" in err, err[-300:]))
    assert [e for e in ended if e[0] not in (143, -signal.SIGTERM, 0) or e[1]] == []


# -- a closed pipe -------------------------------------------------------------------------------
def closed_stdout(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m assistant ARGV`` writing to a pipe whose reader is already gone (``… | head`` once
    head has its lines)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "assistant", *argv], env=child_env({}), cwd=cwd, stdout=write,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=TIMEOUT)
    finally:
        os.close(write)


@pytest.mark.process
def test_help_into_a_closed_pipe_ends_quietly(tmp_path):
    done = closed_stdout("--help", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")  # argparse's help ignores a closed pipe itself


@pytest.mark.process
def test_historique_into_a_closed_pipe_ends_quietly(tmp_path):
    history = History.open(tmp_path / "surveillance" / "historique.sqlite")
    at = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    for i in range(30):
        start = at + timedelta(hours=i)
        history.record(RunRow(tenant="gp", started_at=iso(start), finished_at=iso(start + timedelta(seconds=4)),
                              duration_s=4.0, outcome="rehearsed", klass="ok", message="m"),
                       [StepRow(1, "Mes factures", "ok", 1.0)])
    history.close()
    done = closed_stdout("historique", "--runs", "30", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (CLOSED_PIPE, "")


@pytest.mark.process
def test_factures_csv_into_a_closed_pipe_ends_quietly_its_report_written(tmp_path):
    done = closed_stdout("factures", "--replica", "--csv", "--report-dir", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == CLOSED_PIPE
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert (tmp_path / "r" / "report.json").is_file()


# -- numbers: one check, bounded -------------------------------------------------------------------
def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    printed = capsys.readouterr()
    return code, printed.out + printed.err


@pytest.mark.parametrize("argv, expected", [
    (("surveiller", "--replica", "--every", "99999999999999999999h"), "Durée invalide « 99999999999999999999h »"),
    (("surveiller", "--replica", "--every", "9" * 5000 + "s"), "Durée invalide"),
    (("surveiller", "--replica", "--every", "1s", "--metrics-port", "99999"), "port invalide « 99999 »"),
    (("surveiller", "--replica", "--workers", "0"), "nombre de répétitions simultanées invalide « 0 »"),
    (("surveiller", "--replica", "--workers", "99999999999999999999"), "invalide « 99999999999999999999 »"),
    (("surveiller", "--replica", "--alert-after", "-1"), "nombre d’échecs invalide « -1 »"),
    (("surveiller", "--replica", "--jitter", "nan"), "variation invalide « nan »"),
    (("surveiller", "--replica", "--jitter", "1"), "variation invalide « 1 »"),
    (("historique", "--runs", "1e400"), "nombre de répétitions invalide « 1e400 »"),
    (("replica", "--latence", "MonCompte=99999999999999999999"), "latence de « MonCompte » (ms) invalide"),
    (("replica", "--expiration-apres", "99999999999999999999"), "nombre de requêtes invalide"),
    (("replica", "--attente-ms", "600001"), "durée invalide « 600001 »"),
    (("replica", "--duree-session", "99999999999999999999"), "durée de session invalide"),
    (("replica", "--arret-apres", "1e300"), "durée invalide « 1e300 »"),
    (("replica", "--port", "65536"), "port invalide « 65536 »"),
])
def test_every_number_typed_is_bounded_exit_2_in_french(capsys, tmp_path, monkeypatch, argv, expected):
    monkeypatch.chdir(tmp_path)
    code, printed = run(capsys, *argv, *(() if argv[0] == "replica" else ("--dossier", str(tmp_path / "s"))))
    assert code == 2, printed
    assert expected in printed and "Traceback" not in printed
    assert "Réplique de l’Espace Citoyens démarrée" not in printed and not (tmp_path / "s").exists()


@pytest.mark.parametrize("text, value", [("0", 0), ("65535", 65535), (" 42 ", 42)])
def test_bounds_are_inclusive(text, value):
    assert bounded(text, 0, 65535, "port") == value


@pytest.mark.parametrize("text", ["-1", "65536", "1e3", "٣", "0x10", "", "9" * 5000])
def test_what_is_not_an_integer_in_bounds_is_refused_in_french(text):
    with pytest.raises(ValueError) as exc:
        bounded(text, 0, 65535, "port")
    assert str(exc.value).startswith("port invalide « ") and "attendu un entier entre 0 et 65535" in str(exc.value)


def test_the_decimal_comma_is_read(tmp_path):
    assert bounded("0,5", 0, 0.9, "variation", integer=False) == 0.5


def test_no_numeric_option_escapes_the_one_check():
    """Every option of every command declared with a plain int or float type would skip the bounds."""
    plain = []
    for parser in (*commands(build_parser()).values(), replica_parser()):
        plain += [f"{parser.prog} {a.option_strings}" for a in parser.declared if a.type in (int, float)]
    assert plain == []
