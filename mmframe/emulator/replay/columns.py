"""What a replayed frame may hold: the columns mmframe's loaders give each kind, checked.

The contract is the client's frames (``read_accounts``, ``read_xheaders``, ``read_senders``,
``read_suppressions`` and the ``read_<report>`` frames), restated here because the emulator
imports nothing from the client side. A frame is checked whole before anything is written;
every refusal names the kind, the column and the rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import SupportsInt, cast

import numpy as np
import pandas as pd

from ..models.store import Store
from ..replayed import ReplayError as ReplayError  # where the replay modules take it
from ..wire import MAX_EPOCH, MIN_EPOCH, all_addresses, is_address

TEXT, EMAIL, TIME, INT, FLAG = "text", "email", "time", "int", "flag"
_FIRST = pd.Timestamp(MIN_EPOCH, unit="s", tz="UTC")
_LAST = pd.Timestamp(MAX_EPOCH, unit="s", tz="UTC")
REASONS = ("bounce", "complaint", "unsubscribe", "manual")
#: An X-header column as the client names it (``X-Campaign`` -> ``x_campaign``).
XHEADER_COLUMN = re.compile(r"^x_[0-9a-z_]+$")


@dataclass(frozen=True)
class Field:
    """One column of a replayed kind: its name, type, whether it must be given
    (``required``), whether a row may miss it when it is (not when ``whole``), choices."""

    name: str
    type: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    whole: bool = False


_ADDRESS = (Field("email", EMAIL, True), Field("domain"))
_SENT = (*_ADDRESS, Field("sender"), Field("sent_at", TIME, True), Field("user_id", INT))
#: Frame column -> profile field of the API (``POST /accounts``).
PROFILE = {
    "account_name": "accountname",
    "company_name": "companyname",
    "contact_name": "contactname",
    "address": "address",
    "city": "city",
    "state": "state",
    "zipcode": "zipcode",
    "country": "country",
    "phone": "phone",
    "timezone": "timezone",
    "bounce_url": "bounce_url",
    "spam_url": "spam_url",
    "unsub_url": "unsub_url",
    "track_links": "tracklinks",
    "track_opens": "trackopens",
    "track_unsubscribes": "trackunsubscribes",
    "test_mode": "testmode",
    "bounce_url_active": "bounce_url_active",
    "spam_url_active": "spam_url_active",
    "unsub_url_active": "unsub_url_active",
}
PROFILE_FLAGS = frozenset(
    c for c, f in PROFILE.items() if f.startswith("track") or f.endswith(("_active", "mode"))
)


FIELDS: dict[str, tuple[Field, ...]] = {
    "accounts": (
        Field("username", EMAIL, True),
        *(Field(name, FLAG if name in PROFILE_FLAGS else TEXT) for name in PROFILE),
        Field("user_type", choices=("Master", "Sub")),
        Field("created", TIME),
        Field("emails_sent", INT),
        Field("max_sample_count", INT),
        Field("apikey_hint"),  # ignored: a replica's accounts get keys of their own
    ),
    "xheaders": tuple(Field(f"xheader{i}") for i in range(1, 5)),
    "senders": (
        Field("email", EMAIL, True),
        Field("domain"),
        # The API knows no unknown spf, dkim or ready (SPEC A13: 1 or 0): a missing one is
        # refused, not made the new sender's default; seeding is optional there.
        *(Field(name, FLAG, whole=True) for name in ("spf", "dkim")),
        Field("dkim_selector"),
        Field("seeding", FLAG),
        Field("ready", FLAG, whole=True),
    ),
    "suppressions": (
        *_ADDRESS,
        Field("suppressed_at", TIME, True),
        Field("reason", required=True, choices=REASONS),
        Field("suppression_id", INT),
    ),
    "sent": _SENT,
    "delivered": _SENT,
    "bounces": (
        *_ADDRESS,
        Field("sender"),
        Field("bounced_at", TIME, True),
        Field("sent_at", TIME, True),
        Field("bounce_type", required=True, choices=("hard", "soft")),
        Field("bounce_rule"),
        Field("message"),
        Field("notified", FLAG),
    ),
    "complaints": (
        *_ADDRESS,
        Field("sender"),
        Field("complained_at", TIME, True),
        Field("sent_at", TIME, True),
    ),
    "issues": (*_ADDRESS, Field("sender"), Field("issued_at", TIME, True), Field("issue_type")),
    "opens": (
        *_ADDRESS,
        Field("opened_at", TIME, True),
        Field("ip"),
        Field("stage", choices=("read", "skimmed", "seen")),
    ),
    "clicks": (*_ADDRESS, Field("clicked_at", TIME, True), Field("ip"), Field("link")),
}
KINDS = tuple(FIELDS)
EVENT_KINDS = ("sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")


def rows_named(labels: Sequence[object], limit: int = 5) -> str:
    """``rows 3, 17 and 40 more``: the index labels of offending rows, a few of them."""
    shown = ", ".join(map(str, labels[:limit]))
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"row{'s' if len(labels) > 1 else ''} {shown}{more}"


def records(frame: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple[object, ...]]:
    """The rows of ``columns`` as tuples of Python values (what SQLite binds)."""
    return zip(*(frame[c].tolist() for c in columns), strict=True)


def checked(kind: str, frame: pd.DataFrame, account: str | None) -> pd.DataFrame:
    """``frame`` as plain columns: ``account``, then each field (times as epoch seconds,
    flags as 0/1, missing values as None), then its X-header columns; refused with a
    :class:`ReplayError` naming what is wrong.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    frame
        A frame shaped like the loader's; an ``account`` column names each row's account.
    account
        The account of a frame without an ``account`` column.

    Notes
    -----
    Errors name rows by index label; a frame whose labels repeat (``pd.concat`` of parts,
    a sample with replacement) is numbered by position instead.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ReplayError(f"{kind}: expected a pandas DataFrame, not {type(frame).__name__}")
    twice = frame.columns[frame.columns.duplicated()].unique().tolist()
    if twice:  # frame[name] would be a frame, not a column
        raise ReplayError(f"{kind}: column {', '.join(map(repr, twice))} twice")
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    fields = {f.name: f for f in FIELDS[kind]}
    if kind == "accounts":
        fields.pop("account", None)
    allowed = set(fields) | ({"account"} if kind != "accounts" else set())
    extra = [c for c in frame.columns if c not in allowed]
    if kind in EVENT_KINDS:
        extra = [c for c in extra if not (isinstance(c, str) and XHEADER_COLUMN.match(c))]
    if extra:
        raise ReplayError(
            f"{kind}: unknown column(s) {', '.join(map(repr, extra))}; a {kind} frame has "
            f"{', '.join(fields)}"
            + (" and X-header columns (x_...)" if kind in EVENT_KINDS else "")
        )
    missing = [name for name, f in fields.items() if f.required and name not in frame.columns]
    if missing:
        raise ReplayError(f"{kind}: missing required column(s) {', '.join(map(repr, missing))}")
    out = pd.DataFrame(index=frame.index)
    if kind != "accounts":
        out["account"] = _account_column(kind, frame, account)
    for name, f in fields.items():
        if name in frame.columns:
            out[name] = _column(kind, f, frame[name])
    for name in frame.columns:
        if name not in fields and name != "account":
            where = f"{kind}: column {name!r}"
            out[name] = _without_nul(where, _column(kind, Field(name), frame[name]))
    return out


def _without_nul(where: str, values: pd.Series) -> pd.Series:
    """An X-header column's values, refused where one holds NUL: no header carries one (RFC
    5322), a read refuses it (``mm.read_sent(xheaders=...)``), and SQLite's JSON functions
    end a text there, so it loaded as the text before it (a NUL value read back as "")."""
    nul = values.map(lambda v: isinstance(v, str) and "\x00" in v).astype(bool)
    if nul.any():
        raise ReplayError(
            f"{where} holds a NUL character, which no header carries, in "
            f"{rows_named(list(values.index[nul.to_numpy()]))}"
        )
    return values


def _account_column(kind: str, frame: pd.DataFrame, account: str | None) -> pd.Series:
    if "account" in frame.columns:
        return _column(kind, Field("account", EMAIL, True), frame["account"])
    if account is None:
        raise ReplayError(f"{kind}: no 'account' column and no account given")
    return pd.Series(account, index=frame.index, dtype=object)


def _column(kind: str, f: Field, values: pd.Series) -> pd.Series:
    """One column checked and converted (see :func:`checked`)."""
    where = f"{kind}: column {f.name!r}"
    if f.type == TIME:
        converted = _times(where, values)
    elif f.type == INT:
        if not (pd.api.types.is_integer_dtype(values) or values.isna().all()):
            raise ReplayError(f"{where} must hold integers, not {values.dtype}")
        converted = values.astype("Int64").astype(object).where(values.notna(), None)
    elif f.type == FLAG:
        if not (pd.api.types.is_bool_dtype(values) or values.isna().all()):
            raise ReplayError(f"{where} must hold true/false flags, not {values.dtype}")
        converted = values.astype("boolean").astype("Int64").astype(object)
        converted = converted.where(values.notna(), None)
    else:
        converted = _texts(where, values)
    missing = converted.isna()
    if (f.required or f.whole) and missing.any():
        raise ReplayError(f"{where} is empty in {rows_named(list(values.index[missing]))}")
    if f.choices:
        odd = ~missing & ~converted.isin(f.choices)
        if odd.any():
            found = sorted(set(converted[odd]))
            raise ReplayError(
                f"{where} holds {', '.join(map(repr, found[:5]))} in "
                f"{rows_named(list(values.index[odd]))}; allowed: {', '.join(f.choices)}"
            )
    if f.type == EMAIL:
        _check_addresses(where, converted[~missing])
    return converted


def _times(where: str, values: pd.Series) -> pd.Series:
    """Whole UTC epoch seconds (None where missing); naive or non-time columns refused."""
    if pd.api.types.is_datetime64_dtype(values) and not isinstance(
        values.dtype, pd.DatetimeTZDtype
    ):
        raise ReplayError(
            f"{where} holds naive timestamps: give them their time zone "
            "(.dt.tz_localize('UTC') if they are UTC)"
        )
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        if values.isna().all():
            return pd.Series(None, index=values.index, dtype=object)
        raise ReplayError(f"{where} must hold timestamps with a time zone, not {values.dtype}")
    utc = values.dt.tz_convert("UTC")
    # Any unit holds years pandas' nanoseconds cannot (and the API's clients read in those).
    outside = ~(utc.isna() | ((utc >= _FIRST) & (utc < _LAST)))
    if outside.any():
        raise ReplayError(
            f"{where} holds times outside {_FIRST:%Y} to {_LAST.year - 1} (what the API's "
            f"clients read) in {rows_named(list(values.index[outside]))}"
        )
    utc = utc.astype("datetime64[ns, UTC]")
    nanos = utc.array.asi8 if hasattr(utc.array, "asi8") else utc.astype("int64").to_numpy()
    seconds = np.floor_divide(nanos, 10**9)  # the API keeps whole seconds (SPEC A5)
    return pd.Series(seconds, index=values.index, dtype=object).where(values.notna(), None)


def _texts(where: str, values: pd.Series) -> pd.Series:
    """Text as Python strings (None where missing); numbers or other objects refused."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if values.isna().all() or pd.api.types.infer_dtype(values, skipna=True) == "string":
        return values.astype(object).where(values.notna(), None)
    odd = values.notna() & ~values.map(lambda v: isinstance(v, str)).astype(bool)
    raise ReplayError(
        f"{where} must hold text, not {values.dtype}, in {rows_named(list(values.index[odd]))}"
    )


def _check_addresses(where: str, values: pd.Series) -> None:
    distinct = pd.unique(values).tolist()
    if not distinct or all_addresses(distinct):
        return
    bad = [v for v in distinct if not is_address(v)]
    rows = list(values.index[values.isin(bad)])
    raise ReplayError(
        f"{where} holds address(es) the API refuses: {', '.join(map(repr, bad[:5]))} "
        f"({rows_named(rows)})"
    )


def json_list(values: Iterable[object]) -> str:
    """A JSON array of plain values, for ``json_each(?)`` in one statement."""
    if isinstance(values, pd.Series | pd.Index | np.ndarray):
        return json.dumps(values.tolist())  # Python scalars already, in C
    return json.dumps([v.item() if isinstance(v, np.generic) else v for v in values])


def as_int(key: object) -> int:
    """A group key or cell known to hold an integer, as ``int``."""
    return int(cast(SupportsInt, key))


def loading(store: Store, table: str, rows: int) -> AbstractContextManager[None]:
    """Insert ``rows`` into ``table`` with its indexes rebuilt once after, where that is the
    cheaper way: a load at least a fifth of the table's size (keeping a B-tree in order row
    by row costs several times a sorted build per row)."""
    held = store.conn.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0  # noqa: S608 - our table names
    return store.bulk_load(table) if rows * 5 >= held else nullcontext()
