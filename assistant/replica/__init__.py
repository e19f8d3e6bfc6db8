"""Embedded replica of the Espace Citoyens portal, serving fixtures/ on loopback.

It stands for the real portal and imports nothing from the rest of the assistant.
"""

from .faults import Faults
from .server import Replica, ReplicaConfig
from .state import AuditEntry

__all__ = ["AuditEntry", "Faults", "Replica", "ReplicaConfig"]
