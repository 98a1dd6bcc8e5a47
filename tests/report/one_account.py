"""One account's history as replay frames, and an emulator serving it (the mid-day start
and end tests build their storms this way)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pandas as pd

from mmframe.emulator import Emulator


def account_frames(
    rows: Mapping[str, list[dict[str, object]]], account: str
) -> dict[str, pd.DataFrame]:
    """Each kind's rows as a frame, ``account`` in its first column."""
    frames = {}
    for kind, made in rows.items():
        frame = pd.DataFrame(made)
        frame.insert(0, "account", account)
        frames[kind] = frame
    return frames


@contextmanager
def serving(frames: dict[str, pd.DataFrame]) -> Iterator[tuple[Emulator, dict[str, pd.DataFrame]]]:
    """An empty emulator with ``frames`` replayed into it, and the frames."""
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**frames)
        yield emulator, frames
