"""The HTTP session: envelope, error tree, retries, limits, sub-accounts, and secrecy."""

from __future__ import annotations

import logging

import pytest

import mmframe as mm
from mmframe import errors
from mmframe.client import Session, connect, resolve
from mmframe.throttle import Throttle
from tests.waiting import ManualClock


@pytest.fixture
def no_default_session(monkeypatch):
    """Leave no default session behind for later tests: restore the global afterwards."""
    from mmframe import client

    monkeypatch.setattr(client, "_default", None)
    yield
    if client._default is not None:
        client._default.close()


@pytest.mark.clock
def test_connect_from_environment_becomes_default(emulator, monkeypatch, no_default_session):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    session = connect()
    assert resolve(None) is session
    assert mm.read_accounts()["username"].tolist() == ["admin@example.com"]
    other = connect(emulator.url, emulator.master_apikey, max_workers=2)
    assert resolve(None) is other and resolve(session) is session
    session.close()


@pytest.mark.parametrize(
    ("url", "key", "match"),
    [
        (None, "k", "MMFRAME_URL"),
        ("http://x", None, "MMFRAME_APIKEY"),
        ("ftp://x", "k", "http"),
    ],
)
def test_connect_needs_url_and_key(monkeypatch, url, key, match, no_default_session):
    monkeypatch.delenv("MMFRAME_URL", raising=False)
    monkeypatch.delenv("MMFRAME_APIKEY", raising=False)
    with pytest.raises(ValueError, match=match):
        connect(url, key)


def test_resolve_rejects_other_objects():
    with pytest.raises(TypeError, match="Session"):
        resolve("not a session")  # type: ignore[arg-type]


def test_envelope_errors_map_to_the_tree(session):
    with pytest.raises(errors.InvalidArguments) as caught:
        session.post("suppressions", emailaddress="bad")
    assert caught.value.status == 452 and caught.value.method == "POST suppressions"
    assert "'bad'" in caught.value.messages[0]
    with pytest.raises(errors.NotFound):
        session.get("nothing/here")


@pytest.mark.clock
def test_revoked_key_raises_invalid_key_without_the_key(emulator, session):
    key = session.post("accounts", username="sub@x.com", password="p", companyname="c", phone="1")[
        "apikey"
    ]
    sub = session.for_account("sub@x.com")
    session.post("accounts", username="sub@x.com", generatenewapikey=1)
    with pytest.raises(errors.InvalidAPIKey) as caught:
        sub.get("senders")
    text = f"{caught.value!s} {caught.value!r} {caught.value.message} {caught.value.messages}"
    assert key not in text and caught.value.status == 451


@pytest.mark.clock
def test_for_account_uses_the_listed_key(session):
    session.post("accounts", username="Ops@x.com", password="p", companyname="c", phone="1")
    ops = session.for_account("ops@X.com")
    assert ops.username == "Ops@x.com" and ops.transport is session.transport
    ops.post("suppressions", emailaddress="a@x.com")
    assert ops.get("suppressions/count")["count"] == 1
    assert session.get("suppressions/count")["count"] == 0
    assert session.for_account("admin@example.com") is session
    with pytest.raises(KeyError, match=r"nobody@x\.com"):
        session.for_account("nobody@x.com")
    with pytest.raises(errors.InvalidAPIKey, match="master"):
        ops.for_account("admin@example.com")


def test_retries_on_503_count_attempts(make_emulator):
    emulator = make_emulator(fault_rate=0.5, fault_mode="error-before", seed_value=3)
    with Session(emulator.url, emulator.master_apikey, retries=8) as session:
        replies = [session.call("GET", "senders", {}) for _ in range(20)]
    assert sum(r.attempts for r in replies) > 20
    faults = emulator.stats()["methods"]["GET senders"]["faults"]["error-before"]
    assert sum(r.attempts for r in replies) == 20 + faults


def test_retries_exhausted_raise_server_error(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="error-before")
    with (
        Session(emulator.url, emulator.master_apikey, retries=2) as session,
        pytest.raises(errors.ServerError) as caught,
    ):
        session.get("senders")
    assert caught.value.attempts == 3 and caught.value.status == 503


@pytest.mark.clock
def test_connection_drops_are_retried_and_write_lands_once(make_emulator):
    emulator = make_emulator(fault_rate=0.5, fault_mode="reset-after", seed_value=1)
    with Session(emulator.url, emulator.master_apikey, retries=10) as session:
        for i in range(10):
            session.post("suppressions", emailaddress=f"u{i}@x.com")
    emulator.configure(fault_rate=0)
    assert emulator.stats()["methods"]["POST suppressions"]["faults"]["reset-after"] > 0
    with Session(emulator.url, emulator.master_apikey) as session:
        assert session.get("suppressions/count")["count"] == 10


def test_timeouts_are_retried_then_raise_transport_error(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="stall", stall_seconds=2)
    with (
        Session(emulator.url, emulator.master_apikey, timeout=(1, 0.2), retries=1) as session,
        pytest.raises(errors.TransportError) as caught,
    ):
        session.get("senders")
    assert caught.value.attempts == 2 and emulator.master_apikey not in str(caught.value)


def test_unreachable_server_is_a_transport_error(nobody_url):
    with (
        Session(nobody_url, "f" * 32, retries=0, timeout=1) as session,
        pytest.raises(errors.TransportError) as caught,
    ):
        session.get("senders")
    assert "f" * 32 not in str(caught.value)


def test_429_retry_after_is_honoured(make_emulator, monkeypatch):
    clock = ManualClock()  # the server's bucket refills only when the client waits
    emulator = make_emulator(rate_limit=2, clock=clock)
    waits = []

    def pause(seconds, closed):  # a retry waits for Retry-After: move the server's clock
        waits.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr("mmframe.client.transport._pause", pause)
    with Session(emulator.url, emulator.master_apikey, retries=5) as session:
        for _ in range(5):
            session.get("senders")
    statuses = emulator.stats()["methods"]["GET senders"]["statuses"]
    assert statuses == {"200": 5, "429": 2}  # a burst of 2, then a 429 every second request
    assert waits == [1.0, 1.0]  # each 429's Retry-After, nothing shorter


def test_the_client_rate_limit_spaces_requests():
    clock = ManualClock(start=0.0)
    throttle = Throttle(15, clock=clock, sleep=clock.advance)
    for _ in range(40):
        throttle.acquire()
    # a one-second burst of 15, then one token every 1/15 s: 25 more take 25/15 s
    assert clock() == pytest.approx(25 / 15)


@pytest.mark.clock
def test_the_client_rate_limit_is_shared_and_requests_all_land(make_emulator):
    emulator = make_emulator()
    with Session(emulator.url, emulator.master_apikey, rate_limit=50, max_workers=8) as session:
        sub = session.post("accounts", username="s@x.com", password="p", companyname="c", phone="1")
        assert (
            sub and session.for_account("s@x.com").transport.throttle is session.transport.throttle
        )
        got = list(session.map_unordered(lambda _: session.get("senders"), range(40)))
    assert len(got) == 40


def test_key_never_shown(emulator, session, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    key = emulator.master_apikey
    session.get("senders")
    with pytest.raises(errors.InvalidArguments) as bad:
        session.get("suppressions", startdate="nope")
    try:
        session.get("suppressions", startindex="-1")
    except errors.APIError as exc:
        chained = repr(exc.__cause__) + repr(exc.__context__)
    shown = " ".join(
        [
            repr(session),
            str(session),
            caplog.text,
            str(bad.value),
            repr(bad.value),
            chained,
            *capsys.readouterr(),
        ]
    )
    assert "apikey=" in caplog.text  # urllib3 logged the request line, scrubbed
    assert key not in shown
    assert session.apikey_hint == "…" + key[-4:]


def test_requests_exceptions_never_chain_the_url(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="reset-after")
    with (
        Session(emulator.url, emulator.master_apikey, retries=0) as session,
        pytest.raises(errors.TransportError) as caught,
    ):
        session.get("senders")
    # requests' exception (its text holds the URL, key included) is neither cause nor context
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert emulator.master_apikey not in str(caught.value)
    assert caught.value.kind == "read"


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("hunter2-long-secret", id="long"),
        pytest.param("pw", id="short"),  # too short to be remembered as a key: masked by shape
        pytest.param("p%40ss:w%2Frd", id="encoded"),
    ],
)
def test_a_urls_password_is_never_shown(caplog, password):
    caplog.set_level(logging.DEBUG)
    url = f"http://ops:{password}@127.0.0.1:9/rest/json"
    with (
        Session(url, "f" * 32, retries=0, timeout=1) as session,
        pytest.raises(errors.TransportError) as caught,
    ):
        session.get("senders")
    shown = " ".join([repr(session), str(session), str(caught.value), caplog.text])
    assert f":{password}@" not in shown
    assert "ops:***@127.0.0.1:9" in repr(session)  # the user and host still say which


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://u:pw@h/x", "http://u:***@h/x"),
        ("see https://u:p@ss@h:1/x?a=b", "see https://u:***@h:1/x?a=b"),
        ("http://h:8025/x?email=a@b.com", "http://h:8025/x?email=a@b.com"),  # no userinfo
        ("http://h:8025?email=a@b.com", "http://h:8025?email=a@b.com"),
        ("mailto:a@b.com", "mailto:a@b.com"),
    ],
)
def test_scrub_masks_a_urls_password_only(text, shown):
    from mmframe.redact import scrub

    assert scrub(text) == shown


def test_a_key_holding_a_shorter_known_key_is_masked_whole():
    # Found by the full suite: a registered key that is the start of a longer one was
    # masked first, which left the longer key's rest on show ("***456789abcdef").
    from mmframe.redact import register, scrub

    register("a1b2c3d4e5f6a7b8")
    register("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6")
    assert scrub("key a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6 here") == "key *** here"
