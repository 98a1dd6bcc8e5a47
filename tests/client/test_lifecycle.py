"""Sessions with a lifecycle, keys that never leak, errors that pickle (issue 10)."""

from __future__ import annotations

import io
import pickle
import threading
import time

import pandas as pd
import pytest
import requests
import urllib3

import mmframe as mm
from mmframe import errors
from mmframe.client import Session
from mmframe.writes import InvalidRowsError
from tests.waiting import wait_for


@pytest.mark.clock
def test_close_while_reading_fails_the_reader_promptly(make_emulator):
    emulator = make_emulator("demo", latency_ms=50)
    session = Session(emulator.url, emulator.master_apikey, max_workers=4)
    session.account_keys()
    outcome: dict[str, BaseException] = {}

    def read() -> None:
        try:
            mm.read_suppressions(accounts="all", session=session)
        except BaseException as exc:
            outcome["error"] = exc

    reader = threading.Thread(target=read)
    reader.start()
    wait_for(lambda: emulator.stats()["methods"].get("GET suppressions", {}).get("requests", 0) > 4)
    closed_at = time.monotonic()
    session.close()
    reader.join(timeout=10)
    assert not reader.is_alive(), "the reader hangs after close()"
    assert time.monotonic() - closed_at < 5
    assert isinstance(outcome.get("error"), errors.SessionClosed)
    with pytest.raises(errors.SessionClosed):
        session.get("senders")
    with pytest.raises(errors.SessionClosed):
        mm.read_accounts(session=session)
    assert "closed" in repr(session)


@pytest.mark.clock
def test_closing_a_sub_account_session_leaves_the_shared_pool(emulator, session):
    session.post("accounts", username="sub@x.com", password="p", companyname="c", phone="1")
    sub = session.for_account("sub@x.com")
    sub.close()
    with pytest.raises(errors.SessionClosed):
        sub.get("senders")
    assert session.get("senders") == {"senders": []}  # the master still works
    fresh = session.for_account("sub@x.com")  # a new sub-session, not the closed one
    assert fresh is not sub and fresh.get("senders") == {"senders": []}
    assert list(session.map_unordered(lambda n: n * 2, [1, 2])) in (
        [(1, 2), (2, 4)],
        [(2, 4), (1, 2)],
    )
    session.close()
    with pytest.raises(errors.SessionClosed):
        session.for_account("sub@x.com").get("senders")


def test_nested_fan_out_runs_inline_on_the_pool(session):
    def inner(n):
        return sorted(v for _k, v in session.map_unordered(lambda m: m + n, range(3)))

    # Every worker waiting on the pool from inside it would deadlock; it runs inline.
    got = dict(session.map_unordered(inner, range(40)))
    assert got[5] == [5, 6, 7]
    # A thread of the caller's that merely looks like a worker by name still fans out on
    # the pool (thread names are not what decides).
    seen: list[bool] = []

    def fan_out() -> None:
        seen.extend(
            on_pool
            for _n, on_pool in session.map_unordered(
                lambda _: session.transport.on_pool(), range(3)
            )
        )

    renamed = threading.Thread(target=fan_out, name="mmframe-lookalike")
    renamed.start()
    renamed.join()
    assert seen == [True, True, True]


# --- keys --------------------------------------------------------------------------------


def test_swapped_connect_arguments_never_show_the_key(emulator, monkeypatch):
    key = emulator.master_apikey
    with pytest.raises(ValueError, match="swapped") as caught:
        mm.connect(key, emulator.url)
    assert key not in str(caught.value)


def test_a_key_inside_the_url_is_refused_and_masked(emulator):
    key = emulator.master_apikey
    with pytest.raises(ValueError, match="carries an API key") as caught:
        Session(f"{emulator.url}?apikey={key}", key)
    assert key not in str(caught.value)
    with pytest.raises(ValueError) as other:
        Session(f"{emulator.url}?x=1&APIKEY=0123456789abcdef0123", "k" * 32)
    assert "0123456789abcdef0123" not in str(other.value)


def test_transport_errors_carry_no_key_even_pickled(make_emulator):
    import tblib.pickling_support

    tblib.pickling_support.install()
    emulator = make_emulator("empty", fault_rate=1.0, fault_mode="reset-after")
    key = emulator.master_apikey
    with (
        Session(emulator.url, key, retries=0) as session,
        pytest.raises(errors.TransportError) as caught,
    ):
        session.get("senders")
    error = caught.value
    assert error.__context__ is None and error.__cause__ is None
    assert key not in str(error) and key.encode() not in pickle.dumps(error)
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, errors.TransportError) and again.kind == "read"
    assert again.method == "GET senders" and str(again) == str(error)


def test_transport_errors_say_which_kind(make_emulator, nobody_url):
    with (
        Session(nobody_url, "f" * 32, retries=0, timeout=1) as session,
        pytest.raises(errors.TransportError) as refused,
    ):
        session.get("senders")
    assert refused.value.kind == "connect"
    emulator = make_emulator("empty", fault_rate=1.0, fault_mode="stall", stall_seconds=1)
    with (
        Session(emulator.url, emulator.master_apikey, retries=0, timeout=(2, 0.2)) as session,
        pytest.raises(errors.TransportError) as slow,
    ):
        session.get("senders")
    assert slow.value.kind == "timeout"


class ProxyPage(requests.adapters.HTTPAdapter):
    """A proxy in front of the API that answers an HTML error page."""

    def send(self, request, **kwargs):
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(b"<html><body>Bad Gateway</body></html>"),
            status=502,
            headers={"Content-Type": "text/html"},
            preload_content=False,
        )
        return self.build_response(request, raw)


def test_an_html_5xx_is_a_server_error():
    with Session("http://proxy.invalid/rest/json", "k" * 32, retries=0) as session:
        session.transport.http.mount("http://", ProxyPage())
        with pytest.raises(errors.ServerError) as caught:
            session.get("senders")
    assert caught.value.status == 502 and "not JSON" in str(caught.value)


# --- errors that carry frames pickle round-trip -------------------------------------------


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"email": ["a@x.com"], "status": ["failed"]})


@pytest.mark.parametrize(
    "error",
    [
        errors.PartialLoadError("2 chunks short", frame=_frame(), chunks=_frame()),
        errors.BatchWriteError("1 of 1 failed", failures=_frame(), result=_frame()),
        errors.ConfirmationRequired("confirm", summary={"rows": 3}),
        InvalidRowsError("bad rows", _frame()),
        errors.InvalidArguments("Invalid", status=452, messages=["x"], method="POST s"),
        errors.ServerError("boom", status=503, method="GET s", attempts=3),
        errors.TransportError("reset", method="GET s", attempts=2, kind="read"),
        errors.PartialLoadWarning("short", _frame()),
    ],
)
def test_errors_pickle_with_their_frames(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    for name, value in vars(error).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(getattr(again, name), value)
        else:
            assert getattr(again, name) == value
    if isinstance(error, InvalidRowsError):
        pd.testing.assert_frame_equal(again.failure_cases, error.failure_cases)


def test_partial_load_report_is_a_deprecated_alias_of_chunks():
    error = errors.PartialLoadError("2 chunks short", frame=_frame(), chunks=_frame())
    with pytest.warns(DeprecationWarning, match=r"\.chunks"):
        assert error.report is error.chunks
    with pytest.warns(DeprecationWarning, match="chunks="):
        old = errors.PartialLoadError("short", frame=_frame(), report=_frame())
    pd.testing.assert_frame_equal(old.chunks, _frame())
    warning = errors.PartialLoadWarning("short", _frame())
    with pytest.warns(DeprecationWarning, match=r"\.chunks"):
        assert warning.report is warning.chunks
    again = pickle.loads(pickle.dumps(error))
    with pytest.warns(DeprecationWarning, match=r"\.chunks"):
        pd.testing.assert_frame_equal(again.report, _frame())
