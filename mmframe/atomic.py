"""Files that appear whole or not at all: written to a temporary name, then renamed.

The export's partitions and manifest and the cache's periods and manifest are written here,
so both keep one rule: a crash (or a reader in another process) never sees half a file,
only the last good one. ``private=True`` creates the file readable by its owner alone
(``0o600``), as the cache's files are.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

#: Where a Parquet file written here keeps its table's exact Arrow schema: Parquet has no
#: ``timestamp[s]`` (it reads back as ``[ms]``), among others, and a table read back must
#: be the table written.
SCHEMA_KEY = b"mmframe:arrow_schema"
#: An empty table's dictionaries (pandas' categories): Parquet writes none without rows.
DICTIONARIES_KEY = b"mmframe:empty_dictionaries"
#: Modes a new file is created with (the umask may take bits away, never add them).
PRIVATE, SHARED = 0o600, 0o666


@contextlib.contextmanager
def _replacing(target: Path, *, private: bool) -> Iterator[IO[bytes]]:
    """A new file at a unique temporary name beside ``target``, renamed over it once the
    block ends without error (and removed otherwise).

    The name is unique per writer (process id and a random part): two processes writing the
    same target never write into one temporary file; the last rename wins whole.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, PRIVATE if private else SHARED)
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename makes it the current file
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_table(
    table: pa.Table, target: Path, *, private: bool = False, fast_reads: bool = False
) -> int:
    """Write ``table`` as the Parquet file ``target``, atomically; its size in bytes.

    Pages carry checksums (:func:`read_table` checks them): a file damaged in place reads as
    an error, not as other rows. The exact Arrow schema is kept beside Parquet's own.
    ``fast_reads``: encoded to be read back fast (:func:`_fast_reads`; the read cache's).
    """
    kept = {SCHEMA_KEY: base64.b64encode(table.schema.serialize().to_pybytes())}
    kept.update(_empty_dictionaries(table))
    written = table.replace_schema_metadata({**(table.schema.metadata or {}), **kept})
    import pyarrow.parquet as pq  # here: what writes no file never loads it

    options = _fast_reads(table.schema) if fast_reads else {}
    with _replacing(target, private=private) as file:
        pq.write_table(written, file, write_page_checksum=True, **options)
    return target.stat().st_size


def _fast_reads(schema: pa.Schema) -> dict[str, Any]:
    """Parquet settings for a file read back often: LZ4 pages, 64-bit integers and times
    delta-encoded (ids and times in list order barely change from row to row), other columns
    dictionary-encoded while their dictionary stays small (a domain, a reason; an address,
    unique, soon falls back to plain). A million suppressions read in about 0.6 of the
    time of Parquet's defaults, in 0.4 of the bytes."""
    deltas = [f.name for f in schema if pa.types.is_int64(f.type) or pa.types.is_timestamp(f.type)]
    return {
        "compression": "lz4",
        "use_dictionary": [f.name for f in schema if f.name not in deltas],
        "column_encoding": dict.fromkeys(deltas, "DELTA_BINARY_PACKED"),
        "dictionary_pagesize_limit": 64 * 1024,
    }


def read_table(path: Path) -> pa.Table:
    """The table written by :func:`write_table` into ``path``: its schema exactly (types,
    metadata), its page checksums checked.

    Raises
    ------
    OSError, pyarrow.ArrowException
        When the file is missing, truncated or damaged.
    """
    import pyarrow.dataset as ds  # here: what reads no file never loads it
    import pyarrow.fs as fs

    # One file's fragment, decoded into the system allocator's memory: from pyarrow's
    # default one (mimalloc), a read after a large frame was freed paid for giving that
    # frame's memory back to the system (1M cached rows after a fresh read: 0.1 s more).
    checked = ds.ParquetFragmentScanOptions(page_checksum_verification=True)
    parquet = ds.ParquetFileFormat(default_fragment_scan_options=checked)
    fragment = parquet.make_fragment(str(path), filesystem=fs.LocalFileSystem())
    table = fragment.to_table(schema=fragment.physical_schema, memory_pool=pa.system_memory_pool())
    kept = table.schema.metadata or {}
    if SCHEMA_KEY not in kept:  # not written here: as Parquet gives it
        return table
    table = table.cast(pa.ipc.read_schema(pa.py_buffer(base64.b64decode(kept[SCHEMA_KEY]))))
    if DICTIONARIES_KEY in kept:
        table = _with_dictionaries(table, kept[DICTIONARIES_KEY])
    return table


def _empty_dictionaries(table: pa.Table) -> dict[bytes, bytes]:
    """The dictionaries of an empty table's dictionary columns, as Arrow IPC in base64: a
    one-row table of lists, its columns named by position."""
    if table.num_rows:
        return {}
    held = {}
    for i, column in enumerate(table.unify_dictionaries().columns):
        if pa.types.is_dictionary(column.type) and column.num_chunks:
            values = column.chunk(0).dictionary
            held[str(i)] = pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), values)
    if not held:
        return {}
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, pa.schema([(n, a.type) for n, a in held.items()])) as stream:
        stream.write_table(pa.table(held))
    return {DICTIONARIES_KEY: base64.b64encode(sink.getvalue().to_pybytes())}


def _with_dictionaries(table: pa.Table, encoded: bytes) -> pa.Table:
    """``table`` (empty) with the dictionaries :func:`_empty_dictionaries` kept."""
    held = pa.ipc.open_stream(pa.py_buffer(base64.b64decode(encoded))).read_all()
    for name in held.column_names:
        i = int(name)
        field = table.schema.field(i)
        values = held.column(name).chunk(0).values
        empty = pa.DictionaryArray.from_arrays(
            pa.array([], field.type.index_type), values, ordered=field.type.ordered
        )
        table = table.set_column(i, field, pa.chunked_array([empty], field.type))
    return table


def write_text(target: Path, text: str, *, private: bool = False) -> None:
    """Write ``text`` (UTF-8) as ``target``, atomically."""
    with _replacing(target, private=private) as file:
        file.write(text.encode("utf-8"))
