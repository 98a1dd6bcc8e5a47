"""The read cache: closed periods kept on disk, each checked by one count before it is served.

``mm.cache`` (loaded on first use). :func:`info` lists what a cache folder holds, one row
per period; :func:`clear` removes it, or one account's part of it; :func:`default_root`
is the per-user folder ``cache=True`` uses. The rule that keeps a cached read exact, and
what it costs on disk, are in the user guide's cache page; the files themselves are
``mmframe.cache.store``'s.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .store import Store, default_root

if TYPE_CHECKING:
    import pandas as pd


def _root(path: str | os.PathLike[str] | None) -> Path:
    """The folder meant: ``path``, else ``MMFRAME_CACHE`` when it is a path, else the
    per-user folder (where ``cache=True`` reads and writes); ``~`` is the home folder, as
    the reads take it."""
    from ..client.checks import cache_from_env

    if path is not None:
        return Path(path).expanduser()
    given = cache_from_env()  # the words that name no folder are the reads'
    return Path(os.fspath(given)).expanduser() if isinstance(given, str) else default_root()


def _folder(path: str | os.PathLike[str] | None, given: str = "path=") -> Path:
    """The folder :func:`_root` finds; ``ValueError`` when it is a file or lies under one
    (named as ``given`` says, or as ``MMFRAME_CACHE``), as the reads refuse it: a typo'd
    path must not look like a clean, empty cache."""
    root = _root(path)
    blocking = next((p for p in (root, *root.parents) if p.exists() and not p.is_dir()), None)
    if blocking is None:
        return root
    named = f"{given}{path}" if path is not None else f"MMFRAME_CACHE={root}"
    under = "" if blocking == root else f" lies under {blocking}, which"
    raise ValueError(f"{named}{under} is a file, not a cache folder: give the cache's folder")


def info(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """What a cache folder holds: one row per period.

    Parameters
    ----------
    path : str or path-like, default None
        The cache folder; None for ``MMFRAME_CACHE`` when it names a folder, else the
        per-user folder (:func:`default_root`).

    Returns
    -------
    pandas.DataFrame
        Columns ``endpoint`` (the API's URL, never a key), ``account``, ``kind``
        (``"suppressions"`` or a report), ``filters`` (the read's, as text; ``""`` for
        none), ``start`` and ``end`` (the period, UTC, half-open), ``rows``, ``bytes``
        (its file's size) and ``written_at`` (UTC); empty when nothing is held.

    Raises
    ------
    ValueError
        When the folder is a file, or lies under one.

    Warns
    -----
    CacheWarning
        For a manifest that cannot be trusted (it is removed, with what it described).

    Examples
    --------
    >>> import mmframe as mm
    >>> mm.cache.info("/tmp/mmframe-doc-cache-empty").empty
    True
    """
    return Store(_folder(path)).info()


def clear(account: str | None = None, path: str | os.PathLike[str] | None = None) -> int:
    """Remove what a cache folder holds: every period, or one account's.

    Parameters
    ----------
    account : str, default None
        The account's username; None for every account (and any cache another mmframe
        cache schema version wrote there). Only the folders the cache made are touched:
        the user's own files and folders there stay.
    path : str or path-like, default None
        The cache folder, as :func:`info` takes it.

    Returns
    -------
    int
        The number of periods removed. The next cached read reads them from the server.

    Examples
    --------
    >>> import mmframe as mm
    >>> mm.cache.clear(path="/tmp/mmframe-doc-cache-empty")
    0
    """
    if account is not None and (not isinstance(account, str) or not account):
        raise ValueError(f"account={account!r} is no username: give one, or None for all")
    return Store(_folder(path)).clear(account)


__all__ = ["clear", "default_root", "info"]
