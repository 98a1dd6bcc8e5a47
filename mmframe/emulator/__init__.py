"""A faithful local emulator of the Dyn Message Management REST API.

It imports nothing from the client side of mmframe and meets it only on the wire.
"""

from __future__ import annotations

from .replayed import Replayed, ReplayError
from .seed import CLIMB, SEEDS, STORM
from .server import Emulator
from .settings import FAULT_MODES, Settings

__all__ = [
    "CLIMB",
    "FAULT_MODES",
    "SEEDS",
    "STORM",
    "Emulator",
    "ReplayError",
    "Replayed",
    "Settings",
]
