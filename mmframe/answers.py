"""What each API method answers (SPEC part B), checked where an answer is decoded. No pandas.

A 200 answer that breaks its method's shape (a field missing, null, of the wrong type or
out of range; rows that are not a list of objects) raises :class:`Malformed` naming the
field, as ``suppressions[3].suppresstime``; the client turns it into
:class:`mmframe.errors.MalformedAnswer`. The check runs once, at the boundary (httpx's
way), so the loaders read answers without guarding every step. The shapes hold what the
client reads and how it types it (:mod:`mmframe.schema`): a value accepted here converts.

Pages parsed off the GIL (:mod:`mmframe.page_parsing`) ask :func:`conforms` whether Arrow's columns
are plainly well-formed, and take the plain road (the check, with its precise error)
whenever they are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc

#: The times a frame can hold (``datetime64[ns]`` spans 1677-09-21 to 2262-04-11).
MIN_TIME = datetime(1678, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(2262, 1, 1, tzinfo=UTC)
MAX_INT = 2**63 - 1
#: The API's times (SPEC A5): a date, or a date and time with optional fraction and offset.
_TIME = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?)?")
_DIGITS = re.compile(r"[0-9]{1,19}")
#: The API's own form, for the fast road (:func:`conforms`): each part within its range,
#: and the year inside MIN_TIME..MAX_TIME by a year (whatever the offset). A 29 February
#: and the years at the edges take the plain road, which knows the calendar.
_API_TIME = (
    r"^(?:2(?:0\d\d|1\d\d|2[0-5]\d|260)|1(?:679|6[89]\d|[7-9]\d\d))-(?:(?:0[13578]|1[02])-"
    r"(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))"
    r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:Z|[+-]\d\d:?\d\d)$"
)
_FLAGS = frozenset({0, 1, "0", "1", ""})


class Malformed(ValueError):
    """A 200 answer that breaks its method's shape: ``field`` and what is wrong with it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field
        self.problem = problem


def parse_time(text: str) -> datetime:
    """A time of the API as an aware UTC datetime; ``ValueError`` saying what is wrong."""
    if not _TIME.fullmatch(text):
        raise ValueError("is not a time like 2026-01-02T03:04:05+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a date of the calendar") from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if not MIN_TIME <= moment < MAX_TIME:
        raise ValueError(f"is out of range ({MIN_TIME.year} to {MAX_TIME.year - 1})")
    return moment


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _unicode(text: str) -> bool:
    """Whether ``text`` is Unicode text (JSON's ``\\udcff`` decodes to a lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Value:
    """What one field may hold: ``kind`` (how :func:`conforms` checks a column of it) and,
    for ``choice``, the values."""

    kind: str
    choices: frozenset[str] = frozenset()
    secret: bool = False  # never shown in a message (keys)

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` (not None), or None."""
        shown = "" if self.secret else f" {_shown(value)}"
        if isinstance(value, str) and not _unicode(value):
            return f"holds{shown}, which is not Unicode text (a lone surrogate)"
        if self.kind in ("email", "key", "name", "time", "choice"):
            if not isinstance(value, str):
                return f"is{shown} ({type(value).__name__}), not text"
            if self.kind in ("email", "key") and not value.strip():
                return "is empty"
            if self.kind == "time":
                try:
                    parse_time(value)
                except ValueError as exc:
                    return f"{exc}: {_shown(value)}"
            if self.kind == "choice" and value not in self.choices:
                return f"is {_shown(value)}, not one of {', '.join(sorted(self.choices))}"
            return None
        if self.kind == "count":
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
            if isinstance(value, str) and _DIGITS.fullmatch(value):
                number = int(value)
            if number is None or not 0 <= number <= MAX_INT:
                return f"is{shown}, not a whole number from 0 to 2**63-1"
            return None
        if self.kind == "flag":
            return None if _hashable(value) in _FLAGS else f"is{shown}, not 0 or 1"
        if self.kind == "xheaders":
            return _xheaders_problem(value)
        if isinstance(value, dict | list):  # text: any JSON scalar, written out
            return f"is {type(value).__name__}, not a single value"
        return None


def _hashable(value: object) -> object:
    return value if isinstance(value, str | int) else None  # 1.0 == 1, but is no flag


def _xheaders_problem(value: object) -> str | None:
    """X-headers come as an object of values, or as the empty array when there are none."""
    if value == [] or value is None:
        return None
    if not isinstance(value, dict):
        return f"is {_shown(value)}, not an object of X-header values"
    for name, held in value.items():
        problem = TEXT.problem(held) if held is not None else None
        if problem or not _unicode(name):
            return f"has {_shown(name)}: {problem or 'a name that is not Unicode text'}"
    return None


EMAIL, KEY, NAME, TIME, COUNT, FLAG, TEXT, XHEADERS = (
    Value("email"), Value("key", secret=True), Value("name"), Value("time"), Value("count"),
    Value("flag"), Value("text"), Value("xheaders"),
)  # fmt: skip


def choice(*values: str) -> Value:
    """A field holding one of ``values``."""
    return Value("choice", frozenset(values))


@dataclass(frozen=True)
class Obj:
    """A JSON object: its fields (name -> (value, required)), and what the rest may hold."""

    fields: Mapping[str, tuple[Value, bool]]
    rest: Value | None = TEXT  # None: the other fields may hold anything
    one_of: tuple[str, ...] = ()  # at least one of these is present and not null

    def check(self, data: object, where: str) -> None:
        """Raise :class:`Malformed` at the first field that breaks the shape."""
        if not isinstance(data, dict):
            raise Malformed(where or "data", f"is {_shown(data)}, not an object")
        prefix = f"{where}." if where else ""
        for name, (value, required) in self.fields.items():
            held = data.get(name)
            if held is None:
                if required:
                    raise Malformed(prefix + name, "is null" if name in data else "is missing")
                continue
            problem = value.problem(held)
            if problem:
                raise Malformed(prefix + name, problem)
        if self.one_of and all(data.get(name) is None for name in self.one_of):
            raise Malformed(prefix + " or ".join(self.one_of), "is missing")
        if self.rest is not None:
            for name, held in data.items():
                if name not in self.fields and held is not None:
                    problem = self.rest.problem(held)
                    if problem:
                        raise Malformed(prefix + str(name), problem)


@dataclass(frozen=True)
class Rows:
    """A page of a list: ``data[key]`` a list of ``row`` objects, beside ``other`` fields."""

    key: str
    row: Obj
    other: Obj = field(default_factory=lambda: Obj({}))

    def check(self, data: object, where: str = "") -> None:
        """Raise :class:`Malformed` at the first row or field that breaks the shape."""
        if not isinstance(data, dict):
            raise Malformed("data", f"is {_shown(data)}, not an object")
        self.other.check({k: v for k, v in data.items() if k != self.key}, where)
        rows = data.get(self.key)
        if not isinstance(rows, list):
            shown = "missing" if self.key not in data else f"{_shown(rows)}, not a list of rows"
            raise Malformed(self.key, f"is {shown}")
        for number, row in enumerate(rows):
            self.row.check(row, f"{self.key}[{number}]")


Shape = Obj | Rows
_TIMES = {"sent": "senttime", "delivered": "senttime", "bounces": "bouncetime"}
_TIMES |= {"complaints": "complainttime", "issues": "issuetime", "opens": "date", "clicks": "date"}
#: The other counts of a count answer (bounces and complaints, SPEC 2.5).
_COUNTS = ["totalcount", "hardbouncecount", "softbouncecount", "prevhardbouncecount"]
_COUNTS += ["complaintcount", "prevcomplaintcount"]
_ACCOUNT_FLAGS = ["tracklinks", "trackopens", "trackunsubscribes", "testmode"]
_ACCOUNT_FLAGS += ["bounce_url_active", "spam_url_active", "unsub_url_active"]
SUPPRESSION_STATUS = choice("unsuppressed", "suppressed", "pending addition", "pending removal")
SENDER_DETAILS = Obj(
    {"emailaddress": (EMAIL, False), "dkimval": (TEXT, False)}
    | {name: (FLAG, False) for name in ("spf", "dkim", "seeding")}
)


def report_row(report: str) -> Obj:
    """The row of report ``report`` (``bounces``, ``opens/unique``, ...)."""
    kind, _, unique = report.partition("/")
    fields: dict[str, tuple[Value, bool]] = {
        "emailaddress": (EMAIL, kind != "bounces"),
        _TIMES[kind]: (TIME, True),
        "xheaders": (XHEADERS, False),
        "userid": (COUNT, False),
        "mssenttime": (COUNT, False),
        "notified": (FLAG, False),
    }
    if kind in ("bounces", "complaints"):
        fields["senttime"] = (TIME, False)
    if kind == "bounces":
        fields["bounceemail"] = (EMAIL, False)
    if unique:
        fields["count"] = (COUNT, True)
    return Obj(fields, one_of=("emailaddress", "bounceemail") if kind == "bounces" else ())


def _shapes() -> dict[tuple[str, str], Shape]:
    count = Obj({"count": (COUNT, True)} | {name: (COUNT, False) for name in _COUNTS})
    account = Obj(
        {"username": (EMAIL, True), "apikey": (KEY, True), "created": (TIME, False)}
        | {"usertype": (choice("Master", "Sub"), False), "emailssent": (COUNT, False)}
        | {"max_sample_count": (COUNT, False)}
        | {name: (FLAG, False) for name in _ACCOUNT_FLAGS}
    )
    reasons = choice("bounce", "complaint", "unsubscribe", "manual")
    suppression = Obj(
        {"emailaddress": (EMAIL, True), "suppresstime": (TIME, True)}
        | {"suppressionid": (COUNT, True), "reasontype": (reasons, True)}
    )
    recipient = Obj(
        {"emailaddress": (EMAIL, True), "status": (choice("active", "inactive"), True)}
        | {"suppressionstatus": (SUPPRESSION_STATUS, True)}
    )
    shapes: dict[tuple[str, str], Shape] = {
        ("GET", "accounts"): Rows("accounts", account),
        ("GET", "accounts/xheaders"): Obj({}, rest=NAME),  # the client reads every value
        ("GET", "senders"): Rows("senders", Obj({"emailaddress": (EMAIL, True)})),
        ("GET", "senders/details"): SENDER_DETAILS,
        ("GET", "senders/status"): Obj({"ready": (FLAG, False)}),
        ("GET", "suppressions"): Rows("suppressions", suppression),
        ("GET", "suppressions/count"): count,
        ("GET", "recipients/status"): Rows("recipients", recipient),
        ("POST", "accounts"): Obj({"apikey": (KEY, True)}, rest=None),
        ("POST", "senders/dkim"): SENDER_DETAILS,
    }
    for kind in _TIMES:
        for report in (kind, f"{kind}/unique") if kind in ("opens", "clicks") else (kind,):
            base, _, unique = report.partition("/")
            shapes["GET", f"reports/{report}"] = Rows(base, report_row(report))
            shapes["GET", f"reports/{base}/count" + (f"/{unique}" if unique else "")] = count
    return shapes


SHAPES = _shapes()


def check(verb: str, method: str, data: object) -> None:
    """Raise :class:`Malformed` when ``data`` breaks the shape of what ``method`` answers.

    Every success carries an object (``{}`` for a write); a method without a declared
    shape is held to that alone.
    """
    shape = SHAPES.get((verb, method.strip("/")))
    if shape is None:
        if not isinstance(data, dict | list):
            raise Malformed("data", f"is {_shown(data)}, not an object")
        return
    shape.check(data, "")


def row_of(method: str) -> Obj:
    """The row of a list method (``suppressions``, ``reports/bounces``, ...)."""
    shape = SHAPES["GET", method]
    assert isinstance(shape, Rows)
    return shape.row


# --- Arrow columns: the fast road's question ----------------------------------------------


def conforms(columns: Mapping[str, pa.Array | pa.ChunkedArray], row: Obj) -> bool:
    """Whether every row of ``columns`` (field -> Arrow column) plainly fits ``row``.

    False does not mean malformed: the caller then takes the plain road, which says.
    """
    for name, (value, required) in row.fields.items():
        column = columns.get(name)
        if column is None:
            if required:
                return False
            continue
        if (required and column.null_count) or not _column_fits(column, value):
            return False
    if row.one_of and not _one_held(columns, row.one_of):
        return False
    rest = [c for name, c in columns.items() if name not in row.fields]
    return all(pa.types.is_string(c.type) or pa.types.is_null(c.type) for c in rest)


def _one_held(columns: Mapping[str, pa.Array], names: tuple[str, ...]) -> bool:
    """Whether every row holds at least one of the columns ``names``."""
    held = [columns[name] for name in names if name in columns]
    if not held:
        return False
    missing = pc.is_null(held[0])
    for column in held[1:]:
        missing = pc.and_(missing, pc.is_null(column))
    return not pc.any(missing).as_py()


def _column_fits(column: pa.Array, value: Value) -> bool:
    kind, kind_type = value.kind, column.type
    if pa.types.is_null(kind_type):
        return True
    if kind == "xheaders":
        if pa.types.is_struct(kind_type):
            return all(pa.types.is_string(f.type) for f in kind_type)
        return pa.types.is_list(kind_type) and not pc.max(pc.list_value_length(column)).as_py()
    if kind == "time":
        return _times_fit(column)
    if kind == "count" and pa.types.is_integer(kind_type):
        return not pc.any(pc.less(column, 0)).as_py()
    if not pa.types.is_string(kind_type):
        return False
    if kind in ("email", "key"):
        return not _any_blank(column)
    if kind == "count":
        return _all_digits(column, 18)
    if kind == "flag":
        return pc.all(pc.is_in(column, pa.array(["0", "1", ""]))).as_py() is not False
    if kind == "choice":
        return pc.all(pc.is_in(column, pa.array(sorted(value.choices)))).as_py() is not False
    return True


def _any_blank(column: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any text of ``column`` is empty or only whitespace (two cheap kernels where
    trimming every text copied it: a million-row read checks each page's addresses)."""
    blank = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
    return pc.any(blank).as_py() is True


def _all_digits(column: pa.Array | pa.ChunkedArray, most: int) -> bool:
    """Whether every text of ``column`` is 1 to ``most`` ASCII digits (nulls aside): what
    ``^[0-9]{1,most}$`` matches, at a tenth of the regex's time."""
    if pc.all(pc.ascii_is_decimal(column)).as_py() is False:
        return False
    longest = pc.max(pc.binary_length(column)).as_py()
    return longest is None or longest <= most


def _times_fit(column: pa.Array) -> bool:
    """Times in the API's form within :data:`MIN_TIME`..:data:`MAX_TIME`: text that
    strptime reads as written (it rolls 30 February over into March, so the parts are held
    to their ranges first), or timestamps Arrow's JSON reader parsed."""
    if pa.types.is_string(column.type):
        return pc.all(pc.match_substring_regex(column, _API_TIME)).as_py() is not False
    if not pa.types.is_timestamp(column.type):
        return False
    seconds = pc.cast(column, pa.timestamp("s", tz="UTC"), safe=False).cast(pa.int64())
    low, high = pc.min(seconds).as_py(), pc.max(seconds).as_py()
    return low is None or (MIN_TIME.timestamp() <= low and high < MAX_TIME.timestamp())
