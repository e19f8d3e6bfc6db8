"""``assistant trace DOSSIER``: a report folder's Playwright trace, served offline on 127.0.0.1.

Playwright's own ``show-trace`` opens the trace in a Chromium it downloads itself (absent here);
served with ``--host``/``--port`` it needs none: its viewer answers at a local address that any
browser opens. The viewer (Playwright's Python launcher and its node) runs in a session of its own: a
Ctrl-C in the terminal does not reach it, the command stops it. However the command ends (SIGINT or
SIGTERM to it alone or to its group, the viewer stopping by itself, an error), the viewer's whole
group gets SIGTERM, then SIGKILL after STOP_TIMEOUT_S, before the command says it stopped.
"""

from __future__ import annotations

import argparse
import os
import re
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import interrupts
from .errors import ConfigError
from .frenchargs import port

LISTENING = re.compile(r"Listening on (http://\S+)")
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 5.0


def add_commands(sub) -> None:
    """Declare ``trace`` on the CLI's sub-parsers."""
    trace = sub.add_parser(
        "trace", help="ouvrir hors ligne la trace Playwright d’un rapport (visualiseur local sur 127.0.0.1)",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=(
            "Le visualiseur de Playwright sert DOSSIER/trace.zip à une adresse http://127.0.0.1:PORT/ à\n"
            "ouvrir dans un navigateur ; rien ne sort de la machine. Ctrl-C l’arrête.\n\n"
            "codes de sortie :\n  0  visualiseur arrêté par Ctrl-C (ou SIGTERM)\n"
            "  2  DOSSIER n’est pas un dossier de rapport avec une trace (trace.zip), ou le visualiseur\n"
            "     n’a pas pu démarrer (port occupé…) ou s’est arrêté de lui-même\n"))
    trace.add_argument("folder", metavar="DOSSIER", type=Path, help="le dossier du rapport (celui de report.html)")
    trace.add_argument("--port", type=port(), default=0, help="port local (défaut : 0, un port libre)")
    trace.set_defaults(run=run_trace)


def trace_of(folder: Path) -> Path:
    """``folder/trace.zip``, or a French ConfigError (exit 2) naming what is wrong."""
    if not folder.is_dir():
        raise ConfigError(f"« {folder} » n’est pas un dossier : donnez le dossier du rapport "
                          "(celui qui contient report.html et trace.zip).", key="DOSSIER")
    trace = folder / "trace.zip"
    if not trace.is_file():
        raise ConfigError(f"Pas de trace dans « {folder} » (trace.zip absent) : la trace n’est enregistrée que "
                          "pour les parcours du portail (pas pour « payer »), et supprimée si elle n’a pas pu être "
                          "nettoyée.", key="DOSSIER")
    return trace


def _address(viewer: subprocess.Popen, lines: "queue.Queue[str | None]") -> str:
    """The address the viewer prints once it listens; a French ConfigError if it stops or stays silent."""
    deadline = time.monotonic() + START_TIMEOUT_S
    said = ""
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        if match := LISTENING.search(line):
            return match.group(1)
        said = line.strip() or said
    raise ConfigError("Le visualiseur de trace n’a pas démarré" + (f" : {said}" if said else "")
                      + " (port occupé ? essayez --port 0).", key="--port")


def _read(viewer: subprocess.Popen, lines: "queue.Queue[str | None]") -> None:
    """Hand the viewer's output over line by line, then None once it ends (read to the end: never blocks it)."""
    for line in viewer.stdout:
        lines.put(line)
    lines.put(None)


def _start_reader(viewer: subprocess.Popen, lines: "queue.Queue[str | None]") -> None:
    """:func:`_read` in a thread that never receives SIGINT/SIGTERM: the kernel hands a signal to any thread
    that does not block it, and one handed to the reader (blocked in a read) waits, unhandled, while the main
    thread waits for the viewer; blocked there, every signal goes to the main thread, which handles it."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, interrupts.SIGNALS)  # the new thread inherits the mask
    try:
        threading.Thread(target=_read, args=(viewer, lines), daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _signal_group(viewer: subprocess.Popen, signum: int) -> bool:
    """``signum`` to the viewer's group (its leader may be gone, its node still there); False once it is empty."""
    try:
        os.killpg(viewer.pid, signum)
        return True
    except ProcessLookupError:
        return False


def _stop(viewer: subprocess.Popen) -> None:
    """Stop the viewer's whole group: SIGTERM, a bounded wait for the viewer, then SIGKILL for whatever of its
    group is left (its node), even when the viewer itself had already ended."""
    if _signal_group(viewer, signal.SIGTERM):
        try:
            viewer.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(viewer, signal.SIGKILL)  # the leader gone, its node may still listen
    viewer.wait()


def run_trace(args: argparse.Namespace, env: dict[str, str]) -> int:
    trace = trace_of(args.folder)
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"Port invalide : {args.port} (0 à 65535).", key="--port")
    command = [sys.executable, "-m", "playwright", "show-trace", "--host", "127.0.0.1", "--port", str(args.port),
               str(trace.resolve())]
    # a session of its own: the viewer (Playwright's driver and its node) is stopped as one group, by this command
    viewer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    lines: "queue.Queue[str | None]" = queue.Queue()
    try:
        _start_reader(viewer, lines)
        address = _address(viewer, lines)
        print(f"Trace de « {args.folder} » : ouvrez {address} dans un navigateur (hors ligne, sur cette machine).",
              flush=True)
        print("Ctrl-C pour arrêter le visualiseur.", flush=True)
        viewer.wait()
        said, code = "Erreur : le visualiseur de trace s’est arrêté de lui-même.", 2
    except KeyboardInterrupt:
        said, code = "\nVisualiseur de trace arrêté.", 0
    finally:
        with interrupts.deferred():  # a second signal does not cut the stop short
            _stop(viewer)
    with interrupts.deferred():
        print(said, file=sys.stderr, flush=True)
    return code
