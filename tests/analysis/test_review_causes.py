"""A row sent to review by what the evidence holds against its address anywhere (a
complaint, an opt-out, a mailbox called dead) carries that as its ``cause``, whatever its
own bounce said or whether one was found (adv33g defects 2 and 5: such rows kept the
storm's ``badreputation``, and a row already in review for another reason kept its old
words, so neither the panel nor the page could tell them from undecided rows)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import ADDRESS_REASONS

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

HERE, THERE = "shop@mixed.example.com", "other@mixed.example.com"
DAY = pd.Timestamp("2026-09-08T12:00:00Z")
STORM = "421 4.7.0 [TSS04] Messages temporarily deferred due to unexpected volume"
#: Own bounces of the judged row: a storm deferral (reactivate alone), a lone permanent
#: policy refusal (review alone), none (review: no cause found).
OWN = {
    "storm": STORM,
    "policy": "550 5.7.1 Message rejected by policy",
    "none": None,
}
#: What another account holds against the address, and the cause it must give the row.
THEIRS = {
    "complaint": "complaint",
    "unsubscribe": "unsubscribe",
    "manual": "manual",
    "dead": "userunknown",
}


def _frames(own: str, theirs: str, n: int = 60):
    emails = [f"u{i}@gmail.example" for i in range(n)]
    sup = pd.DataFrame({"account": HERE, "email": emails, "reason": "bounce",
                        "suppressed_at": DAY, "domain": "gmail.example"})  # fmt: skip
    storm = (
        sup[["account", "email", "domain"]]
        .iloc[1:]
        .assign(bounced_at=DAY - pd.Timedelta(minutes=1), message=STORM)
    )
    mine = (
        sup[["account", "email", "domain"]]
        .iloc[:1]
        .assign(bounced_at=DAY - pd.Timedelta(minutes=1), message=OWN[own])
    )
    bounces = pd.concat([storm] + ([mine] if OWN[own] else []), ignore_index=True)
    before = DAY - pd.Timedelta(days=40)
    complaints = pd.DataFrame({"account": [THERE], "email": [emails[0]], "complained_at": [before]})
    lists = pd.DataFrame({"account": [THERE], "email": [emails[0]], "suppressed_at": [before],
                          "reason": [theirs]})  # fmt: skip
    dead = pd.DataFrame({"account": [THERE], "email": [emails[0]], "domain": "gmail.example",
                         "bounced_at": [before], "message": "550 5.1.1 User unknown"})  # fmt: skip
    given_ = {"bounces": bounces}
    if theirs == "complaint":
        given_["complaints"] = complaints
    elif theirs == "dead":
        given_["bounces"] = pd.concat([bounces, dead], ignore_index=True)
    else:
        given_["opt_outs"] = lists
    return sup, given_


@settings(max_examples=30, deadline=None)
@given(
    own=st.sampled_from(sorted(OWN)),
    theirs=st.sampled_from(sorted(THEIRS)),
    upper=st.booleans(),
)
def test_what_condemns_an_address_elsewhere_is_its_cause_whatever_its_own_bounce(
    own, theirs, upper
):
    sup, given_ = _frames(own, theirs)
    if upper:  # the same person, however the other account spells the address
        for frame in given_.values():
            frame.loc[frame["account"] == THERE, "email"] = "U0@GMAIL.EXAMPLE"
    out = remediation_candidates(sup, **given_)
    row = out.iloc[0]
    assert row["verdict"] == "review", row["evidence"]
    assert row["cause"] == THEIRS[theirs], (row["cause"], row["evidence"])
    assert THERE in row["evidence"], row["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()  # the storm alone is put back


def test_a_bounce_that_names_a_dead_mailbox_beside_another_reason_is_named_so():
    # "421 4.7.0 Too many invalid recipients (user unknown)": a throttle, read as such,
    # whose words name an unknown mailbox: review, and its cause says the mailbox words.
    sup, given_ = _frames("storm", "complaint")
    later = (
        given_["bounces"]
        .iloc[[0]]
        .assign(
            email="u5@gmail.example",
            bounced_at=DAY + pd.Timedelta(days=2),
            message="421 4.7.0 Too many invalid recipients (user unknown), try again later",
        )
    )
    out = remediation_candidates(sup, bounces=pd.concat([given_["bounces"], later]))
    row = out[out["email"] == "u5@gmail.example"].iloc[0]
    assert row["verdict"] == "review" and row["cause"] in ADDRESS_REASONS, row["evidence"]
