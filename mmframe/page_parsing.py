"""Suppression pages straight into Arrow columns, off the GIL. No pandas.

A page of 500 rows parsed into Python dicts and then copied column by column costs the
client more than the request itself. Arrow's JSON reader parses the envelope in C++
(releasing the GIL, so the worker threads parse in parallel) into typed columns:
addresses as text, times as UTC seconds. Anything it cannot read, or that does not plainly
fit the method's rows (:func:`mmframe.answers.conforms`: a pretty-printed body, an
unexpected time format, an error envelope, a field missing or out of range) goes the plain
way: ``json``, the answer checked (:mod:`mmframe.answers`), then the same columns, or the
error the envelope or the check raises.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from .answers import Obj, conforms, parse_time, row_of

ROW = pa.struct(
    [
        ("emailaddress", pa.string()),
        ("suppresstime", pa.timestamp("s", tz="UTC")),
        ("suppressionid", pa.string()),
        ("reasontype", pa.string()),
    ]
)
#: One page's columns: the envelope's ``data.suppressions`` flattened, and each address's
#: lower-cased domain, computed here in the worker thread (off the read's critical path).
COLUMNS = pa.schema([*ROW, ("domain", pa.string())])
_FIELDS = pa.schema(list(ROW))


#: Where the columns of a read's whole frame are allocated: the system allocator. pyarrow's
#: default on Linux, mimalloc, is slow to hand out buffers of several megabytes afresh
#: (mimalloc issue 799): a million-row frame's columns took 0.6-1.0 s from it against 0.2 s
#: from the system's (2-core VMs), all of it after the read's last page. Pages, parsed a
#: few hundred kilobytes at a time, keep the default.
FRAME_POOL = pa.system_memory_pool()


def domains(
    emails: pa.Array | pa.ChunkedArray, pool: pa.MemoryPool | None = None
) -> pa.Array | pa.ChunkedArray:
    """The lower-cased domain of each address (what follows its last ``@``)."""
    # Split at the last "@" (a third of the regex's time over a million addresses); an
    # address without one (one part) sends the whole column the regex's way.
    parts = pc.split_pattern(emails, "@", max_splits=1, reverse=True, memory_pool=pool)
    if pc.min(pc.list_value_length(parts)).as_py() in (None, 2):
        return _lower(pc.list_element(parts, 1, memory_pool=pool), pool)
    # (?s): a line break before the "@" is text like any other, as the split reads it
    # (without it, "a\n@x.com" kept its whole text when a neighbour had no "@").
    bare = pc.replace_substring_regex(emails, pattern="(?s)^.*@", replacement="", memory_pool=pool)
    return _lower(bare, pool)


def _lower(
    texts: pa.Array | pa.ChunkedArray, pool: pa.MemoryPool | None
) -> pa.Array | pa.ChunkedArray:
    """``texts`` lower-cased: ASCII's kernel where every text is ASCII (a fifth of the time
    of Unicode's, which gives the same there)."""
    if pc.all(pc.string_is_ascii(texts)).as_py() is not False:
        return pc.ascii_lower(texts, memory_pool=pool)
    return pc.utf8_lower(texts, memory_pool=pool)


def _with_domain(table: pa.Table) -> pa.Table:
    """``table`` (:data:`COLUMNS`) with each address's domain."""
    return table.set_column(
        COLUMNS.get_field_index("domain"), "domain", domains(table.column("emailaddress"))
    )


_ENVELOPE = pa.schema(
    [
        (
            "response",
            pa.struct(
                [("status", pa.int64()), ("data", pa.struct([("suppressions", pa.list_(ROW))]))]
            ),
        )
    ]
)
_PARSE = pj.ParseOptions(explicit_schema=_ENVELOPE, unexpected_field_behavior="ignore")
_ROW = row_of("suppressions")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
#: Decodes a whole envelope the plain way (raising the API's error for an error status).
Decode = Callable[[Any], Any]


def empty() -> pa.Table:
    """A page with no rows."""
    return COLUMNS.empty_table()


def _read_lines(raws: Sequence[bytes], options: pj.ParseOptions) -> pa.Table | None:
    """Answers parsed by Arrow in one call, a row each (the reader takes one JSON document
    per line), or None where one is not one line of JSON Arrow reads."""
    if any(b"\n" in raw.rstrip() for raw in raws):
        return None
    joined = b"\n".join(raw.rstrip() for raw in raws)
    try:
        table = pj.read_json(
            io.BytesIO(joined),
            read_options=pj.ReadOptions(use_threads=False, block_size=len(joined) + 1),
            parse_options=options,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return table if table.num_rows == len(raws) else None


def _ok(response: pa.StructArray) -> bool:
    """Whether every envelope of ``response`` says status 200."""
    status = response.field("status")
    return not status.null_count and pc.all(pc.equal(status, 200)).as_py() is True


def _split(rows: pa.Table, listed: pa.ListArray) -> list[pa.Table]:
    """``rows`` (every answer's rows in order) cut back into a table per answer."""
    tables, start = [], 0
    for length in listed.value_lengths().to_pylist():
        tables.append(rows.slice(start, length))
        start += length
    return tables


def suppressions(raw: bytes, decode: Decode) -> pa.Table:
    """The rows of one ``GET /suppressions`` answer as columns (:data:`COLUMNS`), checked.

    ``decode(body)`` is the plain path: it takes the parsed JSON envelope and returns its
    ``data`` (or raises the API's error).
    """
    parsed = suppressions_at_once([raw])
    if parsed is not None and fits(parsed[0]):
        return parsed[0]
    return from_records(decode(json.loads(raw))["suppressions"])


def suppressions_unchecked(raw: bytes, decode: Decode) -> pa.Table:
    """:func:`suppressions` without the per-page check: what a read's pages are parsed
    with, the pages then checked a run at a time (:func:`fits`) and the chunk read again the
    checked way (:func:`suppressions`) if one does not fit. A dozen Arrow calls per page,
    each taking and releasing the GIL, cost a 1M-row read more than its parse (16 threads
    queueing for the GIL); once per run of pages they cost little."""
    parsed = suppressions_at_once([raw])
    if parsed is not None:
        return parsed[0]
    return from_records(decode(json.loads(raw))["suppressions"])


def suppressions_at_once(raws: Sequence[bytes]) -> list[pa.Table] | None:
    """The rows of several ``GET /suppressions`` answers parsed in one call, a table per
    answer as :func:`suppressions_unchecked` gives it (unchecked, each address's domain
    found in the same pass); None when any answer is not the plain case (not one line of
    JSON, not a 200 envelope, no list of rows): the caller then reads those pages one by
    one. One parse of eight pages costs about half of eight."""
    table = _read_lines(raws, _PARSE)
    if table is None:
        return None
    response = table.column("response").combine_chunks()
    listed = response.field("data").field("suppressions")
    if listed.null_count or not _ok(response):
        return None
    fields = listed.flatten().flatten()
    # The domain here, in the worker, while other pages are on the way: found once the
    # last page is in, it was a quarter of a million-row read's time after its requests.
    rows = pa.Table.from_arrays([*fields, _domains_or_null(fields[0])], schema=COLUMNS)
    return _split(rows, listed)


def _domains_or_null(emails: pa.Array) -> pa.Array:
    """Each address's domain, or nulls where the column is not all text (the check then
    fails and the plain road says why)."""
    if emails.null_count or not pa.types.is_string(emails.type):
        return pa.nulls(len(emails), pa.string())
    return domains(emails)


def fits(rows: pa.Table) -> bool:
    """Whether the rows Arrow parsed plainly fit the API's suppression row (SPEC 2.4):
    every field there, in its form and range (:func:`mmframe.answers.conforms`)."""
    fields = {name: rows.column(name) for name in _FIELDS.names}  # chunked: no copy
    return conforms(fields, _ROW)


def from_records(records: Sequence[dict[str, Any]]) -> pa.Table:
    """Columns from API rows parsed the plain way (any time form the API may send, SPEC A5).

    The rows are those of a checked answer (:func:`mmframe.answers.check`).
    """
    texts = {  # as text whatever JSON type came (an id may come as a number)
        name: pa.array(
            [None if (v := r.get(name)) is None else str(v) for r in records], pa.string()
        )
        for name in ("emailaddress", "suppresstime", "suppressionid", "reasontype")
    }
    times = texts["suppresstime"]
    try:
        stamps = pc.strptime(times, format=_TIME_FORMAT, unit="s")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # rare: fractions, "Z", bare dates
        moments = [None if t is None else parse_time(t) for t in times.to_pylist()]
        stamps = pa.array(
            [None if m is None else int(m.timestamp()) for m in moments],
            pa.timestamp("s", tz="UTC"),
        )
    columns = [
        texts["emailaddress"],
        stamps.cast(pa.timestamp("s", tz="UTC")),
        texts["suppressionid"],
        texts["reasontype"],
    ]
    return _with_domain(pa.Table.from_arrays(columns, schema=_FIELDS))


def _in_list_order(table: pa.Table) -> bool:
    """Whether the rows follow the list's order, (time, id) strictly rising (SPEC A6): then
    no row came twice. One vectorised pass, where counting distinct ids takes ten."""
    try:
        ids = pc.cast(table.column("suppressionid"), pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    times = table.column("suppresstime").cast(pa.int64()).to_numpy()
    later = times[1:] > times[:-1]
    return bool((later | ((times[1:] == times[:-1]) & (ids[1:] > ids[:-1]))).all())


def unique_ids(table: pa.Table) -> pa.Table:
    """``table`` with each suppression id once (the first row of each kept, order kept)."""
    if table.num_rows < 2 or _in_list_order(table):
        return table
    ids = table.column("suppressionid")
    if pc.count_distinct(ids).as_py() == table.num_rows:
        return table
    first: dict[str, int] = {}
    for position, value in enumerate(ids.to_pylist()):
        first.setdefault(value, position)
    return table.take(pa.array(sorted(first.values())))


# --- report pages ------------------------------------------------------------------------

#: An empty report page: no fields known yet (each report's fields come with its rows).
EVENTS_EMPTY = pa.schema([])


def empty_events() -> pa.Table:
    """A report page with no rows and no columns."""
    return EVENTS_EMPTY.empty_table()


def events(raw: bytes, decode: Decode, *, report: str, check: bool = True) -> pa.Table:
    """The rows of one answer of ``report`` (``bounces``, ``opens/unique``: its rows under
    ``data["opens"]``) as text columns, X-headers flattened.

    Every field comes as text (times, counts and flags are typed by :mod:`mmframe.schema`).
    X-headers come as an object, as the empty JSON array the API sends when there are none,
    or (bounces) as ``X-...`` fields of the row: each header becomes a column of its name.
    Arrow's JSON reader parses the page off the GIL; anything it cannot read goes the plain
    way (``json``). ``check=False`` leaves the check of the fields' forms to the chunk
    (:func:`events_fit`, as :func:`suppressions_unchecked` does).
    """
    key = report.partition("/")[0]  # the unique forms keep the plain list key (SPEC 2.5)
    table = _read_lines([raw], _event_parse(key))
    fast = None
    if table is not None:
        fast = _arrow_events(table, key, row_of(f"reports/{report}") if check else None)
    return fast if fast is not None else event_records(decode(json.loads(raw))[key])


#: Time fields stay text in the fast parse (Arrow would guess them as naive timestamps).
_EVENT_TIMES = ("senttime", "bouncetime", "complainttime", "issuetime", "date")
#: The one field the API sends as a JSON number.
_NUMBERS = ("mssenttime",)


@functools.lru_cache(maxsize=16)
def _event_parse(key: str) -> pj.ParseOptions:
    """Parse options fixing the known time fields as text, inferring the rest."""
    row = pa.struct([(name, pa.string()) for name in _EVENT_TIMES])
    data = pa.struct([(key, pa.list_(row))])
    schema = pa.schema([("response", pa.struct([("data", data)]))])
    return pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")


def events_fit(rows: pa.Table, *, report: str) -> bool:
    """Whether a chunk's rows parsed with ``check=False`` plainly fit the report's row:
    its fields in their forms and ranges, the X-header columns text."""
    if rows.num_rows == 0:
        return True
    row = row_of(f"reports/{report}")
    shape = Obj({n: v for n, v in row.fields.items() if n != "xheaders"}, row.rest, row.one_of)
    return conforms({name: rows.column(name) for name in rows.column_names}, shape)


def events_at_once(raws: Sequence[bytes], *, report: str) -> list[pa.Table] | None:
    """The rows of several answers of ``report`` parsed in one call, a table per answer as
    :func:`events` gives it with ``check=False``; None when any is not the plain case (see
    :func:`suppressions_at_once`). The X-header columns are those of all the pages: a
    page without one has it null, as a read's pages joined have anyway."""
    key = report.partition("/")[0]
    table = _read_lines(raws, _event_parse(key))
    if table is None or (rows := _arrow_events(table, key, None)) is None:
        return None
    return _split(rows, table.column("response").combine_chunks().field("data").field(key))


def _arrow_events(table: pa.Table, key: str, row: Obj | None) -> pa.Table | None:
    """The rows of the answers Arrow parsed (one per line), or None to take the plain
    road; ``row`` None leaves the check of the fields to the chunk (:func:`events_fit`)."""
    response = table.column("response").combine_chunks()
    if not isinstance(response.type, pa.StructType) or response.type.get_field_index("data") < 0:
        return None
    if not _ok(response):
        return None
    data = response.field("data")
    if not isinstance(data.type, pa.StructType) or data.type.get_field_index(key) < 0:
        return None
    if data.field(key).null_count:  # no list (or no data): the plain road says which
        return None
    rows = data.field(key).flatten()
    if not isinstance(rows.type, pa.StructType):
        return empty_events() if len(rows) == 0 else None
    fields = {f.name: rows.field(i) for i, f in enumerate(rows.type)}
    if row is not None and not conforms(fields, row):
        return None
    columns: dict[str, pa.Array] = {}
    for index, field in enumerate(rows.type):
        values = rows.field(index)
        if field.name == "xheaders":
            if isinstance(field.type, pa.StructType):
                for sub_index, sub in enumerate(field.type):
                    if not pa.types.is_string(sub.type):
                        return None  # a guessed number or date: the plain road keeps the text
                    columns[sub.name] = values.field(sub_index)
            elif pa.types.is_list(field.type):
                if row is None and pc.max(pc.list_value_length(values)).as_py():
                    return None  # headers as a list of something: the plain road says what
            elif not pa.types.is_null(field.type):
                return None
            continue
        if (
            pa.types.is_string(field.type)
            or pa.types.is_null(field.type)
            or (field.name in _NUMBERS and pa.types.is_integer(field.type))
        ):
            columns[field.name] = values.cast(pa.string())
        else:
            return None  # anything else Arrow guessed: the plain road keeps the text
    return pa.table(columns)


def event_records(records: Sequence[dict[str, Any]]) -> pa.Table:
    """Text columns from report rows parsed the plain way (X-headers flattened)."""
    flat: list[dict[str, str | None]] = []
    for record in records:
        row = {
            name: None if value is None else str(value)
            for name, value in record.items()
            if name != "xheaders"
        }
        headers = record.get("xheaders")
        if isinstance(headers, dict):
            row.update({str(n): None if v is None else str(v) for n, v in headers.items()})
        flat.append(row)
    if not flat:
        return empty_events()
    names = list(dict.fromkeys(name for row in flat for name in row))
    return pa.table({n: pa.array([row.get(n) for row in flat], pa.string()) for n in names})
