"""The form body of a write is the one ``urllib.parse.urlencode`` writes, byte for byte,
whatever the text (issue 32: urlencode quoted byte by byte in Python, which cost a
200,000-row activate more than its requests)."""

from __future__ import annotations

import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from mmframe.client.transport import form

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["a@b.com,c@d.org", "x+tag@example.com", "100%", "a b", "é@ü.de", ""]
)


@given(st.dictionaries(TEXT, TEXT, max_size=5))
def test_the_form_body_is_what_urlencode_writes(payload):
    assert form(payload) == urllib.parse.urlencode(payload)


def test_an_address_list_takes_the_fast_road_and_reads_back():
    addresses = ",".join(f"user{i}@example.com" for i in range(1000))
    body = form({"apikey": "k3y-_.~", "emailaddress": addresses})
    assert body == urllib.parse.urlencode({"apikey": "k3y-_.~", "emailaddress": addresses})
    assert urllib.parse.parse_qs(body)["emailaddress"] == [addresses]
