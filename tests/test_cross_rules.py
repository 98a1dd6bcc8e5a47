"""Rules written on both sides of the emulator boundary, held equal (issue 31).

The emulator imports nothing from the client, so a rule both need is written twice: the
account profile table, the time-zone rule and the bounce types here (the X-header names in
``test_xheader_rules.py``, the address grammar in ``test_address_grammar.py``). Each pair
is compared directly and, where it reaches the wire, over HTTP.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator.models import accounts as server
from mmframe.emulator.models.reports import BOUNCE_TYPES as SERVER_BOUNCE_TYPES
from mmframe.emulator.wire import ApiError
from mmframe.loaders.queries import BOUNCE_TYPES
from mmframe.schema import ACCOUNTS
from mmframe.writes import accounts as client
from tests.conftest import call_api


def test_the_profile_table_is_one_table():
    """Every field the client writes is one the API takes, and every field the API takes
    is written by the client or named read-only, by the same API name the reads use."""
    writable = set(server.TEXT_FIELDS) | set(server.FLAG_FIELDS) | {"password"}
    assert set(client.ACCOUNT_FIELDS.values()) <= writable
    read_names = {c.name: c.field for c in ACCOUNTS}
    read_only = {read_names[c] for c in client.READ_ONLY if c in read_names}
    assert writable - set(client.ACCOUNT_FIELDS.values()) <= read_only
    for column, field in client.ACCOUNT_FIELDS.items():
        if column != "password":  # never read back (SPEC 2.1)
            assert read_names[column] == field, column
    assert {client.ACCOUNT_FIELDS[c] for c in client.FLAGS} == set(server.FLAG_FIELDS) - {
        "testmode"
    }


ZONES = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{1,2}(?:[.:]?[0-9]{2})?\Z", fullmatch=True),
    st.from_regex(r"\A\s*[+-]?\d{1,3}[.:,]?\d{0,3}\s*\Z", fullmatch=True),
    st.text(max_size=8),
)


def _client_zone(value: str) -> str | None:
    try:
        return client.timezone(value)
    except ValueError:
        return None


def _server_zone(value: str) -> str | None:
    try:
        return server.normalise_timezone(value)
    except ApiError:
        return None


@settings(max_examples=400, deadline=None)
@given(ZONES)
def test_the_time_zone_rule_is_one_rule(value):
    assert _client_zone(value) == _server_zone(value)


@pytest.mark.parametrize("value", ["+5.30", "-12", "13.00", "+0530", "-3:30", "14", "-12.01"])
def test_the_time_zone_rule_holds_over_http(emulator, value):
    expected = _client_zone(value)
    profile = {"password": "secret1", "companyname": "X", "phone": "1", "timezone": value}
    status, body = call_api(emulator, "POST", "accounts", username="x@example.com", **profile)
    assert (status == 200) == (expected is not None), (value, body)
    if expected is not None:
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            read = mm.read_accounts(session=session).set_index("username")
        assert read.loc["x@example.com", "timezone"] == expected


def test_the_bounce_types_are_one_list(emulator):
    assert tuple(BOUNCE_TYPES) == tuple(SERVER_BOUNCE_TYPES)
    for kind in (*BOUNCE_TYPES, "HARD", "bogus"):
        status, _body = call_api(
            emulator, "GET", "reports/bounces", starttime="2026-01-01", endtime="2026-01-02",
            bouncetype=kind,
        )  # fmt: skip
        assert (status == 200) == (kind.lower() in BOUNCE_TYPES), kind
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            if status == 200:  # the client takes what the API takes, and asks the same
                read = mm.read_bounces("2026-01-01", "2026-01-02", bounce_type=kind,
                                       session=session)  # fmt: skip
                assert read.empty
            else:
                with pytest.raises(ValueError, match="bounce_type"):
                    mm.read_bounces("2026-01-01", "2026-01-02", bounce_type=kind,
                                    session=session)  # fmt: skip
