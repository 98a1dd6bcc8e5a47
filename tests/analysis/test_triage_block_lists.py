"""A block list named after one of Postfix's restriction prefixes (issue 33, sixth review,
defect 3): "Sender address rejected: ... listed at dbl.spamhaus.org" is a block list, not a
sender refused in words that name no cause, and the advice says to get off the list. The
prefix says which restriction answered, not why; the words after it do, so a dead mailbox
worded after the same prefix stays dead."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.analysis.phrase_tables import phrases
from mmframe.analysis.refusal_words import LIST_NAMES
from mmframe.analysis.triage import ADDRESS_REASONS
from mmframe.reporting.bounce_advice import fix_first


def _triaged(text: str) -> pd.Series:
    return mm.triage(pd.Series([text], name="message")).iloc[0]


#: The review's own texts, and the same shape with other lists and prefixes.
LISTED = [
    "554 5.7.1 <someone@dbl.example.net>: Sender address rejected: brand.example.org is "
    "listed at dbl.spamhaus.org",
    "554 5.7.1 <a@x.com>: Sender address rejected: Domain listed at dbl.spamhaus.org",
    "554 5.7.1 <a@x.com>: Sender address rejected: listed at multi.uribl.com",
    "550 5.7.1 <b@y.org>: Sender address rejected: example.com listed in multi.surbl.org",
    "554 5.7.1 <c@z.net>: Sender address rejected: blocked using zen.spamhaus.org",
    "550 5.7.1 <d@w.com>: Recipient address rejected: Your IP is listed in bl.spamcop.net",
    "554 5.7.1 Client host rejected: 192.0.2.7 listed at b.barracudacentral.org (BRBL)",
    "550 5.7.1 <mx.example.org>: Helo command rejected: listed at dnsbl.sorbs.net",
    "450 4.7.1 <e@v.com>: Sender address rejected: sender domain on the Spamhaus DBL",
]


@pytest.mark.parametrize("text", LISTED)
def test_a_list_named_after_a_postfix_prefix_is_a_block_list(text):
    found = _triaged(text)
    assert found["reason"] == "blocked", (text, found["reason"], found["evidence"])
    assert "rejected" not in str(found["evidence"]).split("(")[0].lower(), found["evidence"]


def test_the_advice_tells_the_sender_to_get_off_the_list():
    rows = mm.triage(pd.Series(LISTED[:3], name="message"))
    fix = pd.DataFrame({"cause": rows["reason"].astype(str), "evidence": rows["message"]})
    said = fix_first(fix)
    assert said is not None and "3 refused for the sending IP or domain" in said, said
    assert "get it off the block list" in said


#: Postfix's restriction prefixes (with the address or host Postfix puts before them).
PREFIXES = [
    "<a@x.com>: Sender address rejected:",
    "<b@y.org>: Recipient address rejected:",
    "Client host rejected:",
    "<mx.example.net>: Helo command rejected:",
    "Sender address rejected:",
    "Recipient address rejected:",
]
LISTS = [
    "dbl.spamhaus.org",
    "zen.spamhaus.org",
    "bl.spamcop.net",
    "multi.uribl.com",
    "multi.surbl.org",
    "b.barracudacentral.org",
    "dnsbl.sorbs.net",
    "bl.mailspike.net",
    "psbl.surriel.com",
]
BLOCK_WORDS = [
    "{who} is listed at {list}",
    "Domain listed at {list}",
    "listed in {list}",
    "blocked using {list}",
    "{who} listed by {list}; see the list's site",
]
#: Dead-mailbox words as Postfix and others put them after a recipient's prefix.
DEAD_WORDS = [
    ("User unknown in virtual mailbox table", "userunknown"),
    ("User unknown in local recipient table", "userunknown"),
    ("No such user here", "userunknown"),
    ("mailbox unknown", "userunknown"),
    ("Account disabled", "suspend"),
]


@settings(max_examples=200, deadline=None)
@given(
    code=st.sampled_from(["554 5.7.1", "550 5.7.1", "550", "450 4.7.1", "554"]),
    prefix=st.sampled_from(PREFIXES),
    listed=st.sampled_from(LISTS),
    words=st.sampled_from(BLOCK_WORDS),
    who=st.sampled_from(["brand.example.org", "192.0.2.7", "Your IP"]),
)
def test_a_named_list_decides_whatever_prefix_precedes_it(code, prefix, listed, words, who):
    text = f"{code} {prefix} " + words.format(list=listed, who=who)
    found = _triaged(text)
    assert found["reason"] == "blocked", (text, found["reason"], found["evidence"])


@settings(max_examples=200, deadline=None)
@given(
    code=st.sampled_from(["550 5.1.1", "550", "554 5.7.1", "550 5.2.1"]),
    address=st.sampled_from(["<a@x.com>: ", "<Dead@Example.COM>: ", ""]),
    dead=st.sampled_from(DEAD_WORDS),
    listed=st.sampled_from([None, *LISTS]),
)
def test_a_dead_mailbox_after_the_recipients_prefix_stays_dead(code, address, dead, listed):
    words, reason = dead
    text = f"{code} {address}Recipient address rejected: {words}"
    if listed is not None:  # a list named beside it too: the mailbox still decides
        text += f"; client listed at {listed}"
    found = _triaged(text)
    assert found["reason"] == reason, (text, found["reason"], found["evidence"])
    assert found["reason"] in ADDRESS_REASONS


def test_a_sender_refused_in_words_naming_no_list_is_still_rejected():
    for text in (
        "554 5.7.1 <a@x.com>: Sender address rejected: Access denied",
        "550 5.1.0 <a@x.com>: Sender address rejected: User unknown in local recipient table",
        "450 4.1.8 <a@x.com>: Sender address rejected: Domain not found",
    ):
        assert _triaged(text)["reason"] == "rejected", text


def test_the_lists_known_by_name_are_one_list():
    # The phrase table's row of lists by name and the names the advice and the prefix rule
    # read are the same words: a list added to one is known to all.
    assert ("blocked", LIST_NAMES) in phrases()
