"""``mmframe cache info|clear``: what the read cache holds, and removing it.

The options are built without importing pandas or the cache (``mmframe cache --help``
answers at once); :func:`run` loads them when the command runs.
"""

from __future__ import annotations

import argparse
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
    info.add_argument("--path", help=WHERE)
    what = "remove the cache's periods, every account's or one's; later reads read them again"
    clear = actions.add_parser("clear", help=what, description=what + ".")
    clear.add_argument(
        "--account", type=_username, help="only this account's periods (its username)"
    )
    clear.add_argument("--path", help=WHERE)


def _username(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a username (or leave --account out for all)")
    return text


def _folder(path: str | None) -> Path:
    """The cache folder meant; a path that is no folder is refused, naming the option."""
    from .cache import _root

    root = _root(path)
    if root.exists() and not root.is_dir():
        given = f"--path {path}" if path is not None else f"MMFRAME_CACHE={root}"
        raise ValueError(f"{given} is a file, not a cache folder: give the cache's folder")
    return root


def run(args: argparse.Namespace) -> int:
    """Print what ``info`` lists or ``clear`` removed; 0."""
    from . import cache

    root = _folder(args.path)
    if args.action == "clear":
        removed = cache.clear(args.account, path=root)
        whose = f" of {args.account}" if args.account is not None else ""
        print(f"removed {removed:,} period{'' if removed == 1 else 's'}{whose} from {root}")
        return 0
    print(summary(cache.info(root), root))
    return 0


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
