"""Histories on disk: datasets written by ``export_suppressions`` / ``export_events`` (their
``_manifest.json`` says what each partition holds) and Parquet or CSV files named after
their kind (``accounts.csv``, ``sent.parquet``, ...), in one folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

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
    manifest = json.loads((folder / MANIFEST).read_text())
    query: dict[str, Any] = manifest.get("query", {})
    name = str(query.get("dataset", ""))
    kind = "suppressions" if name == "suppressions" else name.removeprefix("events:").split("?")[0]
    if kind not in KINDS or kind in ("accounts", "xheaders", "senders"):
        raise ReplayError(
            f"{folder}: holds {name!r}; an export of suppressions or of "
            f"{', '.join(EVENT_KINDS)} can be replayed (unique forms are derived)"
        )
    frames = []
    for part in manifest.get("partitions", []):
        if part.get("status") != "complete" or part.get("rows") != part.get("count"):
            raise ReplayError(
                f"{folder}: partition {part.get('path')} is {part.get('status')}: "
                "re-run the export to complete it"
            )
        data = pd.read_parquet(folder / part["path"] / "part-0.parquet")
        account = pd.Series(part["account"], index=data.index, dtype=object)
        frames.append(pd.concat([account.rename("account"), data], axis=1))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"account": []})
    return kind, rows, dict(query.get("xheaders", {}))


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
        raise ReplayError(f"{path}: cannot be read ({exc})") from None
    types = {f.name: f.type for f in FIELDS[path.stem]}
    for column in text.columns:
        try:
            text[column] = _typed(text[column], types.get(column))
        except ValueError as exc:
            raise ReplayError(f"{path}: column {column!r}: {exc}") from None
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
