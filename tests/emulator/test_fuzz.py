"""Hypothesis fuzz: whatever methods and parameters arrive, the server answers an envelope.

It never answers 500 and never drops a connection unless a fault was asked for.
"""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmframe.emulator.routes import ROUTES

NAMES = [
    "apikey",
    "emailaddress",
    "startdate",
    "enddate",
    "starttime",
    "endtime",
    "startindex",
    "username",
    "password",
    "companyname",
    "phone",
    "timezone",
    "country",
    "seeding",
    "dkim",
    "xheader1",
    "generatenewapikey",
    "trackopens",
    "emailaddress[]",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "2",
            "1e9",
            "a@x.com",
            "A@X.COM,b@y.org",
            "x@",
            "@x",
            "2026-01-01",
            "2026-13-45",
            "2026-01-01T00:00:00Z",
            "+5.30",
            "99.99",
            "a@x.com," * 3,
            "null",
            "[]",
            "{}",
            "\x00",
            "é@ü.com",
        ]
    ),
)
METHODS = sorted({method for _verb, method in ROUTES} | {"nope", "accounts/../senders"})


@pytest.fixture(scope="module")
def server():
    from mmframe.emulator import Emulator

    emulator = Emulator("empty", port=0).start()
    yield emulator
    emulator.stop()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    verb=st.sampled_from(["GET", "POST", "PUT"]),
    method=st.sampled_from(METHODS),
    params=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6),
    use_master=st.booleans(),
    multipart=st.booleans(),
)
def test_server_always_answers_an_envelope(server, verb, method, params, use_master, multipart):
    if use_master:
        params["apikey"] = server.master_apikey
    url = f"{server.url}/{method}"
    if verb == "GET":
        response = requests.get(url, params=params, timeout=10)
    elif multipart:
        files = {k: (None, v.encode("utf-8", "surrogatepass")) for k, v in params.items()}
        response = requests.request(verb, url, files=files or {"x": (None, "")}, timeout=10)
    else:
        response = requests.request(verb, url, data=params, timeout=10)
    assert response.status_code in (200, 404, 451, 452, 453)
    body = response.json()["response"]
    assert body["status"] == response.status_code
    assert isinstance(body["message"], str)
