"""Histories on disk: datasets written by ``export_suppressions`` / ``export_events`` (their
``_manifest.json`` says what each partition holds) and Parquet or CSV files named after
their kind (``accounts.csv``, ``sent.parquet``, ...), in one folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..wire import is_address
from .columns import EVENT_KINDS, FIELDS, FLAG, INT, KINDS, TIME, ReplayError

MANIFEST = "_manifest.json"


def read_history(path: str | Path) -> dict[str, pd.DataFrame]:
    """The frames of the history at ``path``: kind -> frame (``account`` column where known).

    ``path`` is one exported dataset, or a folder holding datasets and files named
    ``<kind>.parquet`` / ``<kind>.csv``.

    Raises
    ------
    ReplayError
        For a missing folder, an unknown file, an incomplete export or an unreadable file.
    """
    root = Path(path)
    if not root.is_dir():
        raise ReplayError(f"{root}: no such folder")
    pieces: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    names: dict[str, dict[str, str]] = {}
    children = [root] if (root / MANIFEST).exists() else sorted(root.iterdir())
    for child in children:
        if child.is_dir() and (child / MANIFEST).exists():
            kind, frame, headers = _dataset(child)
            pieces.setdefault(kind, []).append((child.name, frame))
            names.update(headers)
        elif child.suffix in (".parquet", ".csv") and not child.name.startswith("."):
            if child.stem not in KINDS:
                raise ReplayError(
                    f"{child}: not a kind of history; name files {', '.join(KINDS)} "
                    "(.parquet or .csv)"
                )
            pieces.setdefault(child.stem, []).append((child.name, _file(child)))
        elif child.is_dir() and not child.name.startswith("."):
            raise ReplayError(f"{child}: a folder without {MANIFEST} (not an mmframe export)")
    if names:
        pieces.setdefault("xheaders", []).insert(0, ("manifests", _xheaders(names)))
    return {kind: _joined(kind, parts) for kind, parts in pieces.items()}


def _joined(kind: str, parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    with_account = {"account" in frame.columns for _name, frame in parts}
    if len(with_account) > 1:
        odd = [name for name, frame in parts if "account" not in frame.columns]
        raise ReplayError(f"{kind}: {', '.join(odd)} name no account while others do")
    frames = [frame for _name, frame in parts]
    if len(frames) == 1:
        return frames[0]
    if kind == "xheaders":  # a file's names win over those a manifest recorded
        if "account" not in frames[-1].columns:
            return frames[-1]
        return pd.concat(frames, ignore_index=True).drop_duplicates("account", keep="last")
    return pd.concat(frames, ignore_index=True)


def _dataset(folder: Path) -> tuple[str, pd.DataFrame, dict[str, dict[str, str]]]:
    """(kind, rows with their account, X-header names by account) of one export."""
    query, partitions = _manifest(folder)
    name = str(query.get("dataset", ""))
    kind = "suppressions" if name == "suppressions" else name.removeprefix("events:").split("?")[0]
    if kind not in KINDS or kind in ("accounts", "xheaders", "senders"):
        raise ReplayError(
            f"{folder}: holds {name!r}; an export of suppressions or of "
            f"{', '.join(EVENT_KINDS)} can be replayed (unique forms are derived)"
        )
    frames = []
    for number, part in enumerate(partitions):
        account, path = _partition(folder, number, part)
        try:
            data = pd.read_parquet(path)
        except (OSError, ValueError) as exc:  # missing, unreadable, or not Parquet
            raise ReplayError(f"{path}: cannot be read ({_said(exc)})") from None
        account_column = pd.Series(account, index=data.index, dtype=object)
        frames.append(pd.concat([account_column.rename("account"), data], axis=1))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"account": []})
    return kind, rows, _names(folder, query.get("xheaders", {}))


def _manifest(folder: Path) -> tuple[dict[str, Any], list[Any]]:
    """An export's query and partitions, as its manifest gives them, checked."""
    path = folder / MANIFEST
    try:
        body = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError) as exc:  # unreadable, or not JSON
        raise ReplayError(f"{path}: not a manifest ({type(exc).__name__}: {_said(exc)})") from None
    if not isinstance(body, dict):
        raise ReplayError(f"{path}: not a manifest (a JSON object of query and partitions)")
    query, partitions = body.get("query", {}), body.get("partitions", [])
    if not isinstance(query, dict):
        raise ReplayError(f"{path}: its query is {type(query).__name__}, not an object")
    if not isinstance(partitions, list):
        raise ReplayError(f"{path}: its partitions are {type(partitions).__name__}, not a list")
    return query, partitions


def _partition(folder: Path, number: int, part: object) -> tuple[str, Path]:
    """(account, Parquet file) of a complete partition inside ``folder``; else ReplayError.

    A path leading outside the export (``../``, absolute, or through a link) is refused:
    a manifest decides only which of the export's own files are read.
    """
    where = f"{folder}: partition {number}"
    if not isinstance(part, dict):
        raise ReplayError(f"{where} is {type(part).__name__}, not an object")
    rows, count = part.get("rows"), part.get("count")
    whole = isinstance(rows, int) and not isinstance(rows, bool) and rows == count
    if part.get("status") != "complete" or not whole:
        raise ReplayError(
            f"{where} ({part.get('path')}) is {part.get('status')}, its rows {rows!r} of a "
            f"count of {count!r}: re-run the export to complete it"
        )
    account, path = part.get("account"), part.get("path")
    if not isinstance(account, str) or not account:
        raise ReplayError(f"{where} names no account")
    if not is_address(account):
        raise ReplayError(f"{where} names the account {account!r}, which the API refuses")
    if not isinstance(path, str) or not path:
        raise ReplayError(f"{where} has no path")
    file = folder / path / "part-0.parquet"
    if not file.resolve().is_relative_to(folder.resolve()):
        raise ReplayError(f"{where}: its path {path!r} leads outside the export")
    return account, file


def _names(folder: Path, names: object) -> dict[str, dict[str, str]]:
    """The X-header names a manifest recorded: account -> slot -> name."""
    if not isinstance(names, dict) or not all(
        isinstance(slots, dict) and all(isinstance(v, str | None) for v in slots.values())
        for slots in names.values()
    ):
        raise ReplayError(f"{folder / MANIFEST}: its xheaders are not account -> slot -> name")
    return names


def _xheaders(names: dict[str, dict[str, str]]) -> pd.DataFrame:
    rows = [{"account": account, **slots} for account, slots in names.items()]
    return pd.DataFrame(rows, columns=["account", *(f"xheader{i}" for i in range(1, 5))])


def _file(path: Path) -> pd.DataFrame:
    """One file's rows; CSV text converted to the kind's types."""
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        text = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise ReplayError(f"{path}: cannot be read ({_said(exc)})") from None
    types = {f.name: f.type for f in FIELDS[path.stem]}
    for column in text.columns:
        try:
            text[column] = _typed(text[column], types.get(column))
        except ValueError as exc:
            raise ReplayError(f"{path}: column {column!r}: {_said(exc)}") from None
    return text


def _typed(values: pd.Series, kind: str | None) -> pd.Series:
    if kind == TIME:
        return pd.Series(pd.to_datetime(values, format="ISO8601"), index=values.index)
    if kind == INT:
        return pd.to_numeric(values).astype("Int64")
    if kind == FLAG:
        words = {"true": True, "1": True, "false": False, "0": False}
        flags = values.str.lower().map(words)
        odd = flags.isna() & values.notna()
        if odd.any():
            raise ValueError(f"flags must be true/false or 1/0, not {sorted(set(values[odd]))[:3]}")
        return flags.astype("boolean")
    return values


def _said(exc: BaseException) -> str:
    """The first line of what a library said (pandas adds lines of advice): a refusal is
    one line, for the admin route's answer and the command line."""
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), repr(exc))
