"""One address grammar: the client and the emulator accept exactly the same addresses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.addresses import problem
from mmframe.emulator.wire import is_address as server_accepts
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
