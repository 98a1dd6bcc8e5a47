"""What a replay answers: its outcome and its error, kept apart from the replay itself
(:mod:`.replay`, which needs pandas) so that serving the seeds loads no pandas."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReplayError(ValueError):
    """A history that cannot be loaded; nothing of it was written."""


@dataclass
class Replayed:
    """What a replay wrote: rows per kind, and the accounts it created.

    ``created`` maps each new account's username to its key: secrets, shown once and
    never in the repr.
    """

    rows: dict[str, int]
    created: dict[str, str] = field(repr=False)

    def __repr__(self) -> str:
        return f"Replayed(rows={self.rows}, created={sorted(self.created)})"
