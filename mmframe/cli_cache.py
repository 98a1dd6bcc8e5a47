"""``mmframe cache info|clear``: what the read cache holds, and removing it.

The options are built without importing pandas or the cache (``mmframe cache --help``
answers at once); :func:`run` loads them when the command runs.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

WHERE = (
    "the cache folder (default: MMFRAME_CACHE when it names a folder, else the per-user "
    "folder that cache=True uses)"
)


def options(cache: argparse.ArgumentParser) -> None:
    """``info`` and ``clear``, each with ``--path``; ``clear`` with ``--account``."""
    actions = cache.add_subparsers(dest="action", required=True, metavar="{info,clear}")
    what = "list what the cache holds: per account and kind, its periods, rows, size and age"
    info = actions.add_parser("info", help=what, description=what + ".")
    info.add_argument("--path", type=_path, help=WHERE)
    what = "remove the cache's periods, every account's or one's; later reads read them again"
    clear = actions.add_parser("clear", help=what, description=what + ".")
    clear.add_argument(
        "--account", type=_username, help="only this account's periods (its username)"
    )
    clear.add_argument("--path", type=_path, help=WHERE)


def _username(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a username (or leave --account out for all)")
    return text


def _path(text: str) -> str:
    # "" would be the current folder: `--path "$UNSET"` must not clear the caches there.
    if not text.strip():
        raise argparse.ArgumentTypeError("give a folder (or leave --path out for the default)")
    return text


def cache_folder(text: str) -> str:
    """``report``/``export --cache FOLDER``: an empty one is a usage error, as ``--path``'s."""
    # "" would be the current folder: `--cache "$UNSET"` is a slip, not a choice.
    if not text.strip():
        raise argparse.ArgumentTypeError("give a folder (or --cache alone for the per-user one)")
    return text


def _folder(path: str | None) -> Path:
    """The cache folder meant; a file, or a path under one, is refused, naming the option."""
    from .cache import _folder as folder

    return folder(path, given="--path ")


def run(args: argparse.Namespace) -> int:
    """Print what ``info`` lists or ``clear`` removed; 0. A warning on the way (a cache of
    another schema version, a manifest that cannot be trusted) is one line on stderr,
    ``warning: ...``, each said once: not Python's two, naming the console script's line."""
    root = _folder(args.path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            said = _clear(args.account, root) if args.action == "clear" else _info(root)
        finally:
            for message in dict.fromkeys(str(w.message) for w in caught):
                print(f"warning: {message}", file=sys.stderr)
    print(said)
    return 0


def _info(root: Path) -> str:
    from . import cache

    return summary(cache.info(root), root)


def _clear(account: str | None, root: Path) -> str:
    """What ``clear`` removed, in words: the periods and, clearing every account, the caches
    of other schema versions (which ``info`` and every read warn about until then)."""
    from . import cache
    from .cache.store import Store

    older = [p.name for p in Store(root).other_versions()] if account is None else []
    removed = cache.clear(account, path=root)
    whose = f" of {account}" if account is not None else ""
    said = f"removed {removed:,} period{'' if removed == 1 else 's'}{whose} from {root}"
    if older:
        versions = ", ".join(older)
        said += f", and the cache{'s' if len(older) > 1 else ''} of mmframe cache schema "
        said += f"{versions} (another version of mmframe's) there"
    return said


def _size(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def _age(delta: pd.Timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def summary(held: pd.DataFrame, root: Path) -> str:
    """One line for the folder, then one per endpoint, account and kind: its periods, their
    span, rows, size, and the age of its oldest and newest period written."""
    from .dates import now_utc

    if held.empty:
        return f"cache at {root}: empty"
    now = now_utc()
    accounts = held["account"].nunique()
    lines = [
        f"cache at {root}: {len(held):,} period{'' if len(held) == 1 else 's'} of "
        f"{accounts} account{'' if accounts == 1 else 's'}, {_size(held['bytes'].sum())}"
    ]
    table = held.groupby(["endpoint", "account", "kind"], sort=True).agg(
        periods=("start", "size"), first=("start", "min"), last=("end", "max"),
        rows=("rows", "sum"), size=("bytes", "sum"), oldest=("written_at", "min"),
        newest=("written_at", "max"),
    )  # fmt: skip
    spans = zip(table["first"], table["last"], strict=True)
    table["span"] = [f"{a:%Y-%m-%d} to {b:%Y-%m-%d}" for a, b in spans]
    table["rows"] = table["rows"].map("{:,}".format)
    table["size"] = table["size"].map(_size)
    written = zip(table["oldest"], table["newest"], strict=True)
    table["age"] = [f"{_age(now - o)} to {_age(now - n)}" for o, n in written]
    shown = table[["periods", "span", "rows", "size", "age"]].reset_index()
    lines.append(shown.to_string(index=False))
    return "\n".join(lines)
