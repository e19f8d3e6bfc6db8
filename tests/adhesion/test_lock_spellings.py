"""One family, one write, whatever the spelling of the portal's address (the family lock's key is
the portal as the network sees it), whoever runs it on this machine, and for ``--replica`` runs on
one training state: the key (each spelling), the folder (one for the machine, shared by its users),
and real parallel ``assistant adhesion --yes`` runs, the replica's audit counting the writes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from assistant import locks
from assistant.config import ENV_LOCK_DIR
from assistant.errors import ConfigError, FamilyBusy
from assistant.locks import family_lock, lock_folder, lock_names, replica_scope
from support import ACCOUNTS, ROOT, TIMEOUT, child_env

FAMILY = "famille.martin"
TENANT_PATH = "/grandperigueux/espace-citoyens/"


def same_lock(a: str, b: str, user_a: str = FAMILY, user_b: str = FAMILY) -> bool:
    """Whether two runs would wait for each other: they share at least one lock file."""
    return bool(set(lock_names(a, user_a)) & set(lock_names(b, user_b)))


# -- the key: each spelling of one portal is one portal ---------------------------------------------
@pytest.mark.parametrize("a, b", [
    ("http://127.0.0.1:8765" + TENANT_PATH, "http://localhost:8765" + TENANT_PATH),  # one address, two names
    ("http://localhost:8765" + TENANT_PATH, "http://LocalHost:8765" + TENANT_PATH),  # host case
    ("http://localhost:8765" + TENANT_PATH, "http://localhost.:8765" + TENANT_PATH),  # the root's dot
    ("http://127.0.0.1:8765/grandperigueux/espace-citoyens", "http://127.0.0.1:8765" + TENANT_PATH),  # trailing /
    ("https://www.espace-citoyens.net" + TENANT_PATH, "https://www.espace-citoyens.net:443" + TENANT_PATH),
    ("http://portail.example:80" + TENANT_PATH, "http://portail.example" + TENANT_PATH),  # default port explicit
    ("http://127.0.0.1:8765//grandperigueux//espace-citoyens/", "http://127.0.0.1:8765" + TENANT_PATH),  # //
    ("http://127.0.0.1:8765/x/../grandperigueux/./espace-citoyens/", "http://127.0.0.1:8765" + TENANT_PATH),
    ("http://127.0.0.1:8765/grand%70erigueux/espace-citoyens/", "http://127.0.0.1:8765" + TENANT_PATH),
    ("http://127.0.0.1:8765/a%7ez/espace-citoyens/", "http://127.0.0.1:8765/a%7Ez/espace-citoyens/"),  # hex case
    ("http://127.0.0.1:8765/a%7ez/espace-citoyens/", "http://127.0.0.1:8765/a~z/espace-citoyens/"),
    ("http://127.0.0.1:8765/GrandPerigueux/espace-citoyens/", "http://127.0.0.1:8765" + TENANT_PATH),
    ("http://[::1]:8765" + TENANT_PATH, "http://127.0.0.1:8765" + TENANT_PATH),  # both loopback
    ("http://127.0.0.1:8765" + TENANT_PATH, "http://[::ffff:127.0.0.1]:8765" + TENANT_PATH),
])
def test_spellings_of_one_portal_share_the_lock(a, b):
    assert same_lock(a, b)


def test_the_identifiant_is_trimmed_and_case_folded():
    assert same_lock("http://127.0.0.1:1" + TENANT_PATH, "http://127.0.0.1:1" + TENANT_PATH, "famille.martin",
                     " Famille.MARTIN\t")


@pytest.mark.parametrize("a, b, user_b", [
    ("http://127.0.0.1:8765" + TENANT_PATH, "http://127.0.0.1:8765/maisons-alfort/espace-citoyens/", FAMILY),
    ("http://127.0.0.1:8765" + TENANT_PATH, "http://127.0.0.1:8766" + TENANT_PATH, FAMILY),
    ("http://127.0.0.1:8765" + TENANT_PATH, "https://127.0.0.1:8765" + TENANT_PATH, FAMILY),
    ("http://127.0.0.1:8765" + TENANT_PATH, "http://127.0.0.1:8765" + TENANT_PATH, "famille.bernard"),
])
def test_other_portals_and_families_have_other_locks(a, b, user_b):
    assert not same_lock(a, b, FAMILY, user_b)


def test_a_name_that_does_not_resolve_keeps_its_name_key():
    a = "https://portail.invalid" + TENANT_PATH
    assert lock_names(a, FAMILY) == lock_names("https://PORTAIL.invalid:443" + TENANT_PATH, FAMILY)
    assert len(lock_names(a, FAMILY)) == 1


def test_names_that_resolve_to_one_address_share_it(monkeypatch):
    def resolve(host, port, **kw):  # two names of one server, one of them with a second address too
        found = {"portail-a.example": ["192.0.2.7"], "portail-b.example": ["192.0.2.7", "2001:db8::7"]}[host]
        return [(0, 0, 0, "", (a, port)) for a in found]

    monkeypatch.setattr(locks.socket, "getaddrinfo", resolve)
    assert same_lock("https://portail-a.example" + TENANT_PATH, "https://portail-b.example" + TENANT_PATH)


def test_replica_runs_are_keyed_by_their_state_folder(tmp_path):
    (tmp_path / "state").mkdir()
    one = replica_scope(tmp_path / "state")
    assert same_lock(one, replica_scope(tmp_path / "x" / ".." / "state"))
    assert not same_lock(one, replica_scope(tmp_path / "other"))


# -- the folder: one for the machine ----------------------------------------------------------------
def test_the_default_folder_is_the_machines_whatever_the_users_state_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(locks, "MACHINE_FOLDER", tmp_path / "machine" / "locks")
    found = []
    for user in ("agent-a", "agent-b"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / user))
        found.append(lock_folder())
    assert found == [(tmp_path / "machine" / "locks", None)] * 2
    assert stat.S_IMODE((tmp_path / "machine" / "locks").stat().st_mode) == 0o1777


def test_lock_files_are_readable_by_every_user_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        with family_lock("http://127.0.0.1:1" + TENANT_PATH, FAMILY, folder=tmp_path):
            modes = {stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    finally:
        os.umask(previous)
    assert modes == {0o644}
    assert not any("martin" in p.name for p in tmp_path.iterdir())


def test_a_machine_folder_that_cannot_serve_falls_back_to_the_users_and_says_so(tmp_path, monkeypatch):
    blocked = tmp_path / "locks"
    blocked.write_text("un fichier, pas un dossier")
    monkeypatch.setattr(locks, "MACHINE_FOLDER", blocked)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder, note = lock_folder()
    assert folder == tmp_path / "state" / "espace-citoyens-assistant" / "locks"
    assert note.startswith(f"Dossier commun des verrous « {blocked} » inutilisable")
    assert "les exécutions des autres utilisateurs de cette machine ne sont pas vues" in note and ENV_LOCK_DIR in note


def test_a_chosen_folder_that_cannot_serve_is_a_french_configuration_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError) as exc:
        lock_folder(tmp_path / "f")
    assert exc.value.key == ENV_LOCK_DIR and "Dossier des verrous" in exc.value.message


NOBODY = 65534
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to act as two users")


@AS_ROOT
def test_a_folder_another_user_made_writable_by_all_without_the_sticky_bit_is_not_shared(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o777)
    os.chown(folder, NOBODY, NOBODY)  # anyone could remove the lock files there: not a place for locks
    with pytest.raises(ConfigError):
        lock_folder(folder)
HOLD = """
import sys, time
from pathlib import Path
from assistant.locks import family_lock
from assistant.errors import FamilyBusy
try:
    with family_lock(sys.argv[1], "famille.martin", folder=Path(sys.argv[2]), wait_s=float(sys.argv[3])):
        print("held", flush=True)
        sys.stdin.readline()
except FamilyBusy:
    print("busy", flush=True)
"""


def as_user(uid: int, portal: str, folder: Path, wait_s: float) -> subprocess.Popen:
    """:data:`HOLD` run by ``uid``: prints « held » (then holds until a line on stdin) or « busy »."""
    return subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                             sys.executable, "-c", HOLD, portal, str(folder), str(wait_s)],
                            cwd=ROOT, env=child_env({"PYTHONPATH": str(ROOT), "HOME": "/tmp"}),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@AS_ROOT
@pytest.mark.process
def test_two_users_of_the_machine_share_one_lock():
    """Two users (neither root, each its own umask-free defaults): while one holds the family's lock,
    made by them in the machine's folder, the other waits, then gets it."""
    top = Path(tempfile.mkdtemp(prefix="verrous-"))  # pytest's own folders are private to this user
    try:
        os.chmod(top, 0o755)
        folder = top / "shared"
        lock_folder(folder)
        portal = "http://127.0.0.1:1" + TENANT_PATH
        first = as_user(NOBODY, portal, folder, 5)
        try:
            assert first.stdout.readline() == "held\n", first.stderr.read()
            second = as_user(NOBODY - 1, portal, folder, 0.5)
            assert second.communicate(timeout=TIMEOUT) == ("busy\n", "")
        finally:
            first.communicate("\n", timeout=TIMEOUT)
        assert {p.stat().st_uid for p in folder.iterdir()} == {NOBODY}
        third = as_user(NOBODY - 1, portal, folder, 5)
        assert third.communicate("\n", timeout=TIMEOUT) == ("held\n", "")
    finally:
        shutil.rmtree(top)


def test_a_wait_ends_as_soon_as_the_holder_lets_go(tmp_path):
    portal = "http://127.0.0.1:1" + TENANT_PATH
    events, waiting = [], threading.Event()

    def second() -> None:
        with family_lock(portal.upper().replace("HTTP", "http"), FAMILY.upper(), folder=tmp_path, wait_s=30,
                         on_wait=waiting.set):
            events.append("second")

    with family_lock(portal, FAMILY, folder=tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        assert waiting.wait(10)
        events.append("first done")
    thread.join(30)
    assert events == ["first done", "second"]


# -- real runs: parallel adhesions, one accepted « VALIDER » ----------------------------------------
ASSISTANT = str(Path(sys.executable).with_name("assistant"))


def adhesions(argvs: list[list[str]], tmp_path: Path, envs: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    """Start every ``assistant adhesion --yes --json ARGV`` at once; their (exit code, stdout, stderr)."""
    runs = [subprocess.Popen([ASSISTANT, "adhesion", "--yes", "--json", *argv,
                              "--report-dir", str(tmp_path / f"run-{n}")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n, (argv, env) in enumerate(zip(argvs, envs))]
    return [(run.wait(timeout=300), *run.communicate()) for run in runs]


def run_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "ESPACE_CITOYENS_USERNAME": FAMILY, "ESPACE_CITOYENS_PASSWORD": ACCOUNTS[FAMILY]["password"],
            "ASSISTANT_LOCK_WAIT": "240", **extra}


def outcomes(ended: list[tuple[int, str, str]]) -> list[str]:
    found = []
    for code, out, err in ended:
        assert code == 0, err
        found.append(json.loads(out)["outcome"])
    return sorted(found)


def accepted_validations(rep) -> list:
    return [e for e in rep.audit if e.route.lower().endswith("valider") and e.accepted and e.changed]


@pytest.mark.process
def test_four_spellings_of_one_replica_validate_once(replica, tmp_path):
    port = replica.base_url.split(":")[2].split("/")[0]
    spellings = [f"http://127.0.0.1:{port}/grandperigueux/espace-citoyens/",
                 f"http://localhost:{port}/grandperigueux/espace-citoyens/",
                 f"http://LOCALHOST:{port}/grandperigueux/espace-citoyens",
                 f"http://LocalHost:{port}//grandperigueux/./espace-citoyens/"]
    ended = adhesions([["--base-url", s] for s in spellings], tmp_path, [run_env(tmp_path)] * 4)

    assert len(accepted_validations(replica)) == 1
    assert outcomes(ended) == ["already_done"] * 3 + ["done"]


@pytest.mark.process
def test_two_users_state_folders_do_not_split_the_lock(replica, tmp_path):
    envs = [run_env(tmp_path, XDG_STATE_HOME=str(tmp_path / user)) for user in ("agent-a", "agent-b")]
    ended = adhesions([["--base-url", replica.base_url]] * 2, tmp_path, envs)

    assert len(accepted_validations(replica)) == 1
    assert outcomes(ended) == ["already_done", "done"]


@pytest.mark.process
def test_four_replica_runs_on_one_training_state_validate_once(tmp_path, replica_state):
    ended = adhesions([["--replica"]] * 4, tmp_path, [run_env(tmp_path)] * 4)

    assert outcomes(ended) == ["already_done"] * 3 + ["done"]
    state = json.loads((replica_state / "state.json").read_text(encoding="utf-8"))
    martin = next(a for a in state["accounts"] if a["username"] == FAMILY)
    assert martin["adhesion"] == "OUI" and len(martin["requests"]) == 1
