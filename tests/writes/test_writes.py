"""Bulk writes against the emulator: effects on server state, validation, plans, confirms."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.errors import BatchWriteError, ConfirmationRequired

#: Rows suppressed here by hand (POST suppressions: reason "manual") go back only by
#: the deliberate choice activate asks for (adv12, W1).
BY_HAND = ("reactivate", "keep")

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
pytestmark = [pytest.mark.clock, UNJUDGED]  # reads today's date or the clock


def _suppress(session, addresses):
    for start in range(0, len(addresses), 1000):
        session.post("suppressions", emailaddress=addresses[start : start + 1000])


def _statuses(session, addresses):
    frame = mm.read_recipients(addresses, session=session)
    return dict(zip(frame["email"], frame["suppression_status"].astype(str), strict=True))


@pytest.fixture
def suppressed(session):
    """A session whose account has 30 suppressed addresses; returns (session, frame)."""
    _suppress(session, [f"u{i:02d}@example.com" for i in range(30)])
    return session, mm.read_suppressions(session=session)


def test_activate_touches_only_the_selection(emulator, suppressed):
    session, frame = suppressed
    chosen = frame[frame["email"].str.endswith(("0@example.com", "5@example.com"))]
    result = chosen.mm.activate(verdicts=BY_HAND, session=session)
    assert result.index.equals(chosen.index)
    assert result["status"].eq("ok").all() and result["batch"].eq(0).all()
    states = _statuses(session, frame["email"].tolist())
    assert {e for e, s in states.items() if s == "unsuppressed"} == set(chosen["email"])
    assert emulator.stats()["methods"]["POST suppressions/activate"]["requests"] == 1
    assert result.mm.summary().to_dict() == {
        "ok": 6,
        "failed": 0,
        "unchanged": 0,
        "planned": 0,
        "skipped": 0,
    }


def test_full_remediation_and_recipient_frames(session):
    _suppress(session, ["a@example.com", "b@example.com"])
    frame = mm.read_suppressions(session=session)
    mm.activate(frame, verdicts=BY_HAND, full=True, session=session)
    recipients = mm.read_recipients(["a@example.com", "b@example.com"], session=session)
    assert recipients["suppression_status"].eq("unsuppressed").all()
    assert recipients["status"].eq("active").all()
    again = recipients.mm.activate(verdicts=BY_HAND, session=session, dry_run=True)
    assert again["status"].eq("unchanged").all()


def test_suppress_from_any_email_frame(session):
    frame = pd.DataFrame({"email": ["x@example.com", "y@example.com"]})
    result = frame.mm.suppress(session=session)
    assert result["status"].tolist() == ["ok", "ok"]
    assert set(_statuses(session, ["x@example.com", "y@example.com"]).values()) == {"suppressed"}


def test_dry_run_sends_no_write_and_plans_per_row(emulator, suppressed):
    session, frame = suppressed
    frame.head(10).mm.activate(verdicts=BY_HAND, session=session)
    emulator.reset_stats()
    plan = frame.mm.activate(verdicts=BY_HAND, session=session, dry_run=True)
    assert emulator.stats()["totals"]["writes"] == 0
    assert plan["status"].value_counts().to_dict() == {"planned": 20, "unchanged": 10}
    said = plan.attrs["mmframe"]
    assert {k: said[k] for k in ("kind", "of", "operation", "dry_run")} == {
        "kind": "write_result",
        "of": "suppressions",
        "operation": "unsuppress",
        "dry_run": True,
    }
    # How its rows were read is kept, to be written again as the input would be (33rd
    # review, W1); what the read asked is not.
    read = frame.attrs["mmframe"]
    assert said["accounts"] == read["accounts"] and said.get("reader") == read.get("reader")
    assert "query" not in said


def test_invalid_rows_never_reach_the_server(emulator, session):
    frame = pd.DataFrame(
        {"email": ["ok@example.com", "not-an-address", None, "OK@example.com"]},
        index=[10, 11, 12, 13],
    )
    with pytest.raises(mm.InvalidRowsError) as caught:
        frame.mm.suppress(session=session)
    cases = caught.value.failure_cases
    assert cases["index"].tolist() == [11, 12, 13]
    assert cases["problem"].tolist() == ["invalid_address", "missing", "duplicate"]
    assert "duplicate of row 10" in cases["detail"].tolist()[2]
    assert "row 11" in str(caught.value) and emulator.stats()["totals"]["requests"] == 0
    result = frame.mm.suppress(session=session, on_invalid="skip")
    assert result["status"].tolist() == ["ok", "skipped", "skipped", "skipped"]
    assert result.loc[13, "error"] == "duplicate of row 10"


def test_missing_columns_suggest_close_matches(session):
    with pytest.raises(KeyError, match=r"'email' \(did you mean emails\?\)"):
        pd.DataFrame({"emails": ["a@example.com"]}).mm.suppress(session=session)


def test_an_address_column_moved_to_the_index_says_so(session):
    # storm.set_index("email").mm.activate() said only that 'email' was missing (W-21c).
    frame = pd.DataFrame({"email": ["a@example.org"]}).set_index("email")
    with pytest.raises(KeyError, match=r"'email' \(it is in the index: frame.reset_index\(\)\)"):
        frame.mm.suppress(session=session)


def test_kind_from_attrs_then_columns_else_asked(session):
    with pytest.raises(ValueError, match="kind="):
        pd.DataFrame({"email": ["a@example.com"]}).mm.activate(verdicts=BY_HAND, session=session)
    plain = pd.DataFrame({"email": ["a@example.com"]})
    assert plain.mm.activate(verdicts=BY_HAND, kind="recipients", session=session)[
        "status"
    ].tolist() == ["ok"]
    with pytest.raises(ValueError, match="suppressions or recipients"):
        mm.read_accounts(session=session).mm.activate(verdicts=BY_HAND, session=session)


def test_server_side_refusals_are_split_out(emulator, session, monkeypatch):
    good = [f"g{i}@example.com" for i in range(40)]
    bad = ["odd@tld.c0m", "weird@host.c0m"]
    # A server stricter than the client (the emulator and mmframe share one grammar, so
    # the client is loosened here to let the server be the one that refuses).
    from mmframe.writes import validate

    strict = validate.check
    monkeypatch.setattr(validate, "check", lambda values: strict(values).where(~values.isin(bad)))
    frame = pd.DataFrame({"email": [*good[:13], bad[0], *good[13:], bad[1]]})
    with pytest.warns(mm.BatchWriteWarning, match="2 of 42 row") as warned:
        result = frame.mm.suppress(session=session, on_error="warn")
    assert set(warned[0].message.failures["email"]) == set(bad)
    assert set(result.loc[result["status"] == "failed", "email"]) == set(bad)
    assert "c0m" in result.loc[result["status"] == "failed", "error"].iloc[0]
    assert set(_statuses(session, good).values()) == {"suppressed"}
    with pytest.raises(BatchWriteError) as caught:  # the default, as for a read
        frame.mm.suppress(session=session)
    assert set(caught.value.failures["email"]) == set(bad) and len(caught.value.result) == 42


def test_batches_over_the_servers_limit_are_split_until_they_fit(make_emulator):
    emulator = make_emulator("empty", max_addresses=7)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        frame = pd.DataFrame({"email": [f"s{i}@example.com" for i in range(30)]})
        assert frame.mm.suppress(session=session)["status"].eq("ok").all()
        assert mm.count_suppressions(session=session).sum() == 30


def test_confirm_rules(emulator, session):
    frame = pd.DataFrame({"email": [f"c{i}@example.com" for i in range(12)]})
    with pytest.raises(ConfirmationRequired) as caught:
        frame.mm.suppress(session=session, confirm_threshold=10)
    assert caught.value.summary["rows"] == 12 and emulator.stats()["totals"]["requests"] == 0
    with pytest.raises(ConfirmationRequired):
        frame.mm.suppress(session=session, confirm_threshold=10, confirm=11)
    assert (
        frame.mm.suppress(session=session, confirm_threshold=10, confirm=12)["status"]
        .eq("ok")
        .all()
    )
    assert (
        frame.mm.activate(
            verdicts=BY_HAND,
            kind="suppressions",
            session=session,
            confirm_threshold=10,
            confirm=True,
        )["status"]
        .eq("ok")
        .all()
    )
    plan = frame.mm.suppress(session=session, confirm_threshold=10, dry_run=True)
    assert plan["status"].eq("planned").all()  # a plan needs no confirmation


def test_batches_respect_batch_size(emulator, session):
    frame = pd.DataFrame({"email": [f"b{i}@example.com" for i in range(25)]})
    result = frame.mm.suppress(session=session, batch_size=10)
    assert sorted(result["batch"].unique().tolist()) == [0, 1, 2]
    assert emulator.stats()["methods"]["POST suppressions"]["requests"] == 3


def test_multi_account_rows_go_to_their_own_accounts(make_emulator):
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        frame = mm.read_suppressions("2026-03-02", "2026-03-03", accounts="all", session=session)
        chosen = frame.groupby("account", observed=True).head(3)
        result = chosen.mm.activate(verdicts=BY_HAND, session=session)
        assert result["status"].eq("ok").all()
        assert sorted(result["batch"].unique().tolist()) == list(range(chosen["account"].nunique()))
        after = mm.read_suppressions("2026-03-02", "2026-03-03", accounts="all", session=session)
    assert len(after) == len(frame) - len(chosen)
    assert set(after["suppression_id"]) == set(frame["suppression_id"]) - set(
        chosen["suppression_id"]
    )


def test_verify_catches_writes_that_did_not_land(session):
    import io
    import json

    import urllib3
    from requests.adapters import HTTPAdapter

    class Swallow(HTTPAdapter):  # answers 200 to writes without applying them
        def send(self, request, **kwargs):
            if request.method == "POST":
                body = json.dumps({"response": {"status": 200, "message": "OK", "data": {}}})
                response = super().build_response(
                    request,
                    urllib3.HTTPResponse(
                        body=io.BytesIO(body.encode()),
                        preload_content=False,
                        status=200,
                        headers={"content-type": "application/json"},
                    ),
                )
                return response
            return super().send(request, **kwargs)

    _suppress(session, ["v@example.com"])
    frame = mm.read_suppressions(session=session)
    session.transport.http.mount("http://", Swallow())
    with pytest.warns(mm.BatchWriteWarning, match="1 of 1 row"):
        result = frame.mm.activate(
            verdicts=BY_HAND, session=session, verify=True, verify_timeout=0, on_error="warn"
        )
    assert result["status"].tolist() == ["failed"]
    assert "verify" in result["error"].iloc[0]
