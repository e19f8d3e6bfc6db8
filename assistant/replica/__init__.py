"""Embedded replica of the Espace Citoyens portal, serving fixtures/ on loopback (Flask + werkzeug).

It stands for the real portal and imports nothing from the rest of the assistant. A skin
(``SKINS``, ``Skin``) picks one plausible markup for every guessed aspect of the portal.
"""

from .config import ReplicaConfig, UnwritablePath
from .faults import Faults, Mutation
from .server import Replica
from .skins import SKINS, Skin, UnknownSkin
from .state import AuditEntry

__all__ = ["SKINS", "AuditEntry", "Faults", "Mutation", "Replica", "ReplicaConfig", "Skin", "UnknownSkin",
           "UnwritablePath"]
