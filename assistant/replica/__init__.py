"""Embedded replica of the Espace Citoyens portal, serving fixtures/ on loopback (Flask, served by cheroot).

It stands for the real portal and imports nothing from the rest of the assistant. A composition
(``Composition``, numbered ``0 … COUNT-1``; named presets ``SKINS``) picks one rendering for every
aspect of the portal's pages (renderings.py).
``ReplicaConfig(state_dir=…)`` keeps what the families change between runs (store.py).
"""

from .config import ReplicaConfig, UnwritablePath
from .faults import Faults, Mutation
from .server import Replica
from .skins import COUNT, SKINS, Composition, Skin, UnknownSkin
from .state import AuditEntry
from .store import STATE_ENV, CorruptState, default_state_dir, reset_command

__all__ = ["COUNT", "SKINS", "STATE_ENV", "AuditEntry", "Composition", "CorruptState", "Faults", "Mutation", "Replica",
           "ReplicaConfig", "Skin", "UnknownSkin", "UnwritablePath", "default_state_dir", "reset_command"]
