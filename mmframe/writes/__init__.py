"""Bulk writes from frames: validated, planned (journal), run (batches), verified."""

from __future__ import annotations

from ..errors import InvalidRowsError
from .accounts import rotate_apikey, set_xheaders, upsert_accounts
from .apply import summary
from .operations import activate, create_senders, delete, set_dkim, set_seeding, suppress

__all__ = [
    "InvalidRowsError",
    "activate",
    "create_senders",
    "delete",
    "rotate_apikey",
    "set_dkim",
    "set_seeding",
    "set_xheaders",
    "summary",
    "suppress",
    "upsert_accounts",
]
