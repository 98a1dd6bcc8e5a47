"""``df.mm``: a thin accessor; every method delegates to a function in :mod:`mmframe.writes`.

The signatures are spelled out (not ``**options``) so notebooks complete them and type
checkers check them; the options are those of :class:`mmframe.writes.apply.Options`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd

from . import writes
from .client import Session
from .writes.apply import OnError, OnInvalid

Path = str | os.PathLike[str]


@pd.api.extensions.register_dataframe_accessor("mm")
class MMAccessor:
    """Writes and summaries on frames loaded by mmframe (``frame.mm.activate()`` ...).

    The frame is checked on every call, not here: pandas caches accessors per frame, and
    frames change after the accessor is made.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise AttributeError("the mm accessor works on DataFrames only")
        self._frame = frame

    def activate(
        self,
        *,
        full: bool = False,
        kind: str | None = None,
        dry_run: bool = False,
        confirm: bool | int | None = None,
        confirm_threshold: int = 1000,
        batch_size: int | None = None,
        journal: Path | None = None,
        verify: bool = False,
        on_error: OnError = "collect",
        on_invalid: OnInvalid = "raise",
        session: Session | None = None,
        progress: bool | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """See :func:`mmframe.activate`."""
        return writes.activate(
            self._frame, full=full, kind=kind, dry_run=dry_run, confirm=confirm,
            confirm_threshold=confirm_threshold, batch_size=batch_size, journal=journal,
            verify=verify, on_error=on_error, on_invalid=on_invalid, session=session,
            progress=progress, on_batch=on_batch,
        )  # fmt: skip

    def suppress(
        self,
        *,
        kind: str | None = None,
        dry_run: bool = False,
        confirm: bool | int | None = None,
        confirm_threshold: int = 1000,
        batch_size: int | None = None,
        journal: Path | None = None,
        verify: bool = False,
        on_error: OnError = "collect",
        on_invalid: OnInvalid = "raise",
        session: Session | None = None,
        progress: bool | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """See :func:`mmframe.suppress`."""
        return writes.suppress(
            self._frame, kind=kind, dry_run=dry_run, confirm=confirm,
            confirm_threshold=confirm_threshold, batch_size=batch_size, journal=journal,
            verify=verify, on_error=on_error, on_invalid=on_invalid, session=session,
            progress=progress, on_batch=on_batch,
        )  # fmt: skip

    def set_seeding(
        self,
        value: int,
        *,
        kind: str | None = None,
        dry_run: bool = False,
        confirm: bool | int | None = None,
        confirm_threshold: int = 1000,
        batch_size: int | None = None,
        journal: Path | None = None,
        verify: bool = False,
        on_error: OnError = "collect",
        on_invalid: OnInvalid = "raise",
        session: Session | None = None,
        progress: bool | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """See :func:`mmframe.set_seeding`."""
        return writes.set_seeding(
            self._frame, value, kind=kind, dry_run=dry_run, confirm=confirm,
            confirm_threshold=confirm_threshold, batch_size=batch_size, journal=journal,
            verify=verify, on_error=on_error, on_invalid=on_invalid, session=session,
            progress=progress, on_batch=on_batch,
        )  # fmt: skip

    def set_dkim(
        self,
        selector: str,
        *,
        kind: str | None = None,
        dry_run: bool = False,
        confirm: bool | int | None = None,
        confirm_threshold: int = 1000,
        batch_size: int | None = None,
        journal: Path | None = None,
        verify: bool = False,
        on_error: OnError = "collect",
        on_invalid: OnInvalid = "raise",
        session: Session | None = None,
        progress: bool | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """See :func:`mmframe.set_dkim`."""
        return writes.set_dkim(
            self._frame, selector, kind=kind, dry_run=dry_run, confirm=confirm,
            confirm_threshold=confirm_threshold, batch_size=batch_size, journal=journal,
            verify=verify, on_error=on_error, on_invalid=on_invalid, session=session,
            progress=progress, on_batch=on_batch,
        )  # fmt: skip

    def delete(
        self,
        *,
        kind: str | None = None,
        dry_run: bool = False,
        confirm: bool | int | None = None,
        confirm_threshold: int = 1000,
        batch_size: int | None = None,
        journal: Path | None = None,
        verify: bool = False,
        on_error: OnError = "collect",
        on_invalid: OnInvalid = "raise",
        session: Session | None = None,
        progress: bool | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> pd.DataFrame:
        """See :func:`mmframe.delete`."""
        return writes.delete(
            self._frame, kind=kind, dry_run=dry_run, confirm=confirm,
            confirm_threshold=confirm_threshold, batch_size=batch_size, journal=journal,
            verify=verify, on_error=on_error, on_invalid=on_invalid, session=session,
            progress=progress, on_batch=on_batch,
        )  # fmt: skip

    def summary(self) -> pd.Series:
        """See :func:`mmframe.summary`: rows per status of a write result."""
        return writes.summary(self._frame)
