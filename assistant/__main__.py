"""``python -m assistant`` and the ``assistant`` command.

SIGINT and SIGTERM are handled from the first moment: while the command loads (a second or two,
nothing started yet) they end it at once with 130 / 143 and no traceback; then
:mod:`assistant.interrupts` takes over for the run.
"""

import signal
import sys


def _exit_at_once(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _exit_at_once)
    from .cli import main as run_command  # loaded once the signals are handled

    return run_command()


if __name__ == "__main__":
    sys.exit(main())
