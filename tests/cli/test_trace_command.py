"""``assistant trace DOSSIER``: a report folder's trace served offline on 127.0.0.1, stopped by Ctrl-C;
a folder without a trace is refused in French (exit 2)."""

from __future__ import annotations

import re
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import cli
from support import start_assistant


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
