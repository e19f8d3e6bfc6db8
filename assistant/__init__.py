"""Espace Citoyens assistant: drives the family portal's documented journeys in a real browser.

Library code logs through loguru but stays silent until an application (the CLI) enables it,
following loguru's library recipe.
"""

from loguru import logger

__version__ = "0.1.0"

logger.disable("assistant")
