"""A mailbox another account's receiving servers called dead is not put back on this one
(issue 33, sixth review, 1: four addresses that bounced "550 5.1.1 User unknown" on club@
were put back by a storm fix on store@, the same sending domain). A dead mailbox is the
mailbox's fact, not the sender's; another account's refusals for its sender's sake (a rate,
a block list, its reputation, its authentication) still decide nothing here."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.hard_bounces import unexplained_hard
from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import ADDRESS_REASONS, triage

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

ACCOUNTS = ("shop@acme.example.net", "news@acme.example.net", "billing@other.example.org")
STORM = pd.Timestamp("2026-10-07T13:30:00Z")
DEFERRAL = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected "
    "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
)
#: What another account's servers may have said of an address: its mailbox is dead (in
#: several vendors' words, a 4xx one too), or its sender was refused (a rate, a block list,
#: its reputation, its authentication, spam), or nothing readable.
THEIR_BOUNCES = (
    "550 5.1.1 <{e}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550-5.1.1 The email account that you tried to reach does not exist.",
    "554 5.2.1 The email account that you tried to reach is disabled.",
    "450 4.1.1 <{e}>: Recipient address rejected: unknown user",
    "550 5.1.1 No such user here",
    "550 5.1.2 Host unknown: yahoo.example does not exist",
    DEFERRAL,
    "421 4.7.28 Our system has detected an unusual rate of unsolicited mail",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "550 5.7.1 Message rejected due to poor sender reputation",
    "550 5.7.26 This message does not have authentication information or fails to pass "
    "authentication checks",
    "550 5.7.1 Our system has detected that this message is likely unsolicited mail.",
    "421 4.7.0 Too many invalid recipients, try again later",
    "",
)
#: The address's own extra history: a bounce that passes, one that refuses it for good.
OWN_BOUNCES = (
    "452 4.2.2 The email account that you tried to reach is over quota.",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
)
N = 60

#: One bounce on another account: (which address, account, which text, days from the
#: storm, how the address is spelt, the API's bounce type).
theirs = st.tuples(
    st.integers(0, N - 1),
    st.sampled_from(ACCOUNTS[1:]),
    st.sampled_from(range(len(THEIR_BOUNCES))),
    st.integers(-400, 40),
    st.sampled_from(["{e}", "{E}", " {e} "]),
    st.sampled_from(["hard", "soft"]),
)
own = st.tuples(st.integers(-300, 40), st.sampled_from(range(len(OWN_BOUNCES))))


def _email(i: int) -> str:
    return f"k{i:05d}@yahoo.example"


def _frames(extra: dict[int, list[tuple[int, int]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A storm of ``N`` deferrals at yahoo.example on shop@ (each put back alone), each
    address with its ``extra`` bounces on shop@ besides."""
    emails = [_email(i) for i in range(N)]
    sup = pd.DataFrame({"account": ACCOUNTS[0], "email": emails, "reason": "bounce"})
    sup["suppressed_at"] = STORM + pd.Timedelta(minutes=1)
    sup["domain"] = "yahoo.example"
    rows = [(e, STORM, DEFERRAL, "soft") for e in emails]
    for i, more in extra.items():
        for days, text in more:
            rows.append((emails[i], STORM + pd.Timedelta(days=days, hours=1), OWN_BOUNCES[text],
                         "hard" if text else "soft"))  # fmt: skip
    bounces = pd.DataFrame(rows, columns=["email", "bounced_at", "message", "bounce_type"])
    bounces = bounces.assign(account=ACCOUNTS[0], domain="yahoo.example")
    bounces["bounced_at"] = bounces["bounced_at"].astype("datetime64[ns, UTC]")
    return sup, bounces


def _theirs(rows: list[tuple[int, str, int, int, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "account": [a for _i, a, _t, _d, _s, _b in rows],
            "email": [s.format(e=_email(i), E=_email(i).upper()) for i, _a, _t, _d, s, _b in rows],
            "bounced_at": pd.Series(
                [STORM + pd.Timedelta(days=d) for _i, _a, _t, d, _s, _b in rows],
                dtype="datetime64[ns, UTC]",
            ),
            "message": [THEIR_BOUNCES[t].format(e=_email(i)) for i, _a, t, _d, _s, _b in rows],
            "bounce_type": [b for *_r, b in rows],
        }
    )
    return frame.assign(domain="yahoo.example")


@settings(max_examples=15, deadline=None)  # each example triages a storm
@given(
    extra=st.dictionaries(st.integers(0, N - 1), st.lists(own, max_size=2), max_size=10),
    rows=st.lists(theirs, max_size=40),
)
def test_a_mailbox_another_account_calls_dead_is_kept_out_of_every_fix(extra, rows):
    sup, bounces = _frames(extra)
    elsewhere = _theirs(rows)
    alone = remediation_candidates(sup, bounces=bounces)
    every = pd.concat([bounces, elsewhere], ignore_index=True) if rows else bounces
    out = remediation_candidates(sup, bounces=every)
    # Which addresses another account's servers called dead: the triage's reading of
    # their words (the rule's own), not this test's list of texts.
    read = triage(elsewhere) if rows else None
    dead_rows = elsewhere if read is None else read[read["reason"].isin(list(ADDRESS_REASONS))]
    dead = {str(e).strip().lower() for e in dead_rows["email"]}
    # A bounce the API called hard in words naming no passing cause of its sender's (the
    # rule's own reading: eighth review, defect 1) holds an address back too.
    hard = elsewhere[unexplained_hard(read)] if read is not None else elsewhere
    held = {str(e).strip().lower() for e in hard["email"]} - dead
    hit = out["email"].isin(list(dead)).to_numpy()
    # Whatever else the address's history holds, a dead mailbox elsewhere is never put back.
    assert not (out.loc[hit, "verdict"] == "reactivate").any()
    # Nor is an address hard-bounced elsewhere in words naming no passing cause: review,
    # the evidence naming the account, or kept by this account's own evidence.
    put_back = out["email"].isin(list(held)) & (out["verdict"] == "reactivate")
    assert not put_back.any(), out.loc[put_back, "evidence"].head(3).tolist()
    moved_hard = out["email"].isin(list(held)) & (alone["verdict"] == "reactivate")
    for said in out.loc[moved_hard, "evidence"]:
        assert "(another account) hard on" in said or "hard, in words" in said, said
    hit = hit | out["email"].isin(list(held)).to_numpy()
    # Another account's other refusals (its sender's business) decide nothing here: every
    # other address is judged as on this account's bounces alone.
    assert out.loc[~hit, "verdict"].tolist() == alone.loc[~hit, "verdict"].tolist()
    assert out.loc[~hit, "evidence"].tolist() == alone.loc[~hit, "evidence"].tolist()
    # A dead mailbox elsewhere moves only reactivate, to review, its evidence naming the
    # account, the day and the servers' words.
    moved = hit & (alone["verdict"] == "reactivate").to_numpy()
    assert (out.loc[moved, "verdict"] == "review").all()
    assert (out.loc[hit & ~moved, "verdict"] == alone.loc[hit & ~moved, "verdict"]).all()
    moved &= out["email"].isin(list(dead)).to_numpy()
    for _i, row in out[moved].iterrows():
        said = dead_rows[dead_rows["email"].str.strip().str.lower() == row["email"]]
        assert any(
            account in row["evidence"]
            and f"{at:%Y-%m-%d}" in row["evidence"]
            and text[:40] in row["evidence"]
            for account, at, text in zip(
                said["account"], said["bounced_at"], said["message"], strict=True
            )
        ), row["evidence"]


def test_this_accounts_own_dead_bounce_keeps_and_another_accounts_goes_to_review():
    # On this account the dead bounce is the rule's own evidence on the mail a fix would
    # resend: keep. On another account it is the same mailbox, judged by a person: review.
    sup, bounces = _frames({})
    dead = THEIR_BOUNCES[0]
    mine = _theirs([(1, ACCOUNTS[1], 0, -30, "{e}", "hard")]).assign(account=ACCOUNTS[0])
    other = _theirs([(2, ACCOUNTS[2], 0, -30, "{E}", "hard")])
    out = remediation_candidates(sup, bounces=pd.concat([bounces, mine, other]))
    by = out.set_index("email")
    assert by.loc[_email(1), "verdict"] == "keep", by.loc[_email(1), "evidence"]
    assert by.loc[_email(2), "verdict"] == "review"
    said = by.loc[_email(2), "evidence"]
    assert ACCOUNTS[2] in said and f"{STORM - pd.Timedelta(days=30):%Y-%m-%d}" in said
    assert dead.format(e=_email(2))[:40] in said
    assert (by.drop(index=[_email(1), _email(2)])["verdict"] == "reactivate").all()


@settings(max_examples=15, deadline=None)
@given(
    extra=st.dictionaries(st.integers(0, N - 1), st.lists(own, max_size=2), max_size=10),
    rows=st.lists(theirs, max_size=40),
    strangers=st.lists(theirs, min_size=1, max_size=40),
)
def test_evidence_about_addresses_not_judged_changes_no_verdict(extra, rows, strangers):
    # What makes it safe to judge a day on the evidence of its own addresses only (the
    # report passes every bounce and suppression of every account: reading the others'
    # rows cost the demo seconds): another address's bounces, complaints and opt-outs
    # decide nothing about this one.
    sup, bounces = _frames(extra)
    every = pd.concat([bounces, _theirs(rows)], ignore_index=True) if rows else bounces
    other = _theirs(strangers).assign(
        email=lambda f: f["email"].str.replace("(?i)k0", "zz0", regex=True)
    )
    lists = other.rename(columns={"bounced_at": "suppressed_at"}).assign(reason="unsubscribe")
    complaints = other.rename(columns={"bounced_at": "complained_at"})
    alone = remediation_candidates(sup, bounces=every)
    out = remediation_candidates(
        sup, bounces=pd.concat([every, other], ignore_index=True),
        complaints=complaints, opt_outs=lists,
    )  # fmt: skip
    for column in ("verdict", "cause", "evidence", "storm"):
        assert out[column].tolist() == alone[column].tolist(), column
