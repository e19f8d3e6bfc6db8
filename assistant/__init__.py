"""Espace Citoyens assistant: drives the family portal's documented journeys in a real browser.

Library code logs through loguru but stays silent until an application (the CLI) enables it,
following loguru's library recipe.

Run as the command (``python -m assistant``, the ``assistant`` script), the package first makes
SIGINT and SIGTERM end the start-up at once (:mod:`assistant.__main__`): the imports take a second
or two and nothing has started yet. Imported as a library, it leaves the signals alone.
"""

import os
import sys

# the command starting: ``python -m assistant`` imports the package while argv[0] is still « -m »; the
# installed script runs as « …/assistant » (a library user's process is neither: its signals stay its own)
_ARGV0 = (getattr(sys, "argv", None) or [""])[0]
if _ARGV0 == "-m" or os.path.basename(_ARGV0).removesuffix(".exe") == "assistant":
    from .startup import exit_at_once_on_signals

    exit_at_once_on_signals()

from loguru import logger  # noqa: E402  (after the signals: importing loguru takes a while)

__version__ = "0.1.0"

logger.disable("assistant")
