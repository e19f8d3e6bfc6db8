"""Embedded replica of the Espace Citoyens portal, serving fixtures/ on loopback (Flask + werkzeug).

It stands for the real portal and imports nothing from the rest of the assistant. A skin
(``SKINS``, ``Skin``) picks one plausible markup for every guessed aspect of the portal.
``ReplicaConfig(state_dir=…)`` keeps what the families change between runs (store.py).
"""

from .config import ReplicaConfig, UnwritablePath
from .faults import Faults, Mutation
from .server import Replica
from .skins import SKINS, Skin, UnknownSkin
from .state import AuditEntry
from .store import STATE_ENV, CorruptState, default_state_dir, reset_command

__all__ = ["SKINS", "STATE_ENV", "AuditEntry", "CorruptState", "Faults", "Mutation", "Replica", "ReplicaConfig",
           "Skin", "UnknownSkin", "UnwritablePath", "default_state_dir", "reset_command"]
