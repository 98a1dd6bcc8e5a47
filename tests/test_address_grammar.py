"""One address grammar: the client and the emulator accept exactly the same addresses."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.addresses import check, problem
from mmframe.emulator.wire import is_address as server_accepts
from mmframe.writes.validate import row_problems
from tests.address_corpus import INVALID, VALID
from tests.conftest import call_api


def test_corpus_lengths_are_what_they_claim():
    assert len(VALID[-1]) == 254
    assert len(INVALID[-3]) == 255


@pytest.mark.parametrize("address", VALID)
def test_both_sides_accept(address):
    assert problem(address) is None
    assert server_accepts(address)


@pytest.mark.parametrize("address", INVALID)
def test_both_sides_refuse(address):
    assert isinstance(problem(address), str)
    assert not server_accepts(address)


@pytest.mark.clock
def test_the_server_agrees_over_http(emulator):
    status, _body = call_api(emulator, "POST", "suppressions", emailaddress=",".join(VALID))
    assert status == 200
    for address in INVALID:
        if address != address.strip() or not address or "," in address:
            continue  # the list syntax trims items and splits on commas (SPEC A7)
        status, _body = call_api(emulator, "POST", "suppressions", emailaddress=address)
        assert status == 452, address
    count = call_api(emulator, "GET", "suppressions/count")[1]["data"]["count"]
    assert count == len(VALID)


def test_reasons_are_words():
    assert "64" in problem("l" * 65 + "@x.com")
    assert "top-level domain" in problem("x@host.c0m")
    assert "ASCII" in problem("user@bücher.de") or "nternational" in problem("user@bücher.de")


PARTS = st.sampled_from(["a", "Z", "0", ".", "-", "_", "+", "@", "é", '"', " ", "xn--", "com"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=12).map("".join))
def test_client_and_server_agree_on_random_text(text):
    assert (problem(text) is None) == server_accepts(text)


# --- the vectorised check decides exactly as the one-by-one path ------------------------

CORPUS = [*VALID, *INVALID, None, float("nan"), 5, "", " ", "A@X.COM", "a@x.com"]


def test_fast_path_equals_slow_path_on_the_corpus():
    values = pd.Series(CORPUS * 3, dtype=object)
    assert check(values).tolist() == [problem(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(PARTS, min_size=0, max_size=10).map("".join), max_size=40))
def test_fast_path_equals_slow_path_on_random_frames(texts):
    values = pd.Series(texts, dtype=object)
    assert check(values).tolist() == [problem(v) for v in texts]


def test_row_problems_on_a_frame_without_per_row_work():
    frame = pd.DataFrame(
        {
            "account": ["a@x.com", "a@x.com", "b@x.com", None, "A@X.COM"],
            "email": ["u@x.com", "bad", "u@x.com", "v@x.com", "U@x.com"],
        },
        index=[10, 11, 12, 13, 14],
    )
    found = row_problems(frame, "email", addresses=True)
    assert found["index"].tolist() == [11, 13, 14]
    assert found["problem"].tolist() == ["invalid_address", "missing_account", "duplicate"]
    assert found["detail"].iloc[2] == "duplicate of row 10"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | st.lists(PARTS, min_size=0, max_size=10).map("".join), max_size=40))
def test_fast_path_on_arrow_text_equals_slow_path(texts):
    """A column Arrow holds (what every read gives) is checked without a Python string per
    row; the verdicts are the same, missing values included."""
    values = pd.Series(texts, dtype="string[pyarrow]")
    assert check(values).tolist() == [problem(v) for v in values.to_numpy(dtype=object)]


def test_fast_path_on_arrow_text_equals_slow_path_on_the_corpus():
    texts = [v for v in CORPUS if v is None or isinstance(v, str)] * 3
    values = pd.Series([*texts, "ü@x.com", "a@b.çom"], dtype="string[pyarrow]")
    assert check(values).tolist() == [problem(v) for v in values.to_numpy(dtype=object)]
