"""A hostile server's 200 answers: every public reader, against every way an answer can break
its method's shape, raises :class:`mmframe.MalformedAnswer` (an ``APIError``) naming what
broke; never a bare KeyError, TypeError, IndexError, OverflowError or ValueError.

The server is a transport adapter (:class:`tests.hostile.Scripted`): a well-formed answer
for every method (:data:`GOOD`, which every reader reads without complaint), and one
method's answer broken in one way per case.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import mmframe as mm
from tests.hostile import Scripted

pytestmark = pytest.mark.clock  # reads today's date or the clock

URL = "http://hostile.invalid/rest/json"
KEY = "f" * 32
MASTER = "master@example.com"
RANGE = ("2026-01-01", "2026-01-03")
KINDS = ("sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")
#: The time field of each report's rows.
TIMES = {
    "sent": "senttime",
    "delivered": "senttime",
    "bounces": "bouncetime",
    "complaints": "complainttime",
    "issues": "issuetime",
    "opens": "date",
    "clicks": "date",
}
AT = "2026-01-02T03:04:05+00:00"


def _report_row(kind: str) -> dict[str, Any]:
    row: dict[str, Any] = {"emailaddress": "a@example.com", TIMES[kind]: AT, "xheaders": []}
    extra = {
        "sent": {"sender": "s@example.com", "userid": "12", "mssenttime": 1767323045000},
        "delivered": {"sender": "s@example.com", "userid": 12},
        "bounces": {  # the address under the other name dyn's bounce scripts read
            "emailaddress": None, "bounceemail": "a@example.com", "senttime": AT,
            "bouncetype": "hard",
            "bouncerule": "x", "bouncemessage": "550 5.1.1 unknown", "notified": "1",
            "X-Campaign": "spring",
        },
        "complaints": {"senttime": AT, "xheaders": {"X-Campaign": "spring"}},
        "issues": {"issuetype": "blocked"},
        "opens": {"ip": "192.0.2.1", "stage": "read"},
        "clicks": {"ip": "192.0.2.1", "clicklink": "https://example.com"},
    }[kind]  # fmt: skip
    return {**row, **extra}


GOOD: dict[str, dict[str, Any]] = {
    "accounts": {
        "accounts": [
            {
                "username": MASTER,
                "apikey": KEY,
                "usertype": "Master",
                "accountname": "M",
                "created": "2020-01-01T00:00:00+00:00",
                "emailssent": "5",
                "tracklinks": "1",
                "max_sample_count": 0,
            }
        ],
        "emailcap": "1000",
    },
    "accounts/xheaders": {
        "xheader1": "X-Campaign",
        "xheader2": "",
        "xheader3": None,
        "xheader4": "",
    },
    "senders": {"senders": [{"emailaddress": "s@example.com"}]},
    "senders/details": {
        "emailaddress": "s@example.com",
        "spf": 1,
        "dkim": "0",
        "dkimval": "",
        "seeding": 0,
    },
    "senders/status": {"ready": 1},
    "suppressions/count": {"count": 1},
    "suppressions": {
        "suppressions": [
            {
                "emailaddress": "a@example.com",
                "suppresstime": AT,
                "suppressionid": "7",
                "reasontype": "bounce",
            },
        ]
    },
    "recipients/status": {
        "recipients": [
            {
                "emailaddress": "a@example.com",
                "status": "active",
                "suppressionstatus": "unsuppressed",
            }
        ]
    },
}
for _kind in KINDS:
    GOOD[f"reports/{_kind}/count"] = {"count": 1}
    GOOD[f"reports/{_kind}"] = {_kind: [_report_row(_kind)]}
GOOD["reports/bounces/count"].update(hardbouncecount=1, softbouncecount=0, totalcount=1)
GOOD["reports/complaints/count"].update(complaintcount=1, prevcomplaintcount="0")
for _kind in ("opens", "clicks"):
    GOOD[f"reports/{_kind}/count/unique"] = {"count": 1}
    GOOD[f"reports/{_kind}/unique"] = {
        _kind: [{**_report_row(_kind), "count": "3"} | ({"ip": None} if _kind == "opens" else {})]
    }


def _envelope(data: Any) -> bytes:
    return json.dumps({"response": {"status": 200, "message": "OK", "data": data}}).encode()


Break = Callable[[Any], bytes]


def _serve(broken: str | None = None, how: Break | None = None) -> Scripted:
    def answer(method: str, params: dict[str, str]) -> tuple[int, bytes]:
        if method not in GOOD:
            return 404, json.dumps({"response": {"status": 404, "message": method}}).encode()
        data = copy.deepcopy(GOOD[method])
        if method == broken and how is not None:
            return 200, how(data)
        return 200, _envelope(data)

    return Scripted(answer)


# --- the readers, and the methods each one reads ----------------------------------------


def _report_reader(kind: str, **filters: Any) -> Callable[[mm.Session], Any]:
    return lambda s: mm.read_events(kind, *RANGE, session=s, **filters)


READERS: dict[str, tuple[Callable[[mm.Session], Any], list[str]]] = {
    "read_accounts": (lambda s: mm.read_accounts(session=s), ["accounts"]),
    "read_xheaders": (lambda s: mm.read_xheaders(session=s), ["accounts/xheaders"]),
    "read_senders": (lambda s: mm.read_senders(session=s), ["senders"]),
    "read_senders(details)": (
        lambda s: mm.read_senders(details=True, session=s),
        ["senders/details", "senders/status"],
    ),
    "read_suppressions": (
        lambda s: mm.read_suppressions(*RANGE, session=s),
        ["suppressions/count", "suppressions"],
    ),
    "read_suppressions(all)": (
        lambda s: mm.read_suppressions(*RANGE, accounts="all", session=s),
        ["accounts"],
    ),
    "iter_suppressions": (
        lambda s: list(mm.iter_suppressions(*RANGE, session=s)),
        ["suppressions/count", "suppressions"],
    ),
    "count_suppressions": (
        lambda s: mm.count_suppressions(*RANGE, session=s),
        ["suppressions/count"],
    ),
    "read_suppression_counts": (
        lambda s: mm.read_suppression_counts(*RANGE, session=s),
        ["suppressions/count"],
    ),
    "read_recipients": (
        lambda s: mm.read_recipients(["a@example.com"], session=s),
        ["recipients/status"],
    ),
    **{
        f"read_{kind}": (_report_reader(kind), [f"reports/{kind}/count", f"reports/{kind}"])
        for kind in KINDS
    },
    "read_bounces(xheaders)": (
        _report_reader("bounces", xheaders={"X-Campaign": "spring"}),
        ["accounts/xheaders"],
    ),
    "read_opens(unique)": (
        _report_reader("opens", unique=True),
        ["reports/opens/count/unique", "reports/opens/unique"],
    ),
    "read_clicks(unique)": (
        _report_reader("clicks", unique=True),
        ["reports/clicks/count/unique", "reports/clicks/unique"],
    ),
    "iter_events": (
        lambda s: list(mm.iter_events("complaints", *RANGE, session=s)),
        ["reports/complaints/count", "reports/complaints"],
    ),
    "read_event_counts": (
        lambda s: mm.read_event_counts("bounces", *RANGE, session=s),
        ["reports/bounces/count"],
    ),
    "read_rates": (
        lambda s: mm.read_rates(*RANGE, session=s),
        ["reports/sent/count", "reports/complaints/count"],
    ),
}


# --- the ways an answer breaks -------------------------------------------------------------

EMAIL, TIME, COUNT, ID, CHOICE, FLAG, TEXT, REQUIRED_TEXT, XHEADERS = (
    "email", "time", "count", "id", "choice", "flag", "text", "required text", "xheaders",
)  # fmt: skip
#: The fields of each method's answer (of its rows, for a list) and what they hold.
FIELDS: dict[str, dict[str, str]] = {
    "accounts": {
        "username": EMAIL,
        "apikey": REQUIRED_TEXT,
        "usertype": CHOICE,
        "created": TIME,
        "emailssent": COUNT,
        "tracklinks": FLAG,
        "accountname": TEXT,
    },
    "accounts/xheaders": {"xheader1": TEXT},
    "senders": {"emailaddress": EMAIL},
    "senders/details": {"spf": FLAG, "dkimval": TEXT},
    "senders/status": {"ready": FLAG},
    "suppressions/count": {"count": COUNT},
    "suppressions": {
        "emailaddress": EMAIL,
        "suppresstime": TIME,
        "suppressionid": ID,
        "reasontype": CHOICE,
    },
    "recipients/status": {
        "emailaddress": EMAIL,
        "status": CHOICE,
        "suppressionstatus": CHOICE,
    },
}
for _kind in KINDS:
    FIELDS[f"reports/{_kind}/count"] = {"count": COUNT}
    FIELDS[f"reports/{_kind}"] = {"emailaddress": EMAIL, TIMES[_kind]: TIME, "xheaders": XHEADERS}
FIELDS["reports/bounces"] |= {"bouncemessage": TEXT, "X-Campaign": TEXT, "notified": FLAG}
FIELDS["reports/bounces"].pop("emailaddress")
FIELDS["reports/bounces"]["bounceemail"] = EMAIL
FIELDS["reports/sent"]["userid"] = ID
FIELDS["reports/bounces/count"]["hardbouncecount"] = COUNT
for _kind in ("opens", "clicks"):
    FIELDS[f"reports/{_kind}/count/unique"] = {"count": COUNT}
    FIELDS[f"reports/{_kind}/unique"] = {"emailaddress": EMAIL, "date": TIME, "count": COUNT}

#: What each kind of field may be broken into (besides missing, null, an object, a list).
ODD: dict[str, dict[str, Any]] = {
    EMAIL: {"number": 12345, "surrogate": "a\udcff@example.com", "empty": ""},
    TIME: {
        "number": 1767323045,
        "words": "yesterday",
        "year 9999": "9999-12-31T00:00:00+00:00",
        "year 1066": "1066-10-14T09:00:00+00:00",
        "30 February": "2026-02-30T00:00:00+00:00",
        "ISO week": "2026-W01-1",
    },
    COUNT: {"huge": 10**30, "negative": -1, "words": "many", "fraction": 1.5, "true": True},
    ID: {"huge": 10**30, "negative": -7, "words": "x7", "fraction": 7.5},
    CHOICE: {"unknown": "sometimes", "number": 3},
    FLAG: {"words": "maybe", "two": 2},
    TEXT: {"surrogate": "x\udcff"},
    REQUIRED_TEXT: {"surrogate": "x\udcff", "number": 12345},
    XHEADERS: {"text": "X-Campaign=spring", "values": ["spring"], "nested": {"X-A": {"b": 1}}},
}
#: Fields an answer may leave out (or null) without breaking its shape.
OPTIONAL = {TEXT, FLAG, XHEADERS}
OPTIONAL_FIELDS = {"usertype", "created", "emailssent", "userid", "hardbouncecount"}
ROWS = {m: next(iter(GOOD[m])) for m in FIELDS if isinstance(next(iter(GOOD[m].values())), list)}


def _set(data: dict[str, Any], method: str, field: str, value: Any) -> bytes:
    holder = data[ROWS[method]][0] if method in ROWS else data
    if value is _DROP:
        holder.pop(field)
    else:
        holder[field] = value
    return _envelope(data)


_DROP = object()


def _field_breaks(method: str) -> list[tuple[str, str, Break]]:
    """(name, what the error must name, how) for every field of ``method``."""
    found = []
    for field, kind in FIELDS[method].items():
        odd = {"an object": {"a": 1}, "a list": [1, 2]} if kind != XHEADERS else {}
        if kind not in OPTIONAL and field not in OPTIONAL_FIELDS:
            odd |= {"missing": _DROP, "null": None}
        odd |= ODD[kind]
        for name, value in odd.items():
            how = lambda data, m=method, f=field, v=value: _set(data, m, f, v)  # noqa: E731
            found.append((f"{field} {name}", field, how))
    return found


def _whole_breaks(method: str) -> list[tuple[str, str, Break]]:
    """Breaks of the answer as a whole, and of its rows for a list."""
    found: list[tuple[str, str, Break]] = [
        ("not JSON", "JSON", lambda data: b"<html><body>502 Bad Gateway</body></html>"),
        ("nested too deep", "JSON", lambda data: b"[" * 100_000 + b"]" * 100_000),
        ("data a list", "data", lambda data: _envelope([data])),
        ("data a string", "data", lambda data: _envelope("OK")),
    ]
    if method in ROWS:
        key = ROWS[method]
        found += [
            ("rows missing", key, lambda data: _envelope({k: data[k] for k in data if k != key})),
            ("rows null", key, lambda data: _envelope({**data, key: None})),
            ("rows an object", key, lambda data: _envelope({**data, key: {"0": data[key][0]}})),
            ("a row a string", key, lambda data: _envelope({**data, key: ["row"]})),
            ("a row a list", key, lambda data: _envelope({**data, key: [[1, 2]]})),
        ]  # fmt: skip
    return found


CASES = [
    pytest.param(reader, method, how, named, id=f"{reader}:{method}:{name}")
    for reader, (_call, methods) in READERS.items()
    for method in methods
    for name, named, how in _whole_breaks(method) + _field_breaks(method)
]


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_reads_the_well_formed_answers(reader):
    call, _methods = READERS[reader]
    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve())
        got = call(session)
    if isinstance(got, pd.DataFrame):
        assert len(got) >= 1
    elif isinstance(got, list):
        assert sum(len(frame) for frame in got) == 1


@pytest.mark.parametrize(("reader", "method", "how", "named"), CASES)
def test_a_malformed_answer_is_an_api_error_naming_the_field(reader, method, how, named):
    call, _methods = READERS[reader]
    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve(method, how))
        with pytest.raises(mm.APIError) as caught:
            call(session)
    error = caught.value
    assert isinstance(error, mm.MalformedAnswer), repr(error)
    assert named in str(error) and method in error.method, str(error)
    assert error.status == 200 and KEY not in str(error)
    assert error.__context__ is None  # no parser's error (and its data) kept inside


def test_a_recipient_left_out_of_the_answer_is_named():
    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve())  # answers for a@example.com only
        with pytest.raises(mm.MalformedAnswer, match=r"b@example\.com") as caught:
            mm.read_recipients(["a@example.com", "b@example.com"], session=session)
    assert caught.value.field == "recipients"


def test_a_bounce_names_its_address_either_way():
    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve())  # emailaddress null, bounceemail set
        bounces = mm.read_bounces(*RANGE, session=session)
    assert bounces["email"].tolist() == ["a@example.com"]
    assert bounces["domain"].tolist() == ["example.com"]


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("2028-02-29T12:00:00+00:00", "2028-02-29 12:00:00"),  # a leap day: the plain road
        ("2026-01-02T03:04:05Z", "2026-01-02 03:04:05"),
        ("2026-01-02T04:04:05+0100", "2026-01-02 03:04:05"),
        ("2026-01-02T03:04:05.250+00:00", "2026-01-02 03:04:05"),
        ("2026-01-02", "2026-01-02 00:00:00"),
        ("2026-01-02T03:04:05", "2026-01-02 03:04:05"),  # naive: UTC (SPEC A5)
        ("1678-01-01T01:00:00+01:00", "1678-01-01 00:00:00"),  # the edges: the plain road
        ("2261-12-31T23:59:59+00:00", "2261-12-31 23:59:59"),
    ],
)
@pytest.mark.parametrize("method", ["suppressions", "reports/bounces"])
def test_every_time_form_of_the_api_is_read(method, given, read):
    field = "suppresstime" if method == "suppressions" else "bouncetime"

    def how(data):
        return _set(data, method, field, given)

    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve(method, how))
        if method == "suppressions":
            got = mm.read_suppressions(*RANGE, session=session)["suppressed_at"]
        else:
            got = mm.read_bounces(*RANGE, session=session)["bounced_at"]
    assert got.dt.floor("s").tolist() == [pd.Timestamp(read, tz="UTC")]


@pytest.mark.parametrize(
    ("reader", "method"),
    [
        pytest.param(lambda s: mm.read_accounts(session=s), "accounts", id="accounts"),
        pytest.param(lambda s: mm.read_senders(session=s), "senders", id="senders"),
    ],
)
def test_a_list_that_ignores_startindex_is_refused_not_read_forever(reader, method):
    key = ROWS[method]
    row = GOOD[method][key][0]
    full = {**GOOD[method], key: [{**row, **_numbered(method, i)} for i in range(25)]}

    def answer(asked: str, params: dict[str, str]) -> tuple[int, bytes]:
        return 200, _envelope(full if asked == method else GOOD[asked])

    with mm.Session(URL, KEY, retries=0) as session:
        adapter = Scripted(answer)
        session.transport.http.mount("http://", adapter)
        with pytest.raises(mm.MalformedAnswer, match="startindex") as caught:
            reader(session)
    assert caught.value.field == key and adapter.asked.count(method) == 2


def _numbered(method: str, i: int) -> dict[str, str]:
    name = "username" if method == "accounts" else "emailaddress"
    return {name: f"u{i}@example.com"}


def test_a_parser_tripping_over_an_answer_is_a_malformed_answer_too():
    """The boundary's last net: a shape no check foresaw is still the server's fault."""

    def tripping(raw, decode):
        return decode(json.loads(raw))["count"]["deeper"]  # an int has no "deeper"

    with mm.Session(URL, KEY, retries=0) as session:
        session.transport.http.mount("http://", _serve())
        with pytest.raises(mm.MalformedAnswer, match="TypeError") as caught:
            session.fetch("GET", "suppressions/count", {}, tripping)
    assert caught.value.field == "data" and caught.value.__context__ is None
