"""One X-header rule: the client and the emulator accept the same names and give a name the
same column (issues 29 and 31), whatever the name's case."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.emulator.models.accounts import is_xheader as server_accepts
from mmframe.emulator.models.accounts import xheader_column as server_column
from mmframe.xheader_names import is_xheader, xheader_column
from tests.conftest import call_api

VALID = [
    "X-Campaign",
    "x-campaign",
    "X-MessageId",
    "X-MESSAGEID",
    "X-Message-Id",
    "X-a--b",
    "X-ab-",
    "X-1",
    "X-" + "a" * 63,  # the longest: 65 characters
]
INVALID = [
    "",
    "X-",
    "X--a",
    "Campaign",
    "Y-Campaign",
    "X_Campaign",
    "X-Cam paign",
    "X-Campaign\n",
    " X-Campaign",
    "X-Message.Id",
    "X-Message_Id",
    "X-Café",
    "X-" + "a" * 64,
]


@pytest.mark.parametrize("name", VALID)
def test_both_sides_accept(name):
    assert is_xheader(name) and server_accepts(name)


@pytest.mark.parametrize("name", INVALID)
def test_both_sides_refuse(name):
    assert not is_xheader(name) and not server_accepts(name)


@pytest.mark.parametrize("name", [*VALID, *INVALID])
def test_both_sides_give_the_same_column(name):
    assert xheader_column(name) == server_column(name)


def test_the_server_agrees_over_http(emulator):
    for name in VALID:
        status, body = call_api(emulator, "POST", "accounts/xheaders", xheader1=name)
        assert (status, body["data"]["xheader1"]) == (200, name)
    for name in INVALID:
        if not name.strip() or name != name.strip():
            continue  # the server trims values, and an empty one clears the slot
        status, _body = call_api(emulator, "POST", "accounts/xheaders", xheader1=name)
        assert status == 452, name


PARTS = st.sampled_from(["X-", "x-", "X", "-", "a", "Z", "0", "Id", "ID", "_", ".", " ", "é"])
NAMES = st.lists(PARTS, min_size=1, max_size=10).map("".join)


@settings(max_examples=1000, deadline=None)
@given(NAMES)
def test_client_and_server_agree_on_random_text(text):
    assert is_xheader(text) == server_accepts(text)
    assert xheader_column(text) == server_column(text)


#: Header names built from their parts (a small alphabet, so that names meet often).
HEADERS = st.builds(
    lambda x, first, rest: x + first + rest,
    st.sampled_from(["X-", "x-"]),
    st.sampled_from("aA0"),
    st.text(alphabet="aAbB0-", max_size=6),
)


@settings(max_examples=500, deadline=None)
@given(HEADERS, HEADERS)
def test_two_names_share_a_column_exactly_when_they_are_one_header(a, b):
    # Header names are case-insensitive (RFC 5322): one header, one column, in any case.
    assert xheader_column(a) == xheader_column(a.swapcase()) == xheader_column(a.upper())
    assert (xheader_column(a) == xheader_column(b)) == (a.lower() == b.lower())


@pytest.mark.clock
def test_every_client_check_takes_the_one_rule(emulator, session):
    # The client had two rules: report filters took names of any length, set_xheaders 65
    # characters at most and only a capital X. Both now take exactly the server's names.
    import pandas as pd

    import mmframe as mm

    longest, too_long = "x-" + "a" * 63, "X-" + "a" * 64
    frame = pd.DataFrame({"account": [session.identity()], "xheader1": [f" {longest} "]})
    done = mm.set_xheaders(frame, session=session, verify=True)
    assert done["status"].tolist() == ["ok"]
    assert session.get("accounts/xheaders")["xheader1"] == longest
    refused = mm.set_xheaders(frame.assign(xheader1=too_long), session=session, on_invalid="skip")
    assert refused["status"].tolist() == ["skipped"]
    with pytest.raises(ValueError, match="not an X-header name"):
        mm.read_sent("2026-01-01", "2026-01-02", xheaders={too_long: "x"}, session=session)
    with pytest.raises(ValueError, match="X-header name"):
        mm.read_rates("2026-01-01", "2026-01-02", by=too_long, values=["x"], session=session)
    assert (
        len(mm.read_sent("2026-01-01", "2026-01-02", xheaders={longest: "x"}, session=session)) == 0
    )
