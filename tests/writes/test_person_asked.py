"""Rows a person asked to be suppressed for go back only deliberately (adv12, W1):
``o[o.reason.isin(["unsubscribe", "manual"])].mm.activate(full=True, dry_run=True)`` on a
plain, never judged suppressions frame planned all 10 without a word, while the
remediation panel holds such rows ("in any frame, suppressed for a complaint, an
unsubscribe or by hand") behind their own tick. ``activate`` now refuses them before any
request, naming them, unless ``verdicts=`` names ``"keep"``, the same deliberate way a
judged frame's condemned rows go back."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
pytestmark = [pytest.mark.invariants, UNJUDGED]

NEWS, SHOP = "news@example.com", "shop@example.com"
ROWS = 12
REASONS = ("bounce", "complaint", "unsubscribe", "manual")
#: How the API or a user may write a reason: the check is on the word, trimmed, any case.
WRITTEN = ("{}", "{} ", "{}".upper(), " {}")


@pytest.fixture(scope="module")
def served():
    """An emulator holding ``ROWS`` suppressions on two accounts, every reason, and them
    as read."""
    at = pd.Timestamp("2026-06-09 10:00", tz="UTC")
    sup = pd.DataFrame({
        "account": [NEWS, SHOP] * (ROWS // 2), "email": [f"p{i}@yahoo.com" for i in range(ROWS)],
        "suppressed_at": [at + pd.Timedelta(minutes=i) for i in range(ROWS)],
        "reason": [REASONS[i % len(REASONS)] for i in range(ROWS)],
    })  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts="all", session=session)
            yield emulator, session, rows


def _requests(emulator: Emulator) -> int:
    return sum(m["requests"] for m in emulator.stats()["methods"].values())


def test_the_reviews_unsubscribes_and_manual_adds_are_refused_before_any_request(served):
    emulator, session, rows = served
    asked = rows[rows["reason"].isin(["unsubscribe", "manual"])]
    assert len(asked) == 6
    emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        asked.mm.activate(full=True, dry_run=True, session=session)
    said = str(refused.value)
    assert _requests(emulator) == 0
    assert "3 who unsubscribed" in said and "3 suppressed by hand" in said, said
    assert "nothing was sent" in said and '"keep"' in said, said
    # The function alike; naming "keep" is the one deliberate way through.
    with pytest.raises(ValueError, match="who unsubscribed"):
        mm.activate(asked, dry_run=True, session=session)
    through = asked.mm.activate(
        full=True, dry_run=True, session=session, verdicts=("reactivate", "keep")
    )
    assert through["status"].eq("planned").all() and len(through) == 6


def test_bounce_suppressions_still_go_back_and_review_lets_no_complainer_through(served):
    _emulator, session, rows = served
    bounced = rows[rows["reason"] == "bounce"]
    assert bounced.mm.activate(dry_run=True, session=session)["status"].eq("planned").all()
    with pytest.raises(ValueError, match="who reported spam"):
        rows.mm.activate(dry_run=True, session=session, verdicts=("reactivate", "review"))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(st.sampled_from(REASONS), st.sampled_from(WRITTEN)), min_size=1, max_size=ROWS
    ),
    keep=st.booleans(),
)
def test_no_person_asked_row_is_planned_without_keep(served, picks, keep):
    emulator, session, rows = served
    frame = rows.iloc[: len(picks)].copy()
    on_server = int(frame["reason"].ne("bounce").sum())  # what the list itself says
    frame["reason"] = [how.format(reason) for reason, how in picks]
    asked = sum(reason != "bounce" for reason, _how in picks)
    options = {"verdicts": ("reactivate", "keep")} if keep else {}
    emulator.reset_stats()
    if asked and not keep:
        with pytest.raises(ValueError) as refused:
            frame.mm.activate(full=True, dry_run=True, session=session, **options)
        assert _requests(emulator) == 0
        assert f"{asked} " in str(refused.value)
        return
    if on_server and not keep:  # the column overwritten: the server's reasons refuse (adv13)
        with pytest.raises(ValueError, match=f"{on_server} rows? (is|are) on the server's"):
            frame.mm.activate(full=True, dry_run=True, session=session, **options)
        return
    plan = frame.mm.activate(full=True, dry_run=True, session=session, **options)
    assert len(plan) == len(frame)
