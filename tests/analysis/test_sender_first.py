"""Which rows of a fix wait for the sender (mmframe.waits_for_sender): one split for the
report's words, its dry-run sentence and the code it prints.

The printed code held back every refusal Sisimai files as a block, by its cause alone,
while the advice read greylisting from the words as a refusal that passes: the page said
greylisted addresses could go back now and the code kept them for later.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mmframe as mm
from mmframe.analysis.sender_first import SENDER_FIRST
from mmframe.reporting.bounce_advice import fix_first_kinds

GREYLISTING = [
    "450 4.2.0 <a@x.example>: Recipient address rejected: Greylisted for 300 seconds",
    "451 4.7.1 Greylisting in action, please come back later",
    "421 4.7.0 try again later, greylisted",
]
BLOCK_LISTS = [
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "550 5.7.1 Mail from 192.0.2.1 refused: listed on the Barracuda block list",
]


def _fix(causes: list[str], evidence: list[str]) -> pd.DataFrame:
    emails = [f"u{i}@x.example" for i in range(len(causes))]
    return pd.DataFrame(
        {"email": emails, "verdict": "reactivate", "cause": causes, "evidence": evidence}
    )


def test_greylisting_does_not_wait_and_a_named_block_list_does():
    fix = _fix(["blocked"] * 5, [*GREYLISTING, *BLOCK_LISTS])
    assert mm.waits_for_sender(fix).tolist() == [False, False, False, True, True]


def test_the_advice_tells_to_fix_first_exactly_the_kinds_the_split_holds_back():
    assert fix_first_kinds() == set(SENDER_FIRST)


@given(
    causes=st.lists(
        st.sampled_from(sorted(SENDER_FIRST | {"expired", "mailboxfull", "systemerror"})),
        min_size=1,
        max_size=20,
    ),
    words=st.lists(st.sampled_from(["", *GREYLISTING, *BLOCK_LISTS]), min_size=20, max_size=20),
)
def test_a_row_waits_exactly_when_its_kind_read_from_its_words_is_the_senders(causes, words):
    fix = _fix(causes, words[: len(causes)])
    waits = mm.waits_for_sender(fix)
    for cause, said, wait in zip(causes, words, waits, strict=False):
        grey = cause in {"blocked", "badreputation", "requireptr"} and said in GREYLISTING
        assert wait == (cause in SENDER_FIRST and not grey), (cause, said)
