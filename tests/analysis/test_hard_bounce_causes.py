"""An earlier bounce the API called hard keeps its address out of any reactivation unless
its own words name a cause of the sender's or the message's that passes (issue 33, fourth
review, A1: "554 Transaction failed", "421 Service not available", "550 5.7.0 Rejected",
called hard in April, were put back by a deferral storm in August)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: Reply codes and enhanced statuses as servers put them before generic words.
CODES = ("", "421", "450", "451", "550", "554", "421 4.3.0", "451 4.0.0", "550 5.0.0",
         "554 5.0.0", "550 5.7.0", "550 5.7.1", "554 5.7.1", "5.0.0")  # fmt: skip
#: Words that name no cause: RFC 5321's generic replies and the like, as servers word them.
GENERIC = (
    "", "Transaction failed", "Service not available", "Service unavailable", "Rejected",
    "Requested action not taken", "Delivery failed", "Unknown error", "Message rejected",
    "Error", "Temporary failure", "Requested action aborted: local error in processing",
    "Internal server error", "Server busy", "Message not accepted", "Permanent failure",
    "Undeliverable", "Service not available, closing transmission channel",
    "Mail delivery failed", "Try again later", "Temporary local problem - please try later",
    "Connection timed out", "Transaction failed; please try again",
)  # fmt: skip
#: Deferrals that pass, as a storm or a lone later bounce says them.
LATER = (
    "451 4.7.500 Server busy. Please try again later.",
    "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating "
    "from your IP address. To protect our users from spam, mail sent from your IP address "
    "has been temporarily rate limited.",
    "452 4.2.2 Mailbox full",
    "421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints",
)


def _frames(emails: list[str], earlier: list[str], later: str) -> tuple[pd.DataFrame, ...]:
    sup = pd.DataFrame({"email": emails, "reason": "bounce"})
    sup["suppressed_at"] = pd.Timestamp("2026-08-12T12:00:00Z")
    sup["domain"] = sup["email"].str.split("@").str[1]
    rows = [(e, "2026-04-10T09:00:00", t, "hard") for e, t in zip(emails, earlier, strict=True)]
    rows += [(e, "2026-08-12T11:59:00", later, "soft") for e in emails]
    bounces = pd.DataFrame(rows, columns=["email", "bounced_at", "message", "bounce_type"])
    bounces["bounced_at"] = pd.to_datetime(bounces["bounced_at"], utc=True)
    bounces["domain"] = bounces["email"].str.split("@").str[1]
    return sup, bounces


@settings(max_examples=60, deadline=None)  # each example triages up to 60 texts
@given(
    codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=6),
    words=st.lists(st.sampled_from(GENERIC), min_size=1, max_size=6),
    later=st.sampled_from(LATER),
    storm=st.booleans(),
)
def test_an_earlier_hard_bounce_in_words_that_name_no_passing_cause_is_never_put_back(
    codes, words, later, storm
):
    """Whatever generic words and codes the API's hard bounce has, and whatever storm or
    lone deferral comes after it, the address is not in the reactivate set."""
    size = 60 if storm else 1
    emails = [f"u{i}@gmail.example" for i in range(size)]
    earlier = [f"{codes[i % len(codes)]} {words[i % len(words)]}".strip() for i in range(size)]
    sup, bounces = _frames(emails, earlier, later)
    out = remediation_candidates(sup, bounces=bounces)
    put_back = out[out["verdict"] == "reactivate"]
    assert put_back.empty, list(zip(put_back["email"], earlier, strict=False))[:3]
    assert out["evidence"].str.contains("2026-04-10").all()


#: Hard bounces whose words name a cause of the sender's or the message's that passes.
NAMED = (
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and "
    "Gmail users, and has been blocked. The sender must authenticate with at least one of "
    "SPF or DKIM.",
    "550 5.7.1 Message rejected as spam by Content Filtering",
    "550 5.7.1 Your daily sending quota is exceeded",
)


@pytest.mark.parametrize("said", NAMED)
def test_an_earlier_hard_bounce_that_names_a_passing_cause_leaves_the_deferral_to_decide(said):
    """The rule is not "hard means never": the API's word is outweighed when the text
    itself names the sender's block, authentication, content or rate."""
    emails = [f"u{i}@gmail.example" for i in range(60)]
    sup, bounces = _frames(emails, [said] * 60, LATER[1])
    out = remediation_candidates(sup, bounces=bounces)
    assert (out["verdict"] == "reactivate").all(), out[["verdict", "evidence"]].head(2)


# --- on another account (issue 33, eighth review, defect 1) ---------------------------
#: The storm's account, and the other accounts of the same sender.
MINE, THEIRS = "shop@acme.example", ("news@acme.example", "club@other.example")
STORM = pd.Timestamp("2026-11-20T08:00:00Z")
TSS04 = (
    "421 4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected "
    "volume or user complaints"
)


def _storm(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` TSS04 deferrals on MINE at yahoo.example, each put back alone."""
    emails = [f"s{i}@yahoo.example" for i in range(n)]
    at = [STORM + pd.Timedelta(minutes=i) for i in range(n)]
    sup = pd.DataFrame({"account": MINE, "email": emails, "reason": "bounce", "suppressed_at": at})
    sup["domain"] = "yahoo.example"
    bounces = sup[["account", "email", "domain"]].assign(
        bounced_at=sup["suppressed_at"], message=TSS04, bounce_type="soft"
    )
    return sup, bounces


#: One earlier bounce of a storm address: (which, account, days before the storm, code,
#: words: a generic text, None for no text at all, or an index into NAMED).
_earlier = st.tuples(
    st.integers(0, 59),
    st.sampled_from((MINE, *THEIRS)),
    st.integers(1, 400),
    st.sampled_from(CODES),
    st.one_of(st.sampled_from(GENERIC), st.none(), st.integers(0, len(NAMED) - 1)),
    st.sampled_from(["{e}", "{E}", " {e} "]),
)


def _said(code: str, words: str | int | None) -> str | None:
    if words is None:
        return code or None  # a bare code, or no text at all
    if isinstance(words, int):
        return NAMED[words]
    return f"{code} {words}".strip()


@settings(max_examples=40, deadline=None)  # each example triages a storm
@given(earlier=st.lists(_earlier, max_size=30))
def test_a_hard_bounce_naming_no_passing_cause_holds_the_address_back_on_any_account(earlier):
    # The review's case: on beta, hard bounces with an empty text, no text (NULL), a bare
    # "550" or "554 Transaction failed" were among the 383 put back by alpha's storm fix;
    # the same bounce on alpha itself sent them to review.
    sup, storm = _storm(60)
    rows = [
        (acct, spelt.format(e=f"s{i}@yahoo.example", E=f"S{i}@YAHOO.example"),
         STORM - pd.Timedelta(days=days), _said(code, words))
        for i, acct, days, code, words, spelt in earlier
    ]  # fmt: skip
    extra = pd.DataFrame(rows, columns=["account", "email", "bounced_at", "message"])
    extra = extra.astype({"bounced_at": "datetime64[ns, UTC]", "message": "string"})
    every = pd.concat(
        [storm, extra.assign(domain="yahoo.example", bounce_type="hard")], ignore_index=True
    )
    out = remediation_candidates(sup, bounces=every)
    unexplained = {
        i for i, _a, _d, code, words, _s in earlier if not isinstance(words, int)
    }  # a generic text, a bare code, an empty text or none: no passing cause named
    held = out["email"].isin([f"s{i}@yahoo.example" for i in unexplained]).to_numpy()
    assert (out.loc[held, "verdict"] == "review").all(), out.loc[held, ["verdict", "evidence"]]
    # The evidence names the day, and the account when it is another's.
    for i in unexplained:
        row = out[out["email"] == f"s{i}@yahoo.example"].iloc[0]
        said = [(a, d) for j, a, d, _c, w, _s in earlier if j == i and not isinstance(w, int)]
        assert any(
            f"{STORM - pd.Timedelta(days=d):%Y-%m-%d}" in row["evidence"]
            and (a == MINE or a in row["evidence"])
            for a, d in said
        ), row["evidence"]
    # A hard bounce whose words name a passing cause of the sender's decides nothing.
    assert (out.loc[~held, "verdict"] == "reactivate").all()


@pytest.mark.parametrize(
    "said",
    [
        pytest.param("554 Transaction failed", id="554-transaction-failed"),
        pytest.param("", id="empty"),
        pytest.param(None, id="null"),
        pytest.param("550", id="bare-550"),
    ],
)
def test_the_reviewers_sister_account_bounces_go_to_review(said):
    sup, storm = _storm(60)
    theirs = pd.DataFrame(
        {"account": [THEIRS[0]], "email": ["s3@yahoo.example"], "domain": "yahoo.example",
         "bounced_at": [pd.Timestamp("2026-10-01", tz="UTC")], "bounce_type": "hard",
         "message": pd.array([said], dtype="string")}
    )  # fmt: skip
    out = remediation_candidates(sup, bounces=pd.concat([storm, theirs], ignore_index=True))
    row = out.set_index("email").loc["s3@yahoo.example"]
    assert row["verdict"] == "review", row["evidence"]
    assert THEIRS[0] in row["evidence"] and "2026-10-01" in row["evidence"], row["evidence"]
    assert (out.drop(index=3)["verdict"] == "reactivate").all()
