"""The form body of a write is the one ``urllib.parse.urlencode(..., safe="@,")`` writes,
byte for byte, whatever the text, and reads back as the payload through any form parser
(issue 32: urlencode quoted byte by byte in Python, which cost a 200,000-row activate more
than its requests; then the server's unquoting of 2,000 ``%40``/``%2C`` a request did)."""

from __future__ import annotations

import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from mmframe.client.transport import form

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["a@b.com,c@d.org", "x+tag@example.com", "100%", "a b", "é@ü.de", "", "a&b=c", "%40"]
)


@given(st.dictionaries(TEXT, TEXT, max_size=5))
def test_the_form_body_is_what_urlencode_writes_and_reads_back(payload):
    body = form(payload)
    assert body == urllib.parse.urlencode(payload, safe="@,")
    assert dict(urllib.parse.parse_qsl(body, keep_blank_values=True)) == payload


def test_an_address_list_is_sent_as_written_and_reads_back():
    # "@" and "," mean nothing special in a form body (only "&", "=", "+" and "%" do), and
    # RFC 3986 allows both in a query: sent as they are, the server unquotes nothing.
    addresses = ",".join(f"user{i}@example.com" for i in range(1000))
    body = form({"apikey": "k3y-_.~", "emailaddress": addresses})
    assert body == f"apikey=k3y-_.~&emailaddress={addresses}"
    assert urllib.parse.parse_qs(body)["emailaddress"] == [addresses]
