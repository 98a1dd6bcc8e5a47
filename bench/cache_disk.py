"""What the read cache costs on disk: every suppression of the demo seed, read with cache=.

Run: ``python bench/cache_disk.py``. Reads every suppression of the demo seed (every
account, all time) with ``cache=`` into a fresh folder, as a notebook would, then prints
the folder's size (the sum of its files: period files, manifest and lock; and as `du -sb`
counts it, the folders' own entries too) per row, beside the same rows in memory as the
frame the read returns. The figure in ``docs/guide/cache.md`` comes from here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import mmframe as mm
from mmframe.emulator import Emulator


def main() -> None:
    emulator = Emulator("demo", port=0).start()
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            mm.Session(emulator.url, emulator.master_apikey) as session,
        ):
            frame = mm.read_suppressions(None, None, accounts="all", session=session, cache=folder)
            held = mm.cache.info(folder)
            on_disk = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
            # As `du -sb` counts: the folders' own entries too (4 kB each on most systems).
            entries = [Path(folder), *(p for p in Path(folder).rglob("*") if p.is_dir())]
            du = on_disk + sum(p.stat().st_size for p in entries)
    finally:
        emulator.stop()
    rows, memory = len(frame), int(frame.memory_usage(deep=True).sum())
    kept = int(held["rows"].sum())
    print(
        f"{rows:,} suppressions of {frame['account'].nunique()} accounts read; {kept:,} of "
        f"them held in {len(held)} closed months ({frame.attrs['cache']})"
    )
    print(
        f"on disk: {on_disk / 1e6:.2f} MB ({on_disk / kept:.1f} bytes a row held; Parquet "
        f"files {held['bytes'].sum() / 1e6:.2f} MB, the rest the manifest and lock)"
    )
    print(f"`du -sb` of the folder (the {du - on_disk:,} bytes of its folders' entries too): "
          f"{du / 1e6:.2f} MB ({du / kept:.1f} bytes a row held)")  # fmt: skip
    print(f"in memory as the frame read: {memory / 1e6:.2f} MB ({memory / rows:.1f} bytes a row)")
    print(f"1,000,000 such rows: about {on_disk / kept:.0f} MB on disk")


if __name__ == "__main__":
    main()
