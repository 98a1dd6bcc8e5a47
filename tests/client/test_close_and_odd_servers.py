"""close() frees every caller, waits are bounded, odd answers give clear errors, no key leaks.

Regressions of issue 19 (items 7, 9 and 11).
"""

from __future__ import annotations

import threading
import time
import traceback

import pytest

import mmframe as mm
from mmframe import client, errors
from tests.fake_server import Answer, FakeServer
from tests.waiting import wait_for

KEY = "0123456789abcdef0123456789abcdef"
OK = Answer(body={"response": {"status": 200, "data": {"senders": []}}})


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("GET accounts", lambda s: mm.read_accounts(session=s)),
        ("GET suppressions/count", lambda s: mm.count_suppressions(session=s)),
        ("GET accounts/xheaders", lambda s: mm.read_bounces("2026-01-01", "2026-01-02", session=s)),
    ],
)
def test_close_frees_a_sequential_read_at_once(make_emulator, method, call):
    emulator = make_emulator("empty", latency_ms=20_000)  # every answer takes 20 s
    session = mm.Session(emulator.url, emulator.master_apikey, retries=0)
    outcome: dict[str, BaseException] = {}

    def read() -> None:
        try:
            call(session)
        except BaseException as exc:
            outcome["error"] = exc

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    wait_for(lambda: emulator.stats()["methods"].get(method, {}).get("requests", 0) >= 1)
    closed_at = time.monotonic()
    session.close()
    wait_for(lambda: not reader.is_alive(), timeout=5)
    assert time.monotonic() - closed_at < 2
    assert isinstance(outcome.get("error"), errors.SessionClosed)


def test_close_cuts_a_retrys_wait_short():
    answers = [Answer(429, {"response": {"status": 429, "data": {}}}, {"Retry-After": "30"})]
    with FakeServer(answers) as server:
        session = mm.Session(server.url, KEY, retries=3)
        outcome: dict[str, BaseException] = {}

        def read() -> None:
            try:
                session.get("senders")
            except BaseException as exc:
                outcome["error"] = exc

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        wait_for(lambda: len(server.requests) >= 1)
        closed_at = time.monotonic()
        session.close()
        wait_for(lambda: not reader.is_alive(), timeout=5)
        assert time.monotonic() - closed_at < 2
        assert isinstance(outcome.get("error"), errors.SessionClosed)
        assert len(server.requests) == 1  # the retry was never sent


@pytest.mark.parametrize(
    ("header", "waited"),
    [("3600", client.MAX_RETRY_AFTER), ("1.5", 1.5), ("soon", None), ("nan", None)],
)
def test_retry_after_is_read_and_capped(monkeypatch, header, waited):
    waits: list[float] = []
    monkeypatch.setattr(
        "mmframe.client.transport._pause", lambda seconds, closed: waits.append(seconds)
    )
    limited = Answer(429, {"response": {"status": 429, "data": {}}}, {"Retry-After": header})
    with FakeServer([limited, OK]) as server, mm.Session(server.url, KEY, retries=2) as session:
        assert session.get("senders") == {"senders": []}
    assert len(waits) == 1
    if waited is None:  # unreadable: exponential backoff decides, briefly
        assert 0 <= waits[0] < 1
    else:
        assert waits[0] == waited


def test_a_rate_limit_error_says_how_long_to_wait():
    limited = Answer(429, {"response": {"status": 429, "data": {}}}, {"Retry-After": "2.5"})
    with (
        FakeServer([limited]) as server,
        mm.Session(server.url, KEY, retries=0) as session,
        pytest.raises(errors.RateLimited) as caught,
    ):
        session.get("senders")
    assert caught.value.retry_after == 2.5


def test_a_redirect_to_another_host_is_never_followed():
    with FakeServer([OK]) as elsewhere:
        moved = Answer(307, b"", {"Location": f"{elsewhere.url}/senders"})
        with (
            FakeServer([moved]) as server,
            mm.Session(server.url, KEY) as session,
            pytest.raises(errors.APIError, match="redirect") as caught,
        ):
            session.post("senders", emailaddress="a@x.com")
        assert elsewhere.requests == []  # the key never reached the other host
    assert caught.value.status == 307 and KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("answer", "error", "status"),
    [
        (Answer(503, {"error": "overloaded"}), errors.ServerError, 503),
        (Answer(200, {"response": {"status": 200, "data": None}}), errors.MalformedAnswer, 200),
        (Answer(200, {"unexpected": True}), errors.MalformedAnswer, 200),
        (Answer(502, b"<html>Bad Gateway</html>"), errors.ServerError, 502),
    ],
)
def test_odd_answers_are_clear_errors(answer, error, status):
    with (
        FakeServer([answer]) as server,
        mm.Session(server.url, KEY, retries=0) as session,
        pytest.raises(error) as caught,
    ):
        mm.count_suppressions(session=session)
    assert type(caught.value) is error and caught.value.status == status


def test_a_value_too_long_for_a_url_is_refused_before_sending():
    with FakeServer([OK]) as server, mm.Session(server.url, KEY) as session:
        with pytest.raises(ValueError, match="domain"):
            mm.read_bounces("2026-01-01", "2026-01-02", domain="x" * 100_000, session=session)
        with pytest.raises(ValueError, match="characters"):
            session.get("senders", emailaddress="a" * 100_000 + "@x.com")
        assert server.requests == []


def test_a_key_given_as_the_url_is_never_echoed():
    odd = "sk_live.Q2x+/bm9uLWhleA=="  # a key of another alphabet, in the url's place
    with pytest.raises(ValueError, match="swapped") as caught:
        mm.Session(odd, KEY)
    assert odd not in str(caught.value)


def test_a_lone_surrogate_leaves_no_key_in_the_traceback():
    with FakeServer([OK]) as server, mm.Session(server.url, KEY) as session:
        with pytest.raises(ValueError, match="emailaddress") as caught:
            session.get("recipients/status", emailaddress="a\udcff@x.com")
        assert server.requests == []
    frames = traceback.walk_tb(caught.value.__traceback__)
    for frame, _line in frames:
        assert KEY not in repr(frame.f_locals), frame.f_code.co_name
    assert caught.value.__context__ is None
