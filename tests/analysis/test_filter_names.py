"""A filter's name says who answered, the words say what happened (issue 33, fifth review,
defect 2): "451 4.7.1 Please try again later (Proofpoint Essentials rate control)" was
triaged ``blocked`` on the word "Proofpoint" and advised "get it off the block list",
though it is a rate deferral. The names of filtering products (Proofpoint, Mimecast,
Barracuda's appliances, Cloudmark, ...) are evidence of nothing; the names of block lists
(Spamhaus, SpamCop, SORBS, Barracuda's BRBL, ...) are evidence of a block list."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.analysis.sender_first import refusal_kind
from mmframe.reporting.bounce_advice import fix_first

#: Filtering products and services that answer for a receiving domain.
FILTERS = [
    "Proofpoint",
    "Proofpoint Essentials",
    "Mimecast",
    "Barracuda",
    "Barracuda Email Security Gateway",
    "Cloudmark",
    "Cloudmark Authority",
    "Symantec Email Security.cloud",
    "Cisco Secure Email",
    "Trend Micro Hosted Email Security",
    "Sophos Email",
    "Forcepoint",
    "FortiMail",
    "Hornetsecurity",
    "SpamTitan",
]
#: Words that say mail came too fast, with the reasons that say so.
RATES = [
    "rate control",
    "rate limit exceeded",
    "sender rate limit exceeded",
    "rate limiting in effect",
    "message rate exceeded",
    "throttled",
    "throttling in effect",
    "too many messages from your IP in the last hour",
    "sending too fast",
    "too many connections",
    "connection rate limit exceeded",
]
RATE_REASONS = {"speeding", "toomanyconn"}
#: Words that say the receiver deferred for another cause that is not a block list.
DEFERRALS = {
    "greylisted, please try again later": "greylisting",
    "greylisting in action, please come back later": "greylisting",
    "temporarily deferred due to unexpected volume or user complaints": "volume",
}
#: Words that name a block list: evidence of one, whoever answered.
BLOCK_LISTS = [
    "client host blocked using zen.spamhaus.org",
    "your IP is listed on Spamhaus SBL",
    "IP listed in the Barracuda Reputation Block List (BRBL)",
    "rejected: listed at b.barracudacentral.org",
    "sender IP found on SpamCop",
    "IP address listed by SORBS",
]
#: A block list in words alone, no list named.
BLOCK_WORDS = ["your IP is on our block list", "sending IP blacklisted"]
#: Shapes a filter's reply takes: the reply code, the filter's name and the words.
SHAPES = [
    "451 4.7.1 Please try again later ({name} {said})",
    "421 {name}: {said}, try again later",
    "451 {said} - {name}",
    "550 5.7.1 {name} says: {said}",
    "421 4.7.0 [{name}] {said}",
]


def _read(text: str) -> tuple[str, str, bool, str]:
    """The reason triage gives, the kind read from the words, whether a fix's row waits
    for the sender, and what the report tells to fix first about it."""
    reason = str(mm.triage(pd.Series([text]))["reason"][0])
    kind = str(refusal_kind(pd.Series([reason]), pd.Series([text]))[0])
    fix = pd.DataFrame(
        {"email": ["a@x.example"], "verdict": "reactivate", "cause": [reason], "evidence": [text]}
    )
    return reason, kind, bool(mm.waits_for_sender(fix)[0]), fix_first(fix) or ""


def test_the_reviews_proofpoint_rate_control_is_a_rate_deferral_not_a_block_list() -> None:
    text = "451 4.7.1 Please try again later (Proofpoint Essentials rate control)"
    reason, kind, waits, advice = _read(text)
    assert reason == "speeding", (reason, kind)
    assert not waits and "block list" not in advice, advice


def test_rate_words_decide_whichever_filter_answered() -> None:
    texts = [
        "421 4.7.0 Mimecast rate control: too many messages, please try again later",
        "451 Barracuda: message rate exceeded, try again later",
        "450 4.7.1 Cloudmark throttling in effect for 192.0.2.1",
        "452 4.3.2 FortiMail: connection rate limit exceeded",
    ]
    for text in texts:
        reason, kind, waits, advice = _read(text)
        assert reason in RATE_REASONS and not waits, (text, reason, kind)
        assert "block list" not in advice, (text, advice)


def test_a_block_list_named_stays_a_block_list_whichever_filter_answered() -> None:
    texts = [
        "550 5.7.1 Proofpoint: your IP is listed on Spamhaus SBL",
        "554 Barracuda: rejected, listed at b.barracudacentral.org",
        "550 5.7.1 Mimecast: IP listed in the Barracuda Reputation Block List (BRBL)",
        "421 Cloudmark: rate limited; client host blocked using zen.spamhaus.org",
    ]
    for text in texts:
        reason, kind, waits, advice = _read(text)
        assert reason == "blocked" and kind == "blocked" and waits, (text, reason, kind)
        assert "block list" in advice, (text, advice)
        assert "block list" in advice, (text, advice)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(FILTERS),
    said=st.sampled_from(RATES),
    shape=st.sampled_from(SHAPES),
)
def test_any_filter_with_rate_words_is_a_rate_deferral(name: str, said: str, shape: str) -> None:
    text = shape.format(name=name, said=said)
    reason, kind, waits, advice = _read(text)
    assert reason in RATE_REASONS and kind == reason, (text, reason, kind)
    assert not waits and "block list" not in advice, (text, advice)


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(FILTERS),
    said=st.sampled_from(sorted(DEFERRALS)),
    shape=st.sampled_from(SHAPES),
)
def test_any_filter_with_deferral_words_is_told_by_the_words(
    name: str, said: str, shape: str
) -> None:
    text = shape.format(name=name, said=said)
    reason, kind, waits, advice = _read(text)
    assert kind == DEFERRALS[said], (text, reason, kind)
    assert waits == (kind == "volume"), (text, kind)  # slow down first; greylisting: nothing
    assert "block list" not in advice, (text, advice)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(FILTERS),
    listed=st.sampled_from(BLOCK_LISTS + BLOCK_WORDS),
    rate=st.sampled_from(["", *RATES]),
    shape=st.sampled_from(SHAPES),
)
def test_any_filter_with_a_block_list_named_stays_blocked(
    name: str, listed: str, rate: str, shape: str
) -> None:
    """A block list's name decides even beside rate words (the list is what must be
    fixed); words alone that say "block list" decide where no rate words are said."""
    said = f"{rate}; {listed}" if rate and listed in BLOCK_LISTS else listed
    text = shape.format(name=name, said=said)
    reason, kind, waits, advice = _read(text)
    assert reason == "blocked" and kind == "blocked", (text, reason, kind)
    assert waits and "block list" in advice, (text, advice)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(FILTERS), code=st.sampled_from(["451 4.7.1", "421 4.7.0", "450"]))
def test_a_filters_try_again_later_naming_no_cause_is_a_deferral(name: str, code: str) -> None:
    """Words that only ask to try again later name no block list: the status code files it
    as a block (4.7.1), but the words say it passes by retrying, as greylisting does."""
    for text in (f"{code} Please try again later ({name})", f"{code} {name}: try again later"):
        reason, kind, waits, advice = _read(text)
        assert kind not in {"blocked", "badreputation", "requireptr"}, (text, reason, kind)
        assert kind == "deferred" or reason != "blocked", (text, reason, kind)
        assert not waits and "block list" not in advice, (text, advice)


def test_try_again_later_beside_a_named_cause_is_that_cause() -> None:
    for text in (
        "421 4.7.0 Proofpoint: your IP has been blocked, try again later",
        "451 4.7.1 Mimecast: access denied, please try again later",
        "451 4.7.1 Barracuda: IP listed on SORBS, try again later",
    ):
        reason, kind, waits, advice = _read(text)
        assert reason == "blocked" and kind == "blocked" and waits, (text, reason, kind)
        assert "block list" in advice, (text, advice)
