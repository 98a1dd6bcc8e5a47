"""The one place that maps API fields to frame columns and dtypes, per resource kind.

Timestamps are ``datetime64[ns, UTC]``, counts ``Int64``, flags ``boolean``, enums
``category`` with fixed categories, text ``string[pyarrow]`` (compact, and Parquet-ready).
An empty result is a zero-row frame with the same columns and dtypes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import page_parsing
from .page_parsing import FRAME_POOL, domains
from .xheader_names import xheader_columns

TEXT = pd.StringDtype("pyarrow")
TIME = "datetime64[ns, UTC]"
REASON = pd.CategoricalDtype(["bounce", "complaint", "unsubscribe", "manual"])
USER_TYPE = pd.CategoricalDtype(["Master", "Sub"])
RECIPIENT_STATUS = pd.CategoricalDtype(["active", "inactive"])
SUPPRESSION_STATUS = pd.CategoricalDtype(
    ["unsuppressed", "suppressed", "pending addition", "pending removal"]
)
ATTRS_KEY = "mmframe"


@dataclass(frozen=True)
class Column:
    """One frame column: its name, the API field it comes from, and its dtype."""

    name: str
    field: str | None  # None: derived from other columns
    dtype: Any


def _text(name: str, field: str | None = "") -> Column:
    return Column(name, name if field == "" else field, TEXT)


def _flag(name: str, field: str) -> Column:
    return Column(name, field, "boolean")


SUPPRESSIONS = (
    _text("email", "emailaddress"),
    _text("domain", None),  # text, not category: chunk frames must concat losslessly
    Column("suppressed_at", "suppresstime", TIME),
    Column("reason", "reasontype", REASON),
    Column("suppression_id", "suppressionid", "Int64"),
)
ACCOUNTS = (
    _text("username"),
    _text("account_name", "accountname"),
    _text("company_name", "companyname"),
    _text("contact_name", "contactname"),
    _text("address"),
    _text("city"),
    _text("state"),
    _text("zipcode"),
    _text("country"),
    _text("phone"),
    _text("timezone"),
    Column("user_type", "usertype", USER_TYPE),
    Column("created", "created", TIME),
    Column("emails_sent", "emailssent", "Int64"),
    _flag("track_links", "tracklinks"),
    _flag("track_opens", "trackopens"),
    _flag("track_unsubscribes", "trackunsubscribes"),
    _flag("test_mode", "testmode"),
    _text("bounce_url"),
    _text("spam_url"),
    _text("unsub_url"),
    _flag("bounce_url_active", "bounce_url_active"),
    _flag("spam_url_active", "spam_url_active"),
    _flag("unsub_url_active", "unsub_url_active"),
    Column("max_sample_count", "max_sample_count", "Int64"),
    _text("apikey_hint", "apikey"),  # masked at load: only the last four characters
)
SENDERS = (_text("email", "emailaddress"), _text("domain", None))
SENDER_DETAILS = (
    _flag("spf", "spf"),
    _flag("dkim", "dkim"),
    _text("dkim_selector", "dkimval"),
    _flag("seeding", "seeding"),
    _flag("ready", "ready"),
)
RECIPIENTS = (
    _text("email", "emailaddress"),
    Column("status", "status", RECIPIENT_STATUS),
    Column("suppression_status", "suppressionstatus", SUPPRESSION_STATUS),
)
XHEADERS = tuple(_text(f"xheader{i}") for i in range(1, 5))
COUNTS = (
    Column("end", None, TIME),
    Column("count", "count", "Int64"),
    _flag("is_complete", "is_complete"),
)
#: The status of each chunk of a read (``PartialLoadError.chunks``).
CHUNK_STATUS = (
    _text("account"),
    Column("start", None, TIME),
    Column("end", None, TIME),
    _text("status"),
    Column("rows", None, "Int64"),
    Column("expected", None, "Int64"),
    Column("attempts", None, "Int64"),
    _text("error"),
)


def _times(values: Sequence[Any]) -> pd.Series:
    try:  # the API's own form, with any offset: Arrow parses it about 3x faster than pandas
        parsed = pc.strptime(pa.array(values, pa.string()), format="%Y-%m-%dT%H:%M:%S%z", unit="s")
        return pd.Series(parsed.to_pandas(), dtype=TIME)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # fractions, "Z", dates: any ISO 8601
        moments = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
        return pd.Series(moments, dtype=TIME)


def _integers(values: Sequence[Any]) -> pd.Series:
    try:  # decimal strings (suppression ids) or ints, none missing: the common case
        return pd.Series(np.fromiter(map(int, values), np.int64, len(values)), dtype="Int64")
    except (TypeError, ValueError):
        return pd.Series(pd.to_numeric(pd.Series(values, dtype=object)), dtype="Int64")


def _convert(values: Sequence[Any], dtype: Any) -> pd.Series:
    if dtype == TIME:
        return _times(values)
    if dtype == "boolean":
        flags = [None if v is None or v == "" else str(v) == "1" or v is True for v in values]
        return pd.Series(flags, dtype="boolean")
    if dtype == "Int64":
        return _integers(values)
    if isinstance(dtype, pd.CategoricalDtype):
        return _categories(values, dtype)
    converted: pd.Series = pd.Series(values, dtype=dtype)
    return converted


def _categories(values: Sequence[Any], dtype: pd.CategoricalDtype) -> pd.Series:
    # Codes through a dict: about 4x faster than pandas factorising the strings.
    lookup = {value: code for code, value in enumerate(dtype.categories)}
    codes = np.fromiter((lookup.get(v, -1) for v in values), np.int8, len(values))
    unknown = {v for v, c in zip(values, codes, strict=True) if c == -1 and v is not None}
    if unknown:
        raise ValueError(f"unexpected values {sorted(map(str, unknown))} for {list(lookup)}")
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype))


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> str:
    """``text`` as UTF-8, and so Arrow, can hold it.

    A lone surrogate (text decoded with ``errors="surrogateescape"``) stands for a byte
    that was not UTF-8: it is read as that byte would be (``errors="replace"``: U+FFFD).
    Any other lone surrogate becomes U+FFFD too.
    """
    if text.isascii():
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def domain_of(emails: Sequence[str]) -> list[str]:
    """The lower-cased domain of each address."""
    return [e.rpartition("@")[2].lower() for e in emails]


def frame(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    derive: dict[str, Callable[[dict[str, list[Any]]], list[Any]]] | None = None,
) -> pd.DataFrame:
    """A typed frame from API records; columns missing from a record become missing values."""
    raw = {c.name: [r.get(c.field) for r in records] for c in columns if c.field is not None}
    for name, make in (derive or {}).items():
        raw[name] = make(raw)
    data = {c.name: _convert(raw.get(c.name, [None] * len(records)), c.dtype) for c in columns}
    return pd.DataFrame(data, index=pd.RangeIndex(len(records)))


def empty(columns: Sequence[Column]) -> pd.DataFrame:
    """A zero-row frame with the columns' names and dtypes."""
    return frame([], columns)


#: The suppressions frame's columns in Arrow, as the read cache holds them: a frame is made
#: of them (:func:`suppressions`) without copying a string (``reason``: the category's code,
#: -1 for none).
SUPPRESSION_COLUMNS = pa.schema(
    [
        ("email", pa.large_string()),
        ("domain", pa.large_string()),
        ("suppressed_at", pa.timestamp("ns", tz="UTC")),
        ("reason", pa.int8()),
        ("suppression_id", pa.int64()),
    ]
)


def suppression_columns(rows: pa.Table) -> pa.Table:
    """Page columns (``mmframe.page_parsing.COLUMNS``) as the frame's (:data:`SUPPRESSION_
    COLUMNS`: returned as they are), each converted once, vectorised, with no Python object
    per row: domains lower-cased, times UTC, reasons checked."""
    if rows.schema.equals(SUPPRESSION_COLUMNS):
        return rows
    email = _whole(rows.column("emailaddress"), pa.large_string())
    if "domain" in rows.column_names and rows.column("domain").null_count == 0:
        domain = _whole(rows.column("domain"), pa.large_string())
    else:  # pages parsed the plain way leave it to here: one pass over every address
        domain = domains(email, FRAME_POOL)
    reasons = rows.column("reasontype").combine_chunks(memory_pool=FRAME_POOL)
    codes = pc.index_in(
        reasons, value_set=pa.array(list(REASON.categories)), memory_pool=FRAME_POOL
    )
    unknown = pc.and_(pc.is_null(codes), pc.is_valid(reasons))
    if pc.any(unknown).as_py():
        odd = sorted(set(pc.filter(reasons, unknown).to_pylist()))
        raise ValueError(f"unexpected values {odd} for {list(REASON.categories)}")
    try:
        numbers = _whole(rows.column("suppressionid"), pa.int64())
    except pa.ArrowInvalid as exc:
        raise ValueError(f"suppression ids that are not integers: {exc}") from None
    times = _whole(rows.column("suppresstime"), pa.timestamp("ns", tz="UTC"))
    reason = codes.fill_null(-1).cast(pa.int8(), memory_pool=FRAME_POOL)
    return pa.Table.from_arrays([email, domain, times, reason, numbers], schema=SUPPRESSION_COLUMNS)


def suppressions(rows: pa.Table) -> pd.DataFrame:
    """The suppressions frame from page columns (``mmframe.page_parsing.COLUMNS``) or the
    frame's own (:data:`SUPPRESSION_COLUMNS`), in Arrow.

    email, domain (lower-cased), suppressed_at (UTC), reason (category), suppression_id:
    the text stays in Arrow's buffers, the rest is copied once (several chunks into one).
    """
    columns = suppression_columns(rows)
    data = {n: pd.arrays.ArrowStringArray(columns.column(n)) for n in ("email", "domain")}
    times = columns.column("suppressed_at").to_pandas(memory_pool=FRAME_POOL)
    data["suppressed_at"] = pd.array(times, dtype=TIME, copy=False)
    data["reason"] = pd.Categorical.from_codes(_owned(columns.column("reason")), dtype=REASON)
    data["suppression_id"] = _integers_of(columns.column("suppression_id"))
    # Not copied again (a dict's columns are by default): every array is this frame's own.
    return pd.DataFrame(data, index=pd.RangeIndex(columns.num_rows), copy=False)


def suppression_rows(tables: Sequence[pa.Table]) -> pa.Table:
    """Chunks' rows as one table for :func:`suppressions`: page columns, or the frame's
    own when any chunk holds them (a period the cache served), the others converted."""
    if not any(t.schema.equals(SUPPRESSION_COLUMNS) for t in tables):
        return pa.concat_tables([page_parsing.empty(), *tables])
    return pa.concat_tables([SUPPRESSION_COLUMNS.empty_table(), *map(suppression_columns, tables)])


def _integers_of(values: pa.ChunkedArray) -> pd.arrays.IntegerArray:
    """An ``Int64`` array of Arrow's integers, missing where they are null."""
    nulls = values.null_count
    mask = _owned(values.is_null()) if nulls else np.zeros(len(values), dtype=bool)
    return pd.arrays.IntegerArray(_owned(values.fill_null(0) if nulls else values), mask)


def _owned(values: pa.ChunkedArray) -> np.ndarray:
    """``values`` in a writeable numpy array (pandas may change a column in place): Arrow's
    own buffer (one chunk) is copied, several chunks are joined into a new one already."""
    array: np.ndarray = values.to_numpy()
    return array if array.flags.writeable else array.copy()


def _whole(column: pa.ChunkedArray, to: pa.DataType) -> pa.Array:
    """A read's column as one array of type ``to``, from the frame's allocator."""
    return column.combine_chunks(memory_pool=FRAME_POOL).cast(to, memory_pool=FRAME_POOL)


def with_account(data: pd.DataFrame, accounts: Sequence[str], names: Sequence[str]) -> pd.DataFrame:
    """``data`` with a leading ``account`` category column (categories: ``names``)."""
    labels = pd.Series(list(accounts), index=data.index, dtype=object, name="account")
    column = labels.astype(pd.CategoricalDtype(list(dict.fromkeys(names))))
    return pd.concat([column, data], axis=1)


def stamp(data: pd.DataFrame, kind: str, *, accounts: Sequence[str] | None = None,
          seen: Sequence[str] | None = None, sub_key: bool = False, own: str | None = None,
          **query: Any) -> pd.DataFrame:  # fmt: skip
    """Record JSON-safe provenance in ``data.attrs["mmframe"]`` (never a key or session):
    ``accounts`` read (None: the key's own, ``own``), ``seen``: all the key sees."""
    data.attrs[ATTRS_KEY] = {
        "kind": kind,
        "accounts": list(accounts) if accounts is not None else None,
        "seen": list(seen) if seen is not None else None,
        **{"sub_key": sub_key, "own": own},
        "query": {k: _json_safe(v) for k, v in query.items()},
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return data


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)


def kind_of(data: pd.DataFrame) -> str | None:
    """The resource kind a frame was loaded as, from its attrs."""
    meta = data.attrs.get(ATTRS_KEY)
    return meta.get("kind") if isinstance(meta, dict) else None


# --- report events ----------------------------------------------------------------------

BOUNCE_TYPE = pd.CategoricalDtype(["hard", "soft"])
OPEN_STAGE = pd.CategoricalDtype(["read", "skimmed", "seen"])
_EMAIL = (_text("email", "emailaddress"), _text("domain", None))
_SENT = (*_EMAIL, _text("sender"), Column("sent_at", "senttime", TIME))
#: Columns per report, in order; X-header columns (``x_campaign``, ...) follow them.
EVENTS: dict[str, tuple[Column, ...]] = {
    "sent": (*_SENT, Column("user_id", "userid", "Int64")),
    "delivered": (*_SENT, Column("user_id", "userid", "Int64")),
    "bounces": (
        *_EMAIL,
        _text("sender"),
        Column("bounced_at", "bouncetime", TIME),
        Column("sent_at", "senttime", TIME),
        Column("bounce_type", "bouncetype", BOUNCE_TYPE),
        _text("bounce_rule", "bouncerule"),
        _text("message", "bouncemessage"),
        _flag("notified", "notified"),
    ),
    "complaints": (
        *_EMAIL,
        _text("sender"),
        Column("complained_at", "complainttime", TIME),
        Column("sent_at", "senttime", TIME),
    ),
    "issues": (
        *_EMAIL,
        _text("sender"),
        Column("issued_at", "issuetime", TIME),
        _text("issue_type", "issuetype"),
    ),
    "opens": (
        *_EMAIL,
        Column("opened_at", "date", TIME),
        _text("ip"),
        Column("stage", "stage", OPEN_STAGE),
    ),
    "opens/unique": (*_EMAIL, Column("opened_at", "date", TIME), Column("count", "count", "Int64")),
    "clicks": (
        *_EMAIL,
        Column("clicked_at", "date", TIME),
        _text("ip"),
        _text("link", "clicklink"),
    ),
    "clicks/unique": (
        *_EMAIL,
        Column("clicked_at", "date", TIME),
        _text("link", "clicklink"),
        Column("count", "count", "Int64"),
    ),
}
#: The time column of each report (its rows' order after loading).
EVENT_TIME = {kind: next(c.name for c in cols if c.dtype == TIME) for kind, cols in EVENTS.items()}


def _arrow_column(values: pa.ChunkedArray | None, dtype: Any, rows: int) -> pd.Series:
    """One text column of a report page as ``dtype`` (missing column: all missing), in Arrow."""
    pool = FRAME_POOL
    if dtype == TEXT and values is not None:
        # The pages' chunks kept as they are: a bounce's texts are most of a read's bytes,
        # and joining them into one array copied them all once more after the last page.
        large = pc.cast(values, pa.large_string(), memory_pool=pool)
        return pd.Series(pd.arrays.ArrowStringArray(large))
    text = (
        pa.nulls(rows, pa.string()) if values is None else values.combine_chunks(memory_pool=pool)
    )
    if dtype == TIME:
        try:
            parsed = pc.strptime(text, format="%Y-%m-%dT%H:%M:%S%z", unit="s", memory_pool=pool)
            stamps = parsed.cast(pa.timestamp("ns", tz="UTC"), memory_pool=pool)
            return pd.Series(stamps.to_pandas(memory_pool=pool), dtype=TIME)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # fractions, "Z", dates: any ISO 8601
            return _times(text.to_pylist())
    if dtype == TEXT:
        return pd.Series(pd.arrays.ArrowStringArray(text.cast(pa.large_string(), memory_pool=pool)))
    if dtype == "boolean":
        flags = pc.equal(text, "1")  # missing stays missing
        return pd.Series(
            pd.arrays.BooleanArray(
                flags.fill_null(False).to_numpy(zero_copy_only=False),
                flags.is_null().to_numpy(zero_copy_only=False),
            )
        )
    if isinstance(dtype, pd.CategoricalDtype):
        found = [v for v in pc.unique(text).to_pylist() if v is not None]
        extra = sorted(set(found) - set(dtype.categories))
        wide = pd.CategoricalDtype([*dtype.categories, *extra]) if extra else dtype
        codes = pc.index_in(text, value_set=pa.array(list(wide.categories), pa.string()))
        numbers = codes.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int16)
        return pd.Series(pd.Categorical.from_codes(numbers, dtype=wide))
    return _convert(text.to_pylist(), dtype)


def events(kind: str, rows: pa.Table, headers: Sequence[str] = ()) -> pd.DataFrame:
    """The typed frame of report ``kind`` from page columns (:func:`mmframe.page_parsing.events`).

    ``headers`` are the X-header names to give a column each even when no row has them
    (the account's configured names), so an empty frame keeps the full schema; any other
    ``X-...`` field found becomes a column too.
    """
    columns = EVENTS[kind]
    n = rows.num_rows
    present = set(rows.column_names)
    data: dict[str, pd.Series] = {}
    for column in columns:
        if column.field is None:
            continue
        values = rows.column(column.field) if column.field in present else None
        if column.field == "emailaddress" and "bounceemail" in present:
            # Bounces name the address under either field (SPEC 2.5): each row has one.
            other = rows.column("bounceemail").cast(pa.string())
            values = other if values is None else pc.coalesce(values.cast(pa.string()), other)
        data[column.name] = _arrow_column(values, column.dtype, n)
    emails = pa.array(data["email"].array, pa.large_string())
    data["domain"] = pd.Series(pd.arrays.ArrowStringArray(domains(emails, FRAME_POOL)))
    ordered = {c.name: data[c.name] for c in columns}
    found = [f for f in rows.column_names if f[:2].lower() == "x-"]
    for label, spellings in xheader_columns([*headers, *found]).items():
        held = [rows.column(name).cast(pa.string()) for name in spellings if name in present]
        # One header spelt in several cases (one per account): each row has one of them.
        values = held[0] if len(held) == 1 else pc.coalesce(*held) if held else None
        ordered[label] = _arrow_column(values, TEXT, n)
    return pd.DataFrame(ordered, index=pd.RangeIndex(n))
