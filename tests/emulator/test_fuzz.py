"""Hypothesis fuzz: whatever methods and parameters arrive, the server answers an envelope.

It never answers 500 and never drops a connection unless a fault was asked for.
"""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmframe.emulator import Settings
from mmframe.emulator.routes import ROUTES
from tests.emulator.test_admin import ROUTES as ADMIN_ROUTES

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


@pytest.fixture(scope="module")
def admin_target():
    """An emulator of its own: the admin fuzz may leave any valid settings behind."""
    from mmframe.emulator import Emulator

    emulator = Emulator("empty", port=0).start()
    yield emulator
    emulator.stop()


ADMIN = ADMIN_ROUTES
ADMIN_NAMES = [
    "name",
    "seed_value",
    "username",
    "password",
    "latency_ms",
    "jitter_ms",
    "fault_rate",
    "fault_mode",
    "stall_seconds",
    "rate_limit",
    "propagation_delay",
    "max_addresses",
    "nope",
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["empty", "mixed", "stall", "a@x.com", "none", "1e400"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(ADMIN_NAMES), JSON_VALUES, max_size=4).map(
        lambda d: json.dumps(d).encode()
    ),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40),
    st.just(b'{"seed_value": 1e400}'),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ADMIN),
    body=st.none() | BODIES,
    query=st.dictionaries(st.sampled_from(ADMIN_NAMES), VALUES, max_size=3),
    authorised=st.booleans(),
)
def test_admin_routes_never_answer_500(admin_target, route, body, query, authorised):
    server = admin_target
    verb, path = route
    if (body is not None and b"large" in body) or query.get("name") == "large":
        return  # a million rows per example would only make the fuzz slow
    headers = server.admin_headers if authorised else {}
    response = requests.request(
        verb,
        f"{server.admin_url}/{path}",
        params=query,
        data=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code in ((200, 400, 409) if authorised else (401,)), response.text
    assert isinstance(response.json(), dict)
    # whatever was asked, the settings in force are valid ones
    Settings(**server.runtime.settings.as_dict())
