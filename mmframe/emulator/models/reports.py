"""Mail reports (SPEC 2.5, 1.9, A4): lists and counts of sent, delivered, bounces, complaints,
issues, opens and clicks, scoped to the caller's account.

Two sources make one history. Events that matter one by one (the sends behind bounces and
complaints, the bounces, complaints and issues) are rows of ``mail_events``. The bulk of the
mail, tens of millions of delivered messages with their opens and clicks, is synthesised
from ``mail_cells``: cell ``c`` sent ``n`` messages, message ``i`` at ``t0 + i * span // n``
to audience member ``(first + i) % audience`` of the cell's domain; message ``i`` was opened
when ``h(i) = (37 * i + c) % 100`` is below the cell's ``open_pct`` (re-opened, clicked and
re-clicked likewise, each set inside the one before it), ``open_delay`` seconds after it was
sent. Every count, filter and page is arithmetic on those rules, so lists and counts agree
exactly and a page is as cheap at the end of a list as at its start.

A list's order: synthesised events cell by cell (cells by ``t0``), then stored events by
time; paging over a fixed history is stable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..names import audience_address, audience_member
from ..wire import SQL_TIME, Params, RawJSON, flag, invalid, is_address, optional
from .accounts import Caller
from .store import Store

PAGE = 500
#: Period of the engagement pattern: h(i) = (STRIDE * i + cell_id) % PERIOD.
PERIOD = 100
STRIDE = 37
DAY = 86_400
#: What the hosted service kept (SPEC 1.9): detail rows 30 days, counts 18 months.
DETAIL_DAYS = 30
AGGREGATE_DAYS = 548
BOUNCE_TYPES = ("hard", "soft", "previouslyhardbounced", "suppressed", "previouslycomplained")
#: X-headers every seeded event carries, by lower-cased name: the column of the stored row.
#: A replayed event keeps all its X-headers in ``headers`` (JSON, by lower-cased name).
HEADER_FIELDS = {"x-campaign": "campaign", "x-messageid": "message_id"}
#: The stored events behind each report: (kind, the condition a row of the report meets).
_STORED: dict[str, tuple[str, str]] = {
    "bounces": ("bounce", ""),
    "complaints": ("complaint", ""),
    "issues": ("issue", ""),
    "sent": ("send", ""),
    "delivered": ("send", "e.delivered = 1"),
    "opens": ("open", ""),
    "opens/unique": ("open", "e.is_first = 1"),
    "clicks": ("click", ""),
    "clicks/unique": ("click", "e.is_first = 1"),
}
#: Streams of synthesised events per report: (threshold column, delay column); None is
#: every message, at its send time.
_STREAMS: dict[str, list[tuple[str, str] | None]] = {
    "sent": [None],
    "delivered": [None],
    "opens": [("open_pct", "open_delay"), ("reopen_pct", "reopen_delay")],
    "opens/unique": [("open_pct", "open_delay")],
    "clicks": [("click_pct", "click_delay"), ("reclick_pct", "reclick_delay")],
    "clicks/unique": [("click_pct", "click_delay")],
}
#: Each report's list key in ``data`` (SPEC 2.5: the unique forms keep the plain key).
LIST_KEYS = {
    "sent": "sent",
    "delivered": "delivered",
    "bounces": "bounces",
    "complaints": "complaints",
    "issues": "issues",
    "opens": "opens",
    "opens/unique": "opens",
    "clicks": "clicks",
    "clicks/unique": "clicks",
}
REPORTS = tuple(LIST_KEYS)
_STAGES = ("read", "skimmed", "seen")
_LINKS = ("offer", "details", "account", "preferences")
_CELL_COLUMNS = [
    "id",
    "t0",
    "span",
    "n",
    "first",
    "audience",
    "open_pct",
    "reopen_pct",
    "click_pct",
    "reclick_pct",
    "open_delay",
    "reopen_delay",
    "click_delay",
    "reclick_delay",
]


def _prefix_table() -> np.ndarray:
    """``T[p, c, r]``: how many ``i`` in ``[0, r)`` have ``(STRIDE * i + c) % PERIOD < p``."""
    h = (STRIDE * np.arange(PERIOD)[None, :] + np.arange(PERIOD)[:, None]) % PERIOD
    table = np.zeros((PERIOD + 1, PERIOD, PERIOD + 1), dtype=np.int16)  # counts <= 100
    for p in range(PERIOD + 1):
        table[p, :, 1:] = np.cumsum(h < p, axis=1)
    return table


_TABLE = _prefix_table()


def _below(x: np.ndarray, c: np.ndarray, p: np.ndarray) -> np.ndarray:
    """How many ``i`` in ``[0, x)`` have ``h(i) < p`` (per cell, vectorised)."""
    counted: np.ndarray = (x // PERIOD) * p + _TABLE[p, c, x % PERIOD].astype(np.int64)
    return counted


def _ceil_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    rounded: np.ndarray = -((-a) // b)
    return rounded


def stamp(epoch: int) -> str:
    """Epoch seconds as the API writes them (``YYYY-MM-DDTHH:MM:SS+00:00``)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat()


@dataclass
class Query:
    """A report request's filters, checked."""

    start: int | None
    end: int | None
    sender: str | None = None
    recipient: str | None = None
    domain: str | None = None
    headers: dict[str, str | None] = field(default_factory=dict)  # field (or None) -> value
    bouncetype: str | None = None
    noheaders: bool = False


def parse_query(params: Params, start: int | None, end: int | None, configured: list[str]) -> Query:
    """Filters of a report request (SPEC 2.5, 1.9).

    ``emailaddress`` names one recipient (a list is refused); an unknown sender matches
    nothing; ``X-<Name>=<value>`` filters apply to the account's configured X-header names
    and are ignored otherwise.
    """
    query = Query(start, end)
    if (sender := optional(params, "sender")) not in (None, ""):
        query.sender = sender.strip().lower()
    if (recipient := optional(params, "emailaddress")) not in (None, ""):
        recipient = recipient.strip()
        if "," in recipient:
            raise invalid("The field 'emailaddress' of a report names one recipient.")
        if not is_address(recipient):
            raise invalid(f"The address {recipient!r} is not a valid email address.")
        query.recipient = recipient.lower()
    if (domain := optional(params, "domain")) not in (None, ""):
        query.domain = domain.strip().lower()
    names = {name.lower() for name in configured}
    for name, values in params.items():
        if name.lower().startswith("x-") and name.lower() in names and values:
            query.headers[name.lower()] = values[-1]
    if (kind := optional(params, "bouncetype")) not in (None, ""):
        if kind.strip().lower() not in BOUNCE_TYPES:
            raise invalid(f"The field 'bouncetype' must be one of {', '.join(BOUNCE_TYPES)}.")
        query.bouncetype = kind.strip().lower()
    query.noheaders = flag(params, "noheaders") == 1
    return query


@dataclass
class Cells:
    """One account's mail cells as arrays (cells are fixed once seeded)."""

    columns: dict[str, np.ndarray]
    sender: np.ndarray  # object arrays of lower-cased text
    domain: np.ndarray
    campaign: np.ndarray
    senders: list[str]  # as written, per cell
    reach: int = 0  # seconds from a cell's t0 past which none of its events falls

    def __post_init__(self) -> None:
        col = self.columns
        if len(self) and not self.reach:
            latest = np.maximum(col["reopen_delay"], col["reclick_delay"])
            self.reach = int((col["span"] + np.maximum(latest, col["click_delay"])).max())

    def __len__(self) -> int:
        return len(self.columns["id"])

    def window(self, start: int | None, end: int | None) -> Cells:
        """The cells (in order) whose events can fall in ``[start, end)``: a view, no copy.

        Cells are ordered by ``t0`` and no event lies past ``t0 + reach``, so two binary
        searches bound the cells a query touches: a day's count reads a few hundred cells,
        not the account's tens of thousands.
        """
        t0 = self.columns["t0"]
        a = 0 if start is None else int(np.searchsorted(t0, start - self.reach, "left"))
        b = len(self) if end is None else int(np.searchsorted(t0, end, "left"))
        if (a, b) == (0, len(self)):
            return self
        part = slice(a, max(a, b))
        return Cells(
            {name: values[part] for name, values in self.columns.items()},
            self.sender[part],
            self.domain[part],
            self.campaign[part],
            self.senders[part],
            self.reach,
        )


class ReportBook:
    """Report lists and counts over the stored events and the synthesised cells."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cells: dict[int, Cells] = {}
        self._stored: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}  # by report
        self._generation = -1

    # --- caches of the fixed history --------------------------------------------------

    def _fresh(self) -> None:
        if self._generation != self.store.generation:
            self._cells.clear()
            self._stored.clear()
            self._generation = self.store.generation

    def cells(self, account_id: int) -> Cells:
        """The account's cells, ordered by (t0, id)."""
        self._fresh()
        found = self._cells.get(account_id)
        if found is None:
            rows = self.store.conn.execute(
                f"SELECT {', '.join(_CELL_COLUMNS)}, sender, domain, campaign FROM mail_cells"  # noqa: S608 - fixed names
                " WHERE account_id = ? ORDER BY t0, id",
                (account_id,),
            ).fetchall()
            width = len(_CELL_COLUMNS)
            numbers = np.array([r[:width] for r in rows], dtype=np.int64).reshape(-1, width)
            texts = [r[width:] for r in rows]
            found = Cells(
                {name: numbers[:, k] for k, name in enumerate(_CELL_COLUMNS)},
                np.array([t[0].lower() for t in texts], dtype=object),
                np.array([t[1].lower() for t in texts], dtype=object),
                np.array([t[2].lower() for t in texts], dtype=object),
                [t[0] for t in texts],
            )
            found.columns["domain_text"] = np.array([t[1] for t in texts], dtype=object)
            found.columns["campaign_text"] = np.array([t[2] for t in texts], dtype=object)
            self._cells[account_id] = found
        return found

    def _stored_index(self, account_id: int, report: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, times) of the account's stored rows of ``report``, both ascending."""
        self._fresh()
        key = (account_id, report)
        if key not in self._stored:
            kind, condition = _STORED[report]
            rows = self.store.conn.execute(
                "SELECT id, t FROM mail_events e WHERE e.account_id = ? AND e.kind = ?"  # noqa: S608 - constants
                f"{' AND ' + condition if condition else ''} ORDER BY e.id",
                (account_id, kind),
            ).fetchall()
            both = np.array(rows, dtype=np.int64).reshape(-1, 2)
            self._stored[key] = (both[:, 0], both[:, 1])
        return self._stored[key]

    # --- the API ----------------------------------------------------------------------

    def clamp(self, query: Query, days: int | None) -> Query:
        """``query`` with its start moved to the retention horizon, if one applies."""
        if days is None:
            return query
        horizon = self.store.now() - days * DAY
        if query.start is None or query.start < horizon:
            query.start = horizon
            if query.end is not None and query.end < horizon:
                query.end = horizon
        return query

    def count(self, caller: Caller, report: str, query: Query) -> dict[str, int]:
        """``/reports/<report>/count`` (``unique`` forms count recipients)."""
        if report == "bounces":
            return self._bounce_counts(caller, query)
        total = self._synth_total(caller, report, query) + self._stored_count(caller, report, query)
        if report == "complaints":
            previous = self._previous(caller, report, query)
            return {
                "count": total,
                "totalcount": total,
                "complaintcount": total,
                "prevcomplaintcount": previous,
            }
        return {"count": total}

    def page(
        self, caller: Caller, report: str, query: Query, offset: int, headers: list[str]
    ) -> RawJSON:
        """Rows ``offset .. offset+500`` of the report's list (SPEC A4).

        Stored rows are rendered to JSON by SQLite itself, synthesised ones by ``json``;
        the page is spliced from the two.
        """
        rows: list[dict[str, Any]] = []
        synth = self._synth_total(caller, report, query)
        if offset < synth:
            rows = list(self._synth_rows(caller, report, query, offset, headers))
            offset = 0
        else:
            offset -= synth
        parts = [json.dumps(rows, separators=(",", ":"))[1:-1]] if rows else []
        if len(rows) < PAGE and report in _STORED:
            stored = self._stored_rows(caller, report, query, offset, PAGE - len(rows), headers)
            if stored != "[]":
                parts.append(stored[1:-1])
        return RawJSON(f'{{"{LIST_KEYS[report]}":[{",".join(parts)}]}}')

    # --- synthesised events -----------------------------------------------------------

    def _cell_ranges(
        self, cells: Cells, query: Query, delay: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per cell, the message indices ``[lo, hi)`` whose event falls in the query."""
        col = cells.columns
        n, span = col["n"], col["span"]
        t0 = col["t0"] if delay is None else col["t0"] + delay
        lo = np.zeros_like(n)
        hi = n.copy()
        if query.start is not None:
            lo = np.clip(_ceil_div((query.start - t0) * n, span), 0, n)
        if query.end is not None:
            hi = np.clip(_ceil_div((query.end - t0) * n, span), 0, n)
        keep = np.ones(len(n), dtype=bool)
        if query.sender is not None:
            keep &= cells.sender == query.sender
        if query.domain is not None:
            keep &= cells.domain == query.domain
        for name, value in query.headers.items():
            if name == "x-campaign":  # values match exactly (docs/emulator.md)
                keep &= cells.campaign == (value or "")
            elif name == "x-messageid":
                lo, hi = self._one_message(col, value or "", lo, hi)
            else:
                keep[:] = False  # a configured header these events do not carry
        if query.recipient is not None:
            member = audience_member(query.recipient)
            if member is None:
                keep[:] = False
            else:
                domain, j = member
                # A member past the cell's audience is never mailed by it: taken modulo
                # the audience, its number would name another member's message.
                keep &= (cells.domain == domain) & (j < col["audience"])
                i = (j - col["first"]) % np.maximum(col["audience"], 1)
                keep &= i < n
                lo, hi = np.maximum(lo, i), np.minimum(hi, i + 1)
        hi = np.where(keep, np.maximum(lo, hi), lo)
        return lo, hi

    @staticmethod
    def _one_message(
        col: dict[str, np.ndarray], value: str, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Narrow the ranges to the synthesised message whose X-MessageId is ``value``."""
        text = value.strip()
        only = np.zeros(len(lo), dtype=bool)
        i = 0
        if text.isdigit() and len(text) <= 12:
            cell_id, i = divmod(int(text), 1_000_000)
            only = col["id"] == cell_id
        lo = np.where(only, np.maximum(lo, i), lo)
        hi = np.where(only, np.minimum(hi, i + 1), lo)
        return lo, hi

    def _stream_counts(
        self, cells: Cells, report: str, query: Query
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
        """Rows per (cell, stream), and each stream's (lo, hi, threshold) arrays."""
        streams = _STREAMS.get(report, [])
        c = cells.columns["id"] % PERIOD
        counts, parts = [], []
        for stream in streams:
            if stream is None:
                lo, hi = self._cell_ranges(cells, query, None)
                p = np.full(len(lo), PERIOD)
            else:
                pct, delay = stream
                lo, hi = self._cell_ranges(cells, query, cells.columns[delay])
                p = cells.columns[pct]
            counts.append(_below(hi, c, p) - _below(lo, c, p))
            parts.append((lo, hi, p))
        if not counts:
            return np.zeros((len(cells), 0), dtype=np.int64), []
        return np.stack(counts, axis=1), parts

    def _synth_total(self, caller: Caller, report: str, query: Query) -> int:
        if report not in _STREAMS:
            return 0
        cells = self.cells(caller.id).window(query.start, query.end)
        counts, _ = self._stream_counts(cells, report, query)
        return int(counts.sum())

    def _synth_rows(
        self, caller: Caller, report: str, query: Query, offset: int, headers: list[str]
    ) -> Iterator[dict[str, Any]]:
        cells = self.cells(caller.id).window(query.start, query.end)
        counts, parts = self._stream_counts(cells, report, query)
        flat = counts.reshape(-1)
        ends = np.cumsum(flat)
        wanted = PAGE
        first = int(np.searchsorted(ends, offset, side="right"))
        skip = offset - (int(ends[first - 1]) if first else 0)
        streams = counts.shape[1]
        for piece in range(first, len(flat)):
            if wanted == 0:
                return
            if flat[piece] == 0:
                continue
            cell, stream = divmod(piece, streams)
            lo, hi, p = (part[cell] for part in parts[stream])
            index = np.arange(lo, hi)
            c = cells.columns["id"][cell] % PERIOD
            index = index[(STRIDE * index + c) % PERIOD < p][skip : skip + wanted]
            skip = 0
            wanted -= len(index)
            for i in index.tolist():
                yield self._synth_row(caller, cells, cell, stream, i, report, headers)

    def _synth_row(
        self,
        caller: Caller,
        cells: Cells,
        cell: int,
        stream: int,
        i: int,
        report: str,
        headers: list[str],
    ) -> dict[str, Any]:
        col = cells.columns
        cell_id = int(col["id"][cell])
        n, span, t0 = int(col["n"][cell]), int(col["span"][cell]), int(col["t0"][cell])
        sent = t0 + i * span // n
        domain = str(col["domain_text"][cell])
        email = audience_address(domain, (int(col["first"][cell]) + i) % int(col["audience"][cell]))
        values = {"campaign": str(col["campaign_text"][cell]), "message_id": f"{cell_id}{i:06d}"}
        xheaders = _xheaders(headers, values)
        if report in ("sent", "delivered"):
            return {
                "emailaddress": email,
                "sender": cells.senders[cell],
                "senttime": stamp(sent),
                "mssenttime": sent * 1000,
                "userid": str(caller.id),
                "xheaders": xheaders,
            }
        base = "click" if report.startswith("clicks") else "open"
        delay = int(col[f"{'re' if stream else ''}{base}_delay"][cell])
        mix = (cell_id * 2_654_435_761 + i * 40_503) % 2**32
        row: dict[str, Any] = {"xheaders": xheaders, "emailaddress": email}
        if not report.endswith("unique"):
            row["ip"] = (
                f"{(mix >> 24) % 223 + 1}.{(mix >> 16) & 255}.{(mix >> 8) & 255}.{mix & 255}"
            )
        if base == "click":
            sending = cells.senders[cell].rsplit("@", 1)[-1]
            row["clicklink"] = f"https://{sending}/{values['campaign']}/{_LINKS[mix % 4]}"
        elif not report.endswith("unique"):
            row["stage"] = _STAGES[mix % 3]
        row["date"] = stamp(sent + delay)
        if report.endswith("unique"):
            again = f"re{base}_pct"
            c = cell_id % PERIOD
            row["count"] = "2" if (STRIDE * i + c) % PERIOD < int(col[again][cell]) else "1"
        return row

    # --- stored events ----------------------------------------------------------------

    def _where(self, caller: Caller, report: str, query: Query) -> tuple[str, list[Any], bool]:
        """SQL conditions over ``mail_events e`` and whether only time bounds apply."""
        kind, condition = _STORED[report]
        terms, args = ["e.account_id = ?", "e.kind = ?"], [caller.id, kind]
        terms += [condition] if condition else []
        plain = True
        # Ids follow time within a kind, so the time range is an id range: an index seek.
        ids, _times = self._stored_index(caller.id, report)
        lo, hi = self._stored_bounds(caller, report, query)
        if lo > 0:
            terms.append("e.id >= ?")
            args.append(int(ids[lo]) if lo < len(ids) else int(ids[-1]) + 1)
        if hi < len(ids):
            terms.append("e.id < ?")
            args.append(int(ids[hi]))
        extra: list[tuple[str, Any]] = []
        if query.sender is not None:
            extra.append(("lower(e.sender) = ?", query.sender))
        if query.recipient is not None:
            extra.append(("e.email_key = ?", query.recipient))
        if query.domain is not None:
            extra.append(("e.domain = ?", query.domain))
        for name, value in query.headers.items():
            expression, path = _header(name)
            # Exact, case and all: SQLite's lower() folds ASCII only, and read_rates
            # groups by the exact value (docs/emulator.md).
            extra.append((f"{expression} = ?", [*path, value or ""]))
        if report == "bounces" and query.bouncetype is not None:
            extra.append(_bounce_filter(query.bouncetype))
        for term, arg in extra:
            plain = False
            terms.append(term)
            if isinstance(arg, list):
                args += arg
            elif arg is not None:
                args.append(arg)
        return " AND ".join(terms), args, plain

    def _stored_count(self, caller: Caller, report: str, query: Query) -> int:
        if report not in _STORED:
            return 0
        where, args, plain = self._where(caller, report, query)
        if plain:
            lo, hi = self._stored_bounds(caller, report, query)
            return hi - lo
        row = self.store.conn.execute(
            f"SELECT COUNT(*) FROM mail_events e WHERE {where}",  # noqa: S608 - built from constants
            args,
        ).fetchone()
        return int(row[0])

    def _stored_bounds(self, caller: Caller, report: str, query: Query) -> tuple[int, int]:
        _ids, times = self._stored_index(caller.id, report)
        lo = 0 if query.start is None else int(np.searchsorted(times, query.start, "left"))
        hi = len(times) if query.end is None else int(np.searchsorted(times, query.end, "left"))
        return lo, max(lo, hi)

    def _stored_rows(
        self,
        caller: Caller,
        report: str,
        query: Query,
        offset: int,
        limit: int,
        headers: list[str],
    ) -> str:
        """A JSON array of stored rows, rendered by SQLite (no Python object per row)."""
        expression, names = _row_json(report, query, headers)
        where, args, plain = self._where(caller, report, query)
        if plain:  # a seek: ids follow time within a kind, so the offset is an id
            lo, hi = self._stored_bounds(caller, report, query)
            first = lo + offset
            if first >= hi:
                return "[]"
            ids, _times = self._stored_index(caller.id, report)
            kind, condition = _STORED[report]
            sql = (
                f"SELECT json_group_array({expression}) FROM (SELECT * FROM mail_events e"  # noqa: S608 - constants
                " WHERE e.account_id = ? AND e.kind = ? AND e.id >= ?"
                f"{' AND ' + condition if condition else ''} ORDER BY e.id LIMIT ?) e"
            )
            bound = [caller.id, kind, int(ids[first]), min(limit, hi - first)]
        else:
            sql = (
                f"SELECT json_group_array({expression}) FROM (SELECT * FROM mail_events e"  # noqa: S608 - constants
                f" WHERE {where} ORDER BY e.id LIMIT ? OFFSET ?) e"
            )
            bound = [*args, limit, offset]
        (text,) = self.store.conn.execute(sql, [*names, *bound]).fetchone()
        return str(text)

    # --- counts with extra fields -----------------------------------------------------

    def _bounce_counts(self, caller: Caller, query: Query) -> dict[str, int]:
        def counted(bouncetype: str | None, q: Query) -> int:
            narrowed = Query(**{**q.__dict__, "bouncetype": bouncetype})
            return self._stored_count(caller, "bounces", narrowed)

        return {
            "count": counted(query.bouncetype, query),
            "totalcount": counted(None, query),
            "hardbouncecount": counted("hard", query),
            "softbouncecount": counted("soft", query),
            "prevhardbouncecount": self._previous(caller, "bounces", query, "hard"),
        }

    def _previous(
        self, caller: Caller, report: str, query: Query, bouncetype: str | None = None
    ) -> int:
        """The count over the period of the same length just before the query's start."""
        if query.start is None or query.end is None:
            return 0
        length = query.end - query.start
        before = Query(**{**query.__dict__, "start": query.start - length, "end": query.start})
        if bouncetype is not None:
            before.bouncetype = bouncetype
        return self._stored_count(caller, report, before)


_TIME = SQL_TIME
_FIELDS = {
    "bounces": (
        "'emailaddress', e.email, 'bounceemail', e.email, 'sender', e.sender,"
        " 'bouncetype', e.bouncetype, 'bouncerule', e.bouncerule,"
        f" 'bouncetime', {_TIME.format('e.t')}, 'senttime', {_TIME.format('e.sent')},"
        " 'notified', CAST(e.notified AS TEXT)"
    ),
    "complaints": (
        "'emailaddress', e.email, 'sender', e.sender,"
        f" 'complainttime', {_TIME.format('e.t')}, 'senttime', {_TIME.format('e.sent')}"
    ),
    "issues": (
        "'emailaddress', e.email, 'sender', e.sender, 'issuetype', e.detail,"
        f" 'issuetime', {_TIME.format('e.t')}"
    ),
    "sent": (
        f"'emailaddress', e.email, 'sender', e.sender, 'senttime', {_TIME.format('e.sent')},"
        " 'mssenttime', e.sent * 1000, 'userid', COALESCE(e.user_id, CAST(e.account_id AS TEXT))"
    ),
    "opens": (
        "'emailaddress', e.email, 'ip', e.ip, 'stage', NULLIF(e.detail, ''),"
        f" 'date', {_TIME.format('e.t')}"
    ),
    "opens/unique": (
        f"'emailaddress', e.email, 'date', {_TIME.format('e.t')}, 'count', CAST(e.repeats AS TEXT)"
    ),
    "clicks": (
        "'emailaddress', e.email, 'ip', e.ip, 'clicklink', NULLIF(e.detail, ''),"
        f" 'date', {_TIME.format('e.t')}"
    ),
    "clicks/unique": (
        "'emailaddress', e.email, 'clicklink', NULLIF(e.detail, ''),"
        f" 'date', {_TIME.format('e.t')}, 'count', CAST(e.repeats AS TEXT)"
    ),
}
_FIELDS["delivered"] = _FIELDS["sent"]


def _header(name: str) -> tuple[str, list[str]]:
    """SQL giving an event's value of X-header ``name`` (NULL if it has none), and its
    parameters: a seeded event's fixed columns, a replayed event's ``headers`` object."""
    path = f'$."{name.lower()}"'  # names are X-[A-Za-z0-9-]+ (accounts.set_xheaders)
    column = HEADER_FIELDS.get(name.lower())
    if column is None:
        return "json_extract(e.headers, ?)", [path]
    return f"(CASE WHEN e.headers IS NULL THEN e.{column} ELSE json_extract(e.headers, ?) END)", [
        path
    ]


def _row_json(report: str, query: Query, headers: list[str]) -> tuple[str, list[str]]:
    """SQL rendering one stored row as the API's JSON object, and its parameters.

    X-header names go in as parameters, never into the SQL text; a header the event does
    not carry is left out (``json_patch`` drops members whose value is null).
    """
    pairs, names = [], []
    for name in headers:
        expression, path = _header(name)
        pairs.append(f"?, {expression}")
        names += [name, *path]
    shown = f"json_object({', '.join(pairs)})"
    fields = _FIELDS[report]
    if report == "bounces":  # X-headers flattened into the row (SPEC 2.5)
        if not query.noheaders:
            fields += ", 'bouncemessage', e.detail"
        row = f"json_object({fields})"
        return (f"json_patch({row}, {shown})" if pairs else row), names
    # An object, or [] when the event carries none of them (the API's PHP-style quirk).
    xheaders = f"json(COALESCE(NULLIF(json_patch('{{}}', {shown}), '{{}}'), '[]'))"
    return f"json_object({fields}, 'xheaders', {xheaders if pairs else 'json_array()'})", names


def _bounce_filter(bouncetype: str) -> tuple[str, Any]:
    """The SQL condition of a ``bouncetype`` filter value (SPEC 2.5)."""
    if bouncetype in ("hard", "soft"):
        return "e.bouncetype = ?", bouncetype
    if bouncetype == "suppressed":
        return (  # EXISTS probes the (account_id, email_key) index once per event
            "EXISTS (SELECT 1 FROM suppressions s WHERE s.account_id = e.account_id"
            " AND s.email_key = e.email_key)",
            None,
        )
    kind, extra = (
        ("bounce", " AND p.bouncetype = 'hard'")
        if bouncetype == "previouslyhardbounced"
        else ("complaint", "")
    )
    # ``kind`` and ``extra`` are the constants above, never input.
    head = "EXISTS (SELECT 1 FROM mail_events p WHERE p.account_id = e.account_id AND p.kind = "
    condition = f"{head}'{kind}' AND p.email_key = e.email_key AND p.t < e.t{extra})"
    return condition, None


def _xheaders(headers: list[str], values: dict[str, str]) -> dict[str, str] | list[Any]:
    """The event's X-headers under the account's configured names.

    An object, or an empty JSON array when there are none (the API's PHP-style quirk).
    """
    shown = {
        name: values[HEADER_FIELDS[name.lower()]]
        for name in headers
        if name.lower() in HEADER_FIELDS
    }
    return shown or []
