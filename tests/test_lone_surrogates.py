"""Lone surrogates (text decoded with ``errors="surrogateescape"``) are refused or replaced
where they enter, naming where: never pyarrow's bare ``UnicodeEncodeError``, and never a
key inside an error's state."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import mmframe as mm
from tests.fake_server import FakeServer

ODD = "a\udcff@example.com"


def test_read_recipients_names_the_address(emulator, session):
    with pytest.raises(ValueError, match=r"emails: 1 invalid address.*\[1\] 'a\\udcff@") as caught:
        mm.read_recipients(["ok@example.com", ODD], session=session)
    assert not isinstance(caught.value, UnicodeError)
    assert emulator.stats()["totals"]["requests"] == 0


@pytest.mark.clock
@pytest.mark.parametrize("dtype", [object, "string[python]"])
def test_a_write_refuses_the_row_and_skips_it_on_request(emulator, session, dtype):
    frame = pd.DataFrame({"email": ["ok@example.com", ODD]}, dtype=dtype)
    with pytest.raises(mm.InvalidRowsError, match="row 1") as caught:
        frame.mm.suppress(session=session)
    cases = caught.value.failure_cases
    assert cases["index"].tolist() == [1] and cases["problem"].tolist() == ["invalid_address"]
    assert emulator.stats()["totals"]["requests"] == 0
    result = mm.suppress(frame, session=session, on_invalid="skip")
    assert result["status"].tolist() == ["ok", "skipped"]


def test_triage_reads_a_lone_surrogate_as_an_undecodable_byte():
    texts = pd.Series(
        ["550 5.1.1 <a@x.com>: User unknown \udcff", "550 5.1.1 User unknown"], dtype=object
    )
    out = mm.triage(texts)
    assert out["reason"].tolist() == ["userunknown", "userunknown"]
    as_bytes = mm.triage(pd.Series([b"550 5.1.1 <a@x.com>: User unknown \xff"]))
    assert out["evidence"].iloc[0] == as_bytes["evidence"].iloc[0]


def test_a_key_holding_one_is_refused_and_never_kept_in_the_error():
    key = "0123456789abcdef0123456789abcd\udcff"
    with FakeServer([]) as server, pytest.raises(ValueError, match="apikey") as caught:
        mm.Session(server.url, key)
    error = caught.value
    assert server.requests == []
    assert not isinstance(error, UnicodeError) and error.__context__ is None
    shown = str(error) + repr(error.args) + repr(pickle.dumps(error))
    assert "0123456789abcdef" not in shown
