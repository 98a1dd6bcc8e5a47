"""Every count of a bounce-rate finding is of its own groups' bounces, in their periods
(issue 33, ninth review, F5 and F12): a finding titled by X-Campaign Größe-Sale, all 122 of
whose bounces were hard, said "of the 510 bounces read, most (384) were temporary" (the
account's every bounce of those months, a storm of another campaign among them), and one
of domain gmail.com gave "58 hard and 8 soft" beside "of the 50 bounces read" (another
group's period). Over generated histories of several groups and one storm: the advice
counts exactly the bounces of the groups the finding lists, each in its own periods, and
the sentence on what most of them were counts exactly the titled group's, as its hard and
soft figures do."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.reporting.evidence import _in_every_group, _in_first_group, _listed_of
from mmframe.reporting.rate_findings import bounce_rate_finding, complaint_finding, groups_over
from mmframe.reporting.retention import NONE_LISTED, Tally, others, unlisted_said

ACCOUNT, OTHER = "retail@acme.io", "alerts@acme.io"
MONTHS = [pd.Timestamp("2026-10-01", tz="UTC"), pd.Timestamp("2026-11-01", tz="UTC")]
END = pd.Timestamp("2026-12-01", tz="UTC")
DEAD = "550-5.1.1 The email account that you tried to reach does not exist."
STORM = (
    "421-4.7.28 [203.0.113.5 15] Our system has detected an unusual rate of unsolicited mail "
    "originating from your IP address."
)
FULL = "452 4.2.2 Mailbox over quota"
#: Each grouping's values, as the rates name them and the bounces hold them.
GROUPS = {
    "domain": ("gmail.com", "yahoo.com"),
    "sender": ("shop@acme.io", "news@acme.io"),
    "X-Campaign": ("Größe-Sale", "bf-2026", "セール"),
}
COLUMN = {"domain": "domain", "sender": "sender", "X-Campaign": "x_campaign"}


@st.composite
def histories(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bounces of two accounts over two months (one storm of one campaign at one domain,
    typed soft) and the periods over the line of some of ``ACCOUNT``'s groups, their counts
    the bounces' own."""
    n = draw(st.integers(20, 120))
    rows = []
    for i in range(n):
        soft = draw(st.booleans())
        rows.append(
            {
                "account": draw(st.sampled_from([ACCOUNT, ACCOUNT, OTHER])),
                "email": f"u{i}@" + (domain := draw(st.sampled_from(GROUPS["domain"]))),
                "domain": domain,
                "sender": draw(st.sampled_from(GROUPS["sender"])),
                "x_campaign": draw(st.sampled_from(GROUPS["X-Campaign"])),
                "bounced_at": MONTHS[0] + pd.Timedelta(hours=draw(st.integers(0, 60 * 24 - 1))),
                "bounce_type": "soft" if soft else "hard",
                "message": draw(st.sampled_from([FULL])) if soft else DEAD,
            }
        )
    storm = draw(st.integers(0, 40))
    day = MONTHS[1] + pd.Timedelta(days=16, hours=9)
    rows += [
        {"account": ACCOUNT, "email": f"s{i}@gmail.com", "domain": "gmail.com",
         "sender": "shop@acme.io", "x_campaign": "bf-2026",
         "bounced_at": day + pd.Timedelta(minutes=i), "bounce_type": "soft", "message": STORM}
        for i in range(storm)
    ]  # fmt: skip
    bounces = mm.triage(pd.DataFrame(rows))
    keys = [(by, g) for by, values in GROUPS.items() for g in values] + [("account", ACCOUNT)]
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True))
    periods = []
    for by, group in chosen:
        for start in draw(st.lists(st.sampled_from(MONTHS), min_size=1, max_size=2, unique=True)):
            end = MONTHS[1] if start == MONTHS[0] else END
            mine = _truth(bounces, by, group, [(start, end)])
            hard = int((mine["bounce_type"] == "hard").sum())
            periods.append(
                {"account": ACCOUNT, "by": by, "group": group, "start": start, "end": end,
                 "sent": 1000, "delivered": 1000 - len(mine), "complaints": 0,
                 "hard_bounces": hard, "soft_bounces": len(mine) - hard, "is_complete": True,
                 "span": "period", "bounce_rate": 0.02 + len(mine) / 1000,
                 "complaint_rate": 0.0}
            )  # fmt: skip
    return bounces, pd.DataFrame(periods)


def _truth(bounces: pd.DataFrame, by: str, group: str, spans: list) -> pd.DataFrame:
    """``ACCOUNT``'s bounces of one group in its periods, computed the plain way."""
    mine = bounces[bounces["account"] == ACCOUNT]
    if by != "account":
        mine = mine[mine[COLUMN[by]] == group]
    inside = pd.Series(False, index=mine.index)
    for start, end in spans:
        inside |= (mine["bounced_at"] >= start) & (mine["bounced_at"] < end)
    return mine[inside]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_each_count_is_of_the_findings_own_groups_in_their_periods(history):
    bounces, periods = history
    groups = groups_over(periods, "bounce_rate")
    truth = pd.concat(
        [
            _truth(bounces, by, g, list(zip(r["start"], r["end"], strict=True)))
            for by, g, r in groups
        ]
    )
    covered = _in_every_group(bounces, "bounced_at", ACCOUNT, periods, "bounce_rate")
    assert sorted(covered.index) == sorted(set(truth.index))
    by, group, first = groups[0]
    own = _in_first_group(bounces, "bounced_at", ACCOUNT, periods, "bounce_rate")
    expected = _truth(bounces, by, group, list(zip(first["start"], first["end"], strict=True)))
    assert sorted(own.index) == sorted(expected.index)
    found = bounce_rate_finding(ACCOUNT, periods, covered, first_listed=own)
    said = " ".join(found.said)
    hard, soft = int(first["hard_bounces"].sum()), int(first["soft_bounces"].sum())
    assert re.search(rf"{hard:,} hard and {soft:,} soft bounces (?:at|in) ", said), said
    most = re.search(r"of the ([\d,]+) bounces? read, most \(([\d,]+)\)", said)
    if most:  # what most were: of the titled group's bounces, as its hard and soft are
        assert int(most.group(1).replace(",", "")) == hard + soft, said
    if len(covered):
        assert f"of the {len(covered):,} bounce" in found.advice, found.advice
        for n in re.findall(r"(\d[\d,]*) of the \d[\d,]* ", found.advice):
            assert int(n.replace(",", "")) <= len(covered)


def test_a_complaint_finding_says_once_that_none_of_its_complaints_is_listed():
    periods = pd.DataFrame(
        {"account": OTHER, "by": "domain", "group": "gmail.com", "start": [MONTHS[0]],
         "end": [MONTHS[1]], "sent": [1800], "delivered": [1789], "complaints": [8],
         "hard_bounces": [11], "soft_bounces": [0], "is_complete": [True], "span": "period",
         "complaint_rate": [8 / 1789], "bounce_rate": [11 / 1800]}
    )  # fmt: skip
    none = pd.DataFrame(
        {"account": pd.Series(dtype=str), "complained_at": pd.Series(dtype="datetime64[ns, UTC]")}
    )
    found = complaint_finding(OTHER, periods, none, scope=None, listed_from=NONE_LISTED)
    found = _listed_of(found, periods, none, "complaint_rate", unlisted_from=NONE_LISTED)
    said = [s for s in found.said if "lists none" in s or "no longer lists" in s]
    assert len(said) == 1, found.said


def test_what_a_spike_says_the_server_lists_is_said_of_every_time():
    unlisted = {OTHER: {"bounces": Tally(50, 162, MONTHS[1])}}
    said = unlisted_said(unlisted, ACCOUNT, others(unlisted, ACCOUNT, [ACCOUNT, OTHER]))
    # 162 counts a bounce of 2025: not "of this range" (158), as the note above it says.
    assert (
        "of every time, not only of this range, it lists at alerts@acme.io, 50 of its 162" in said
    ), said
