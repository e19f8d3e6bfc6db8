"""Espace Citoyens assistant: drives the family portal's documented journeys in a real browser.

Library code logs through loguru but stays silent until an application (the CLI) enables it,
following loguru's library recipe.

Run as the command (``python -m assistant``, the ``assistant`` script), the package first makes
SIGINT and SIGTERM end the start-up at once (:mod:`assistant.__main__`): the imports take a second
or two and nothing has started yet. Imported as a library, it leaves the signals alone.
"""

import sys

from .startup import as_the_command, exit_at_once_on_signals

if as_the_command(sys.argv):
    exit_at_once_on_signals()

from loguru import logger  # noqa: E402  (after the signals: importing loguru takes a while)

__version__ = "0.1.0"

logger.disable("assistant")
