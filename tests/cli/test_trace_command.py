"""``assistant trace DOSSIER``: a report folder's trace served offline on 127.0.0.1, stopped by Ctrl-C or
SIGTERM (to the command alone or to its group) with every process of the viewer; a folder without a trace
is refused in French (exit 2)."""

from __future__ import annotations

import os
import re
import signal
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import cli
from support import start_assistant

STOPPED = "Visualiseur de trace arrêté."


def test_a_folder_without_a_trace_is_refused_in_french(tmp_path, capsys):
    (tmp_path / "report.json").write_text("{}")

    assert cli.main(["trace", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"Pas de trace dans « {tmp_path} » (trace.zip absent)" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["absent", "report.json"])
def test_what_is_not_a_folder_is_refused_in_french(tmp_path, capsys, name):
    (tmp_path / "report.json").write_text("{}")

    assert cli.main(["trace", str(tmp_path / name)]) == 2
    assert f"« {tmp_path / name} » n’est pas un dossier" in capsys.readouterr().err


@pytest.fixture
def traced(context, tmp_path) -> Path:
    """A report folder holding a real Playwright trace of a small page."""
    context.tracing.start(screenshots=True, snapshots=True)
    page = context.new_page()
    page.set_content("<h1>Mes factures</h1>")
    context.tracing.stop(path=tmp_path / "trace.zip")
    return tmp_path


@pytest.mark.process
def test_the_trace_is_served_on_loopback_until_ctrl_c(traced):
    viewer = start_assistant("trace", str(traced))
    try:
        line = viewer.stdout.readline()  # the command gives up by itself if the viewer stays silent
        address = re.search(r"ouvrez (http://127\.0\.0\.1:\d+)\S* dans un navigateur", line)
        assert address, line + viewer.stderr.read()
        with urllib.request.urlopen(address.group(1), timeout=30) as answer:  # redirected to the viewer
            assert answer.status == 200 and "trace=" in answer.url and "trace.zip" in answer.url
    finally:
        viewer.send_signal(signal.SIGINT)
        code = viewer.wait(timeout=60)

    assert code == 0 and "Visualiseur de trace arrêté." in viewer.stderr.read()
    with pytest.raises(urllib.error.URLError):  # the viewer stopped with the command
        urllib.request.urlopen(address.group(1), timeout=10)


# -- every process of the viewer ends with the command ---------------------------------------------
def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (state first), or None once the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def descendants(pid: int) -> dict[int, str]:
    """The processes under ``pid`` (children, theirs…), each with its start time (a reused pid is not them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if fields := _stat(child):
                found[child] = fields[19]
                todo.append(child)
    return found


def alive(processes: dict[int, str]) -> list[int]:
    """Those of ``processes`` still running (a zombie has ended)."""
    return [pid for pid, start in processes.items()
            if (fields := _stat(pid)) and fields[0] != "Z" and fields[19] == start]


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def serve(folder: Path, page) -> tuple[object, int, dict[int, str]]:
    """``assistant trace folder`` started, its viewer opened in ``page``: (process, port, viewer's processes)."""
    command = start_assistant("trace", str(folder))
    line = command.stdout.readline()  # the command gives up by itself if the viewer stays silent
    address = re.search(r"ouvrez (http://127\.0\.0\.1:(\d+))\S* dans un navigateur", line)
    assert address, line + command.stderr.read()
    page.goto(address.group(1))  # redirected to the viewer, which loads the trace
    assert "trace.zip" in page.url
    viewer = descendants(command.pid)
    assert len(viewer) >= 2, viewer  # Playwright's Python launcher and its node
    return command, int(address.group(2)), viewer


@pytest.mark.parametrize("to_group", [False, True], ids=["command-alone", "its-group"])
@pytest.mark.process
def test_sigterm_stops_the_viewer_and_all_its_processes(traced, page, to_group):
    for _ in range(3):  # it failed now and then: stopped each time
        command, port, viewer = serve(traced, page)
        try:
            (os.killpg if to_group else os.kill)(command.pid, signal.SIGTERM)
            code = command.wait(timeout=60)
            left = alive(viewer)
            assert (code, left, accepts(port)) == (0, [], False)
            assert STOPPED in command.stderr.read()
        finally:
            for pid in alive(viewer):
                os.kill(pid, signal.SIGKILL)
            if command.poll() is None:
                command.kill()


@pytest.mark.process
def test_the_viewer_s_node_does_not_outlive_its_launcher(traced, page):
    command, port, viewer = serve(traced, page)
    try:
        launcher = [pid for pid in viewer if _stat(pid)[1] == str(command.pid)]
        os.kill(launcher[0], signal.SIGKILL)  # Playwright's Python launcher dies, its node listens on
        code = command.wait(timeout=60)
        assert (code, alive(viewer), accepts(port)) == (2, [], False)
        assert "le visualiseur de trace s’est arrêté de lui-même" in command.stderr.read()
    finally:
        for pid in alive(viewer):
            os.kill(pid, signal.SIGKILL)
