"""Remediation candidates: on the demo they pick exactly the storm, and the verdict rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.analysis.remediation import remediation_candidates

NEWS = "news@example.com"
# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]


@pytest.fixture(scope="module")
def june(demo_emulator):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        sup = mm.read_suppressions("2026-06-01", "2026-07-01", accounts=[NEWS], session=session)
        bounces = mm.read_bounces("2026-05-24", "2026-07-01", accounts=[NEWS], session=session)
        complaints = mm.read_complaints(
            "2026-05-24", "2026-07-01", accounts=[NEWS], session=session
        )
    return sup, bounces, complaints


@pytest.mark.clock
def test_the_demo_candidates_are_exactly_the_storm(june):
    sup, bounces, complaints = june
    found = remediation_candidates(sup, bounces=bounces, complaints=complaints)
    reactivate = found[found["verdict"] == "reactivate"]
    # The storm, as the data tells it: suppressed the moment a soft bounce came back.
    soft = bounces[bounces["bounce_type"] == "soft"]
    caused = sup.merge(soft, left_on=["email", "suppressed_at"], right_on=["email", "bounced_at"])
    assert len(caused) == 335
    assert set(reactivate["email"]) == set(caused["email"])
    assert set(reactivate["domain"]) == {"yahoo.com"} and reactivate["storm"].all()
    assert (reactivate["suppressed_at"].dt.strftime("%Y-%m-%d") == "2026-06-09").all()
    assert reactivate["evidence"].str.contains("temporarily deferred").all()
    assert set(reactivate["smtp_status"]) == {"4.7.0"}
    hard = bounces.loc[bounces["bounce_type"] == "hard", "email"]
    assert not set(reactivate["email"]) & set(hard)
    kept = found[found["verdict"] == "keep"]
    assert set(kept["cause"]) == {
        "userunknown",
        "suspend",
        "hostunknown",
        "complaint",
        "unsubscribe",
        "manual",
    }
    assert (
        kept.loc[kept["cause"] == "complaint", "evidence"]
        .str.contains("campaign newsletter-")
        .all()
    )
    assert not (found["verdict"] == "review").any()


@pytest.mark.clock
def test_the_frame_goes_straight_to_activate(june, demo_emulator):
    sup, bounces, complaints = june
    found = remediation_candidates(sup, bounces=bounces, complaints=complaints)
    assert found.attrs["mmframe"]["kind"] == "suppressions"
    assert found.index.equals(sup.index) and list(found.columns[: len(sup.columns)]) == list(
        sup.columns
    )
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        plan = found[found["verdict"] == "reactivate"].mm.activate(dry_run=True, session=session)
    assert plan["status"].value_counts().to_dict() == {"planned": 335}
    assert "verdict" in plan.columns and "evidence" in plan.columns


def _sup(rows):
    frame = pd.DataFrame(rows, columns=["email", "suppressed_at", "reason"])
    frame["suppressed_at"] = pd.to_datetime(frame["suppressed_at"], utc=True)
    frame["domain"] = frame["email"].str.split("@").str[1]
    return frame


def _bounces(rows):
    frame = pd.DataFrame(rows, columns=["email", "bounced_at", "message"])
    frame["bounced_at"] = pd.to_datetime(frame["bounced_at"], utc=True)
    frame["domain"] = frame["email"].str.split("@").str[1]
    return frame


def test_verdict_rules():
    sup = _sup(
        [
            ("a@x.com", "2026-01-02T10:00:00", "bounce"),  # greylisted: transient
            ("b@x.com", "2026-01-02T10:00:00", "bounce"),  # a lone 5xx block: review
            ("c@x.com", "2026-01-02T10:00:00", "bounce"),  # no bounce found
            ("d@x.com", "2026-01-02T10:00:00", "bounce"),  # dead, said after the suppression
            ("e@x.com", "2026-01-02T10:00:00", "bounce"),  # user unknown
            ("f@x.com", "2026-01-20T10:00:00", "bounce"),  # bounce 19 days before: too old
            ("g@x.com", "2026-01-02T10:00:00", "unsubscribe"),
        ]
    )
    bounces = _bounces(
        [
            (
                "a@x.com",
                "2026-01-02T09:59:00",
                "450 4.2.0 <a@x.com>: Recipient address rejected: Greylisted",
            ),
            (
                "b@x.com",
                "2026-01-02T09:00:00",
                "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using"
                " zen.spamhaus.org",
            ),
            ("d@x.com", "2026-01-02T11:00:00", "550 5.1.1 User unknown"),
            ("e@x.com", "2026-01-01T10:00:00", "550 5.1.1 <e@x.com>: User unknown"),
            ("f@x.com", "2026-01-01T10:00:00", "452 4.2.2 Mailbox full"),
        ]
    )
    out = remediation_candidates(sup, bounces=bounces).set_index("email")
    assert out["verdict"].to_dict() == {
        "a@x.com": "reactivate",
        "b@x.com": "review",
        "c@x.com": "review",
        "d@x.com": "keep",
        "e@x.com": "keep",
        "f@x.com": "review",
        "g@x.com": "keep",
    }
    assert (
        out.loc["a@x.com", "cause"] == "blocked" and "Greylisted" in out.loc["a@x.com", "evidence"]
    )
    assert out.loc["c@x.com", "cause"] == "unknown"


def test_a_storm_of_policy_blocks_is_reactivated():
    emails = [f"u{i}@big.example" for i in range(60)]
    sup = _sup([(e, "2026-03-03T12:00:00", "bounce") for e in emails])
    text = (
        "550 5.7.1 Unfortunately, messages from [192.0.2.4] weren't sent: part of their"
        " network is on our block list (S3150)."
    )
    out = remediation_candidates(
        sup, bounces=_bounces([(e, "2026-03-03T11:59:00", text) for e in emails])
    )
    assert (out["verdict"] == "reactivate").all() and out["storm"].all()
    assert out["evidence"].str.startswith("storm of 60 at big.example").all()
    few = remediation_candidates(
        sup.head(5), bounces=_bounces([(e, "2026-03-03T11:59:00", text) for e in emails[:5]])
    )
    assert (few["verdict"] == "review").all() and not few["storm"].any()


def test_bad_input():
    with pytest.raises(KeyError, match="suppressed_at"):
        remediation_candidates(pd.DataFrame({"email": ["a@x.com"]}))
    sup = _sup([("a@x.com", "2026-01-01", "bounce")])
    with pytest.raises(ValueError, match="storm_size"):
        remediation_candidates(sup, storm_size=1)
    with pytest.raises(TypeError, match="bounces must be a frame"):
        remediation_candidates(sup, bounces="bounces.csv")  # type: ignore[arg-type]
    alone = remediation_candidates(sup)
    assert alone["verdict"].tolist() == ["review"]
    assert alone["evidence"].tolist() == ["no bounces given: pass bounces= to judge it"]
    sup["verdict"] = "x"
    with pytest.raises(ValueError, match="verdict"):
        remediation_candidates(sup)


GREYLIST = "450 4.2.0 <a@x.com>: Recipient address rejected: Greylisted"


def _complaints(rows):
    frame = pd.DataFrame(rows, columns=["email", "complained_at"])
    frame["complained_at"] = pd.to_datetime(frame["complained_at"], utc=True)
    return frame


def test_an_address_that_complained_is_kept_whatever_bounced_later():
    # Issue 19.5: the complaints frame was read only for complaint suppressions.
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    bounces = _bounces([("a@x.com", "2026-01-02T09:59:00", GREYLIST)])
    complaints = _complaints([("a@x.com", "2026-01-01T08:00:00")])
    out = remediation_candidates(sup, bounces=bounces, complaints=complaints)
    assert out["verdict"].tolist() == ["keep"]
    assert out["cause"].tolist() == ["complaint"]
    assert "reported spam" in out["evidence"].iloc[0]


def test_another_accounts_bounce_never_decides():
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    bounces = _bounces([("a@x.com", "2026-01-02T09:59:00", GREYLIST)] * 2)
    bounces.insert(0, "account", ["ops@example.com", "news@example.com"])
    with pytest.raises(ValueError, match="account"):
        remediation_candidates(sup, bounces=bounces)  # which account is sup's?
    sup.insert(0, "account", "ops@example.com")
    unknown = "550 5.1.1 <a@x.com>: User unknown"
    bounces["message"] = [unknown, GREYLIST]  # ops@ says dead, news@ says greylisted
    bounces["bounced_at"] = pd.to_datetime(["2026-01-02T09:00:00", "2026-01-02T09:59:00"], utc=True)
    out = remediation_candidates(sup, bounces=bounces)
    assert out["verdict"].tolist() == ["keep"] and out["cause"].tolist() == ["userunknown"]
    one = bounces[bounces["account"] == "ops@example.com"].drop(columns="account")
    with pytest.raises(ValueError, match="bounces has no 'account' column"):
        remediation_candidates(sup, bounces=one)  # whose bounces? (issue 29.12)
    one.attrs["mmframe"] = {"kind": "events:bounces", "accounts": ["ops@example.com"]}
    assert remediation_candidates(sup, bounces=one)["verdict"].tolist() == ["keep"]


@pytest.mark.parametrize("zone", [None, "Europe/Paris"])
def test_times_in_any_zone_are_compared_in_utc(zone):
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    bounces = _bounces([("a@x.com", "2026-01-02T09:59:00", GREYLIST)])
    if zone is None:
        bounces["bounced_at"] = bounces["bounced_at"].dt.tz_localize(None)
    else:
        bounces["bounced_at"] = bounces["bounced_at"].dt.tz_convert(zone)
        sup["suppressed_at"] = sup["suppressed_at"].dt.tz_convert("America/New_York")
    out = remediation_candidates(sup, bounces=bounces)
    assert out["verdict"].tolist() == ["reactivate"]
    assert str(out["event_at"].dt.tz) == "UTC"
    text = _bounces([("a@x.com", "2026-01-02T09:59:00", GREYLIST)])
    text["bounced_at"] = text["bounced_at"].astype(str)
    with pytest.raises(TypeError, match="bounced_at"):
        remediation_candidates(sup, bounces=text)


# --- issue 29: safe on any account's data --------------------------------------------------

TEXT = pd.StringDtype("pyarrow")


def test_complaints_with_an_x_header_that_match_no_suppression_do_not_crash():
    # Issue 29.1: under pandas 3 the evidence's words were "object + str" and raised
    # "operation 'radd' not supported" as soon as one complaint matched no suppression.
    sup = _sup([("a@x.com", "2026-06-09T10:00:00", "bounce")])
    sup["email"] = sup["email"].astype(TEXT)
    complaints = _complaints([("b@x.com", "2026-06-05T10:00:00")])
    complaints["email"] = complaints["email"].astype(TEXT)
    complaints["x_campaign"] = pd.array(["spring"], dtype=TEXT)
    out = remediation_candidates(sup, complaints=complaints)
    assert out["verdict"].tolist() == ["review"]
    complaints["email"] = pd.array(["a@x.com"], dtype=TEXT)
    kept = remediation_candidates(sup, complaints=complaints)
    assert kept["verdict"].tolist() == ["keep"]
    assert "campaign spring" in kept["evidence"].iloc[0]


def test_an_address_that_complained_at_any_time_in_what_was_read_is_kept():
    # Issue 29.2: a complaint weeks before, or after, the suppression still keeps it.
    sup = _sup([(f"{n}@x.com", "2026-06-09T10:00:00", "bounce") for n in "abc"])
    bounces = _bounces(
        [(f"{n}@x.com", "2026-06-09T09:59:00", GREYLIST.replace("a@x.com", f"{n}@x.com"))
         for n in "abc"]
    )  # fmt: skip
    complaints = _complaints(
        [("a@x.com", "2026-04-12T08:00:00"), ("b@x.com", "2026-06-20T08:00:00")]
    )
    out = remediation_candidates(sup, bounces=bounces, complaints=complaints).set_index("email")
    assert out["verdict"].to_dict() == {
        "a@x.com": "keep",
        "b@x.com": "keep",
        "c@x.com": "reactivate",
    }
    assert (out.loc[["a@x.com", "b@x.com"], "cause"] == "complaint").all()
    assert "2026-06-20" in out.loc["b@x.com", "evidence"]


def test_an_address_whose_latest_bounce_says_it_is_dead_is_never_reactivated():
    # The invariant: whatever the bounce before the suppression said, the latest one read
    # decides when it is address-level.
    sup = _sup(
        [("a@x.com", "2026-06-09T10:00:00", "bounce"), ("b@x.com", "2026-06-09T10:00:00", "bounce")]
    )
    bounces = _bounces(
        [
            ("a@x.com", "2026-06-09T09:59:00", GREYLIST),
            ("a@x.com", "2026-06-15T09:00:00", "550 5.1.1 <a@x.com>: User unknown"),
            ("b@x.com", "2026-06-09T09:59:00", GREYLIST.replace("a@x.com", "b@x.com")),
        ]
    )
    out = remediation_candidates(sup, bounces=bounces).set_index("email")
    assert out["verdict"].to_dict() == {"a@x.com": "keep", "b@x.com": "reactivate"}
    assert out.loc["a@x.com", "cause"] == "userunknown"


def test_a_frame_without_account_is_matched_only_to_its_own_accounts_events():
    # Issue 29.12: suppressions without an account column beside bounces of one other
    # account: that account's bounce decided the verdict.
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    theirs = _bounces([("a@x.com", "2026-01-02T09:59:00", GREYLIST)])
    theirs.insert(0, "account", "news@example.com")
    with pytest.raises(ValueError, match="suppressions has no 'account' column"):
        remediation_candidates(sup, bounces=theirs)
    # A loader's frame says in its attrs which account it was read for: then it matches
    # that account's events only.
    sup.attrs["mmframe"] = {"kind": "suppressions", "accounts": ["Ops@Example.com"]}
    out = remediation_candidates(sup, bounces=theirs)
    assert out["verdict"].tolist() == ["review"] and out["cause"].tolist() == ["unknown"]
    mine = theirs.assign(account="ops@example.com")
    assert remediation_candidates(sup, bounces=mine)["verdict"].tolist() == ["reactivate"]


def test_a_later_permanent_refusal_or_any_dead_bounce_is_never_put_back():
    # Issue 29 adversary: a storm deferral, then a later "550 account closed" (triaged from
    # its reply only) was reactivated on the older deferral; so was an address that a server
    # called unknown five days before the deferral.
    later = {
        "a@yahoo.com": "550 Message refused",  # ("account closed" is an address gone: keep)
        "b@yahoo.com": "550 5.2.1 This mailbox has been blocked due to inactivity",
        "c@yahoo.com": "",
        "d@yahoo.com": "550 5.1.1 <d@yahoo.com>: User unknown",
    }
    deferral = "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred"
    emails = [*later, "e@yahoo.com", "f@yahoo.com"]
    sup = _sup([(e, "2026-03-10T10:00:00", "bounce") for e in emails])
    rows = [(e, "2026-03-10T09:59:00", deferral) for e in emails]
    rows += [(e, "2026-03-10T12:00:00", text) for e, text in later.items()]
    rows += [("f@yahoo.com", "2026-03-05T10:00:00", "550 5.1.1 <f@yahoo.com>: User unknown")]
    out = remediation_candidates(sup, bounces=_bounces(rows)).set_index("email")
    assert out.loc["e@yahoo.com", "verdict"] == "reactivate"  # the deferral alone
    assert out.loc["d@yahoo.com", "verdict"] == "keep"
    assert out.loc["f@yahoo.com", "verdict"] == "keep"  # dead before the deferral
    assert out.loc["b@yahoo.com", "verdict"] == "keep"  # blocked for inactivity: disabled
    for email in ("a@yahoo.com", "c@yahoo.com"):  # refused for good, for no reason given
        assert out.loc[email, "verdict"] == "review", email
        assert "later" in out.loc[email, "evidence"]


def test_ambiguous_or_untidy_input_is_refused_or_read_safely():
    deferral = GREYLIST
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    # bounces triaged in part (a frame triaged, then raw rows appended): all are read
    triaged = mm.triage(_bounces([("a@x.com", "2026-01-02T09:59:00", deferral)]))
    raw = _bounces([("a@x.com", "2026-01-02T11:00:00", "550 5.1.1 <a@x.com>: User unknown")])
    out = remediation_candidates(sup, bounces=pd.concat([triaged, raw], ignore_index=True))
    assert out["verdict"].tolist() == ["keep"]
    # a complaint with no time, or an address with spaces and another case, still counts
    bounces = _bounces([("a@x.com", "2026-01-02T09:59:00", deferral)])
    for email, when in ((" A@X.com ", "2026-01-01T08:00:00"), ("a@x.com", None)):
        complaints = _complaints([(email, when)])
        got = remediation_candidates(sup, bounces=bounces, complaints=complaints)
        assert got["verdict"].tolist() == ["keep"], (email, when)
    # frames read across accounts whose account column was dropped: refused
    spread = bounces.copy()
    spread.attrs["mmframe"] = {"kind": "events:bounces", "accounts": ["a@x.org", "b@x.org"]}
    with pytest.raises(ValueError, match="across accounts"):
        remediation_candidates(sup, bounces=spread)


def test_an_address_the_frame_lists_as_added_by_hand_is_kept_on_every_row():
    # Issue 29 second adversary: a storm bounce row of an address that the same frame also
    # lists as added by hand ('manual') was reactivated, removing the hand-made suppression
    # too (one address, one suppression); unsubscribe and complaint rows already kept theirs.
    deferral = "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred"
    sup = _sup(
        [
            ("u1@yahoo.com", "2026-06-09T10:00:00", "bounce"),
            (" U1@Yahoo.com", "2026-04-01T10:00:00", "manual"),
            ("u2@yahoo.com", "2026-06-09T10:00:00", "bounce"),
            ("u2@yahoo.com", "2026-04-01T10:00:00", "manual"),
            ("u2@yahoo.com", "2026-04-02T10:00:00", "complaint"),
            ("u3@yahoo.com", "2026-06-09T10:00:00", "bounce"),
        ]
    )
    rows = [(e, "2026-06-09T09:59:00", deferral) for e in ("u1@yahoo.com", "u2@yahoo.com")]
    rows.append(("u3@yahoo.com", "2026-06-09T09:59:00", deferral))
    out = remediation_candidates(sup, bounces=_bounces(rows))
    verdicts = dict(zip(out["email"].str.strip().str.lower(), out["verdict"], strict=False))
    assert verdicts["u3@yahoo.com"] == "reactivate"
    assert set(out.loc[out["email"].str.contains("u1@", case=False), "verdict"]) == {"keep"}
    assert set(out.loc[out["email"].str.contains("u2@", case=False), "verdict"]) == {"keep"}
    # The strongest of an address's own reasons is the one given: a complaint over a hand.
    u2 = out[(out["email"] == "u2@yahoo.com") & (out["reason"] == "bounce")]
    assert list(u2["cause"]) == ["complaint"]
    u1 = out[(out["email"] == "u1@yahoo.com")]
    assert list(u1["cause"]) == ["manual"] and "added by hand" in u1["evidence"].iloc[0]


# The docs-only adversary (issue 30): Microsoft answers an address it rejects with
# "550 5.4.1" (RFC 3463: no answer from host); in English its words say so, in its other
# languages triage had only the code, read it as a queue expiry, and put the address back,
# alone or 60 at a time as a storm.
LOCALISED_541 = [
    "550 5.4.1 Indirizzo del destinatario rifiutato: Accesso negato",
    "550 5.4.1 Empfängeradresse abgelehnt: Zugriff verweigert",
    "550 5.4.1 Adresse du destinataire refusée : Accès refusé",
    "550 5.4.1 Dirección de destinatario rechazada: Acceso denegado",
]


@pytest.mark.parametrize("text", LOCALISED_541)
def test_a_5xx_code_alone_never_puts_an_address_back(text):
    sup = _sup([("a@x.com", "2026-01-02T10:00:00", "bounce")])
    out = remediation_candidates(sup, bounces=_bounces([("a@x.com", "2026-01-02T09:59:00", text)]))
    assert out["verdict"].iloc[0] != "reactivate", out["evidence"].iloc[0]


@pytest.mark.parametrize("text", LOCALISED_541[:2])
def test_a_storm_of_5xx_codes_without_words_is_not_put_back(text):
    emails = [f"u{i}@outlook.example" for i in range(60)]
    sup = _sup([(e, "2026-03-03T12:00:00", "bounce") for e in emails])
    out = remediation_candidates(
        sup, bounces=_bounces([(e, "2026-03-03T11:59:00", text) for e in emails])
    )
    assert not (out["verdict"] == "reactivate").any() and not out["storm"].any()


#: Refusals that pass (deferrals, throttles) whose own cause is read before any mailbox's
#: (policy, sending quota, the sender), with room for words of any kind inside them.
PASSING_AROUND = (
    "421 4.7.0 Too many invalid recipients ({words}) from 203.0.113.7 in this session, try "
    "again later",
    "452 4.5.3 Your daily sending quota is exceeded ({words}); try again later",
    "450 4.7.1 Sender address rejected: try again later ({words})",
)
#: How servers say a mailbox cannot receive, in passing.
DEAD_ASIDES = (
    "user unknown",
    "User Unknown",
    "no such user",
    "recipient address rejected: mailbox does not exist",
    "The email account that you tried to reach is disabled",
    "invalid recipients",
    "unknown recipient",
)


@settings(deadline=None)  # each example triages; timings vary on a shared machine
@given(
    around=st.sampled_from(PASSING_AROUND),
    aside=st.sampled_from(DEAD_ASIDES),
    storm=st.booleans(),
    lone=st.booleans(),
)
def test_a_refusal_that_also_names_a_dead_mailbox_is_never_put_back(around, aside, storm, lone):
    """Issue 33 (second review): "421 4.7.0 Too many invalid recipients (user unknown) ...
    try again later" put 10 addresses back. Whatever reason decides a text, one that names
    an unknown or disabled mailbox anywhere, in any bounce of the address, is not put back
    on a guess: in a storm or alone, as the deciding bounce or an earlier one."""
    emails = [f"u{i}@yahoo.example" for i in range(60 if storm else 1)]
    sup = _sup([(e, "2026-03-03T12:00:00", "bounce") for e in emails])
    named = around.format(words=aside)
    if lone:  # the deciding bounce names it
        rows = [(e, "2026-03-03T11:59:00", named) for e in emails]
    else:  # an earlier bounce named it; the deciding one is a plain deferral
        plain = around.format(words="later")
        rows = [(e, "2026-02-01T11:59:00", named) for e in emails]
        rows += [(e, "2026-03-03T11:59:00", plain) for e in emails]
    out = remediation_candidates(sup, bounces=_bounces(rows))
    assert not (out["verdict"] == "reactivate").any(), out[["verdict", "evidence"]].head(3)


@pytest.mark.parametrize("said", ["", "550", "550 5.0.0 Unknown error", None])
@pytest.mark.parametrize("storm", [True, False])
def test_an_earlier_hard_bounce_that_says_nothing_readable_is_not_put_back(said, storm):
    """Third review: an address the API called hard-bounced weeks before, with an empty or
    vague text, then suppressed in a storm of deferrals, was put back: the storm's text
    decided, and nothing looked at the earlier hard bounce. MM's own word "hard" with no
    readable cause is not evidence the cause passed: review."""
    emails = [f"u{i}@x.example" for i in range(60 if storm else 1)]
    sup = _sup([(e, "2026-05-20T12:00:00", "bounce") for e in emails])
    rows = [(e, "2026-04-10T09:00:00", said) for e in emails]
    rows += [(e, "2026-05-20T11:59:00", "451 4.7.500 Server busy. Please try again later.")
             for e in emails]  # fmt: skip
    bounces = _bounces(rows)
    bounces["bounce_type"] = ["hard"] * len(emails) + ["soft"] * len(emails)
    out = remediation_candidates(sup, bounces=bounces)
    assert (out["verdict"] == "review").all(), out[["verdict", "evidence"]].head(2)
    assert out["evidence"].str.contains("2026-04-10").all()
    soft = bounces.assign(bounce_type="soft")  # the same texts, never called hard: the
    again = remediation_candidates(sup, bounces=soft)  # deferral decides, as before
    assert (again["verdict"] == "reactivate").all()
