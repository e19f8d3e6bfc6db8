"""``python -m assistant`` and the ``assistant`` command.

SIGINT and SIGTERM are handled from the first moment (:mod:`assistant.startup`, installed by the
package itself before its first slow import): while the command loads (a second or two, nothing
started yet) they end it at once with 130 / 143, no traceback; then :mod:`assistant.interrupts`
takes over for the run.

A reader that stops reading (``assistant historique | head``, ``factures --csv | head -1``) ends the
command quietly with exit code 141 (128 + SIGPIPE, what a Unix tool stopped by a closed pipe
returns: a script under ``set -o pipefail`` learns the output was cut): no ``BrokenPipeError``, and
what was still to print goes nowhere. The run itself is over by then: its report is written first.
"""

import os
import sys

from .startup import exit_at_once_on_signals

CLOSED_PIPE = 141


def main() -> int:
    exit_at_once_on_signals()  # again: a caller may have imported the package as a library first
    from .cli import main as run_command  # loaded once the signals are handled

    try:
        code = run_command()
        if sys.stdout is not None:  # None: started with its stdout closed (>&-), print() writes nothing
            sys.stdout.flush()  # here, not at exit: a closed pipe is then this command's to say
        return code
    except BrokenPipeError:
        # Python's own recipe: what is left in stdout's buffer must not fail again at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return CLOSED_PIPE


if __name__ == "__main__":
    sys.exit(main())
