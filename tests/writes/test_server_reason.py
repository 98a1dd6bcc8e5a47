"""An activation that takes addresses off the list refuses every row the server lists now
for a complaint, an unsubscribe or a manual add, unless ``verdicts=`` names ``"keep"``
(adv13, W-13, W-13b, W-13c, W1-CONFUSING): ``activate`` trusted the frame (its ``reason``
column, its judged record) and never the server's current reason, so a frame whose
``reason`` was renamed, dropped or overwritten, a judged frame re-pointed to another
account, a stale frame re-run after rows were suppressed by hand, and a recipients frame
with ``full=True`` all put back people who asked. The plan reads the server's list (paged,
never a request a row) before any write, dry runs included."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.judged import remember

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
pytestmark = [pytest.mark.invariants, UNJUDGED]

NEWS, SHOP = "news@example.com", "shop@example.com"
REASONS = ("bounce", "complaint", "unsubscribe", "manual")
ROWS = 16
KEEP = ("reactivate", "keep")
AT = pd.Timestamp("2026-06-09 10:00", tz="UTC")
#: What an analyst may do to the ``reason`` column before activating.
EDITS = ("as read", "renamed", "dropped", "overwritten", "na")


def _reason(i: int) -> str:
    return REASONS[i % len(REASONS)]


@pytest.fixture(scope="module")
def served():
    """Suppressions on two accounts, every reason; the same addresses on the other
    account held for another reason (``(i + 1) % 4``), and them as read."""
    emails = [f"p{i}@yahoo.com" for i in range(ROWS)]
    sup = pd.DataFrame({
        "account": [NEWS] * ROWS + [SHOP] * ROWS, "email": emails * 2,
        "suppressed_at": [AT + pd.Timedelta(minutes=i) for i in range(2 * ROWS)],
        "reason": [_reason(i) for i in range(ROWS)] + [_reason(i + 1) for i in range(ROWS)],
    })  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts="all", session=session)
            yield emulator, session, rows.sort_values(["account", "email"]).reset_index(drop=True)


def _writes(emulator: Emulator) -> int:
    methods = emulator.stats()["methods"]
    return sum(m["requests"] for name, m in methods.items() if name.startswith("POST"))


def _requests(emulator: Emulator, method: str) -> int:
    return int(emulator.stats()["methods"].get(method, {}).get("requests", 0))


def _edited(frame: pd.DataFrame, edit: str) -> pd.DataFrame:
    if edit == "renamed":
        return frame.rename(columns={"reason": "Reason"})
    if edit == "dropped":
        return frame.drop(columns="reason")
    if edit == "overwritten":
        return frame.assign(reason="bounce")
    if edit == "na":
        return frame.assign(reason=pd.NA)
    return frame


@pytest.mark.parametrize("edit", ["renamed", "dropped", "overwritten"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_frame_whose_reason_column_no_longer_tells_is_refused_by_the_servers(
    served, edit, dry_run
):
    emulator, session, rows = served
    news = _edited(rows[rows["account"] == NEWS], edit)  # 4 of each reason
    emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        news.mm.activate(full=True, dry_run=dry_run, confirm=True, session=session)
    said = str(refused.value)
    assert _writes(emulator) == 0
    assert "12 rows" in said and "4 who reported spam" in said, said
    assert "4 who unsubscribed" in said and "4 suppressed by hand" in said, said
    assert "nothing was sent" in said and "'keep'" in said, said


def test_a_frame_re_pointed_to_another_account_is_held_by_that_accounts_reasons(served):
    emulator, session, rows = served
    # news@'s bounce rows (p0, p4, ...): on shop@ they are complaints.
    bounced = rows[(rows["account"] == NEWS) & (rows["reason"] == "bounce")]
    assert bounced.mm.activate(dry_run=True, session=session)["status"].eq("planned").all()
    moved = bounced.assign(account=SHOP)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="4 who reported spam"):
        moved.mm.activate(full=True, confirm=True, session=session)
    assert _writes(emulator) == 0


def test_the_read_is_paged_not_a_request_a_row(served):
    emulator, session, rows = served
    emulator.reset_stats()
    rows.mm.activate(dry_run=True, session=session, verdicts=KEEP)
    assert _requests(emulator, "GET suppressions") == 0  # "keep" named: nothing to read
    emulator.reset_stats()
    frame = _edited(rows, "dropped")
    with pytest.raises(ValueError):
        frame.mm.activate(dry_run=True, session=session)
    # One list of 16 rows per account: one page each, and one status read per account.
    assert _requests(emulator, "GET suppressions") <= 2
    assert _requests(emulator, "GET recipients/status") <= 2


def test_a_recipients_frame_with_full_is_refused_and_without_it_touches_no_list(served):
    emulator, session, _rows = served
    news = session.for_account(NEWS)
    emails = [f"p{i}@yahoo.com" for i in range(1, 4)]  # a complaint, an unsubscribe, manual
    rec = mm.read_recipients(emails, session=news)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="1 who reported spam"):
        rec.mm.activate(full=True, dry_run=True, session=news)
    assert _writes(emulator) == 0
    # Without full=True the suppression stays: nothing is taken off the list, and the
    # person is still not mailed; the rows are planned.
    assert len(rec.mm.activate(dry_run=True, session=news)) == 3


def test_a_stale_frame_re_run_after_rows_were_suppressed_by_hand_is_refused():
    with Emulator("empty", port=0) as own:
        sup = pd.DataFrame({"account": NEWS, "email": ["g10@x.com", "g11@x.com"],
                            "suppressed_at": AT, "reason": "bounce"})  # fmt: skip
        own.replay(suppressions=sup)
        with mm.Session(own.url, own.master_apikey) as s:
            frame = mm.read_suppressions(None, None, accounts="all", session=s)
            assert frame.mm.activate(full=True, session=s)["status"].eq("ok").all()
            mm.suppress(frame, session=s)  # by hand since: reason manual on the server
            for dry_run in (True, False):
                with pytest.raises(ValueError, match="2 suppressed by hand"):
                    frame.mm.activate(full=True, dry_run=dry_run, session=s)
            back = frame.mm.activate(full=True, session=s, verdicts=KEEP)
            assert back["status"].eq("ok").all()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 2 * ROWS - 1), st.booleans()), min_size=1, max_size=10,
        unique_by=lambda p: p[0],
    ),
    edit=st.sampled_from(EDITS),
    keep=st.booleans(),
    full=st.booleans(),
)  # fmt: skip
def test_refused_iff_a_row_the_server_lists_as_asked_is_in_it(served, picks, edit, keep, full):
    """Random rows of either account, some re-pointed to the other, the reason column
    edited at random: refused iff the server lists one of them, on the account it goes
    to, as asked and "keep" is not named; never a write."""
    emulator, session, rows = served
    frame = rows.iloc[[i for i, _moved in picks]].copy()
    moved = [m for _i, m in picks]
    frame.loc[moved, "account"] = frame.loc[moved, "account"].map({NEWS: SHOP, SHOP: NEWS})
    frame = frame.drop_duplicates(["account", "email"])
    listed = zip(rows["account"], rows["email"], rows["reason"], strict=True)
    truth = {(a, e): r for a, e, r in listed}
    server = [truth[(a, e)] for a, e in zip(frame["account"], frame["email"], strict=True)]
    asked = sum(r != "bounce" for r in server)
    if edit == "as read":  # the frame's own column refuses first, before any request
        asked = int(frame["reason"].ne("bounce").sum()) or asked
    frame = _edited(frame, edit)
    options = {"verdicts": KEEP} if keep else {}
    emulator.reset_stats()
    if asked and not keep:
        with pytest.raises(ValueError) as refused:
            frame.mm.activate(full=full, dry_run=True, session=session, **options)
        assert f"{asked} row" in str(refused.value), (asked, str(refused.value))
    else:
        plan = frame.mm.activate(full=full, dry_run=True, session=session, **options)
        assert plan["status"].eq("planned").all() and len(plan) == len(frame)
    assert _writes(emulator) == 0


def test_keep_on_a_judged_frame_lets_through_only_the_rows_it_shows_as_asked():
    """The RemediationPanel's tick for rows to keep sends "keep" with the rows its filter
    shows: a row judged ``reactivate`` and suppressed by hand since is none of them
    (fifteenth review, W-15a); a row the frame shows as a complaint is."""
    emails, reasons = ["a@x.com", "b@x.com", "c@x.com"], ["bounce", "bounce", "complaint"]
    sup = pd.DataFrame({"account": NEWS, "email": emails, "suppressed_at": AT, "reason": reasons})
    with Emulator("empty", port=0) as own:
        own.replay(suppressions=sup)
        with mm.Session(own.url, own.master_apikey) as s:
            frame = mm.read_suppressions(None, None, accounts="all", session=s)
            judged = frame.assign(verdict=["reactivate", "reactivate", "keep"],
                                  cause=[None, None, "complaint"])  # fmt: skip
            remember(judged)
            b = frame[frame["email"] == "b@x.com"]
            assert b.mm.activate(full=True, session=s)["status"].eq("ok").all()
            mm.suppress(b, session=s)  # by hand since: reason manual on the server
            with pytest.raises(ValueError, match="1 suppressed by hand"):
                judged.mm.activate(full=True, dry_run=True, session=s, verdicts=KEEP)
            rest = judged[judged["email"] != "b@x.com"]
            plan = rest.mm.activate(full=True, dry_run=True, session=s, verdicts=KEEP)
            assert plan["status"].eq("planned").all() and len(plan) == 2


#: What an analyst may do to the ``suppressed_at`` column: the list is read between the
#: times it shows first, and what it shows must never decide a row's reason.
TIMES = st.sampled_from(["as read", "shifted a year", "one time", "reversed", "half missing"])


def _timed(frame: pd.DataFrame, edit: str) -> pd.DataFrame:
    at = frame["suppressed_at"]
    if edit == "shifted a year":
        return frame.assign(suppressed_at=at - pd.Timedelta(days=365))
    if edit == "one time":
        return frame.assign(suppressed_at=at.iloc[0])
    if edit == "reversed":
        return frame.assign(suppressed_at=at.to_numpy()[::-1])
    if edit == "half missing":
        return frame.assign(suppressed_at=at.where(pd.Series(range(len(at)), at.index) % 2 == 0))
    return frame


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(edit=TIMES, account=st.sampled_from([NEWS, SHOP]))
def test_the_times_a_frame_shows_never_decide_a_rows_reason(served, edit, account):
    """The list's reasons are read between the times the frame shows first: a frame whose
    times were edited is refused for the same rows, on either account."""
    emulator, session, rows = served
    mine = _timed(_edited(rows[rows["account"] == account], "overwritten"), edit)
    emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        mine.mm.activate(full=True, dry_run=True, confirm=True, session=session)
    assert _writes(emulator) == 0
    said = str(refused.value)
    assert "12 rows" in said and "4 who reported spam" in said, said
    assert "4 who unsubscribed" in said and "4 suppressed by hand" in said, said
