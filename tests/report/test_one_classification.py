"""One classification of bounces, used by every sentence of a finding (issue 33, eighth
review, 10): a bounce-rate finding said "0 hard and 244 soft bounces ...: mostly temporary
refusals" (the API's types read as what the servers said) and then, in What to do, "1 of
the 247 was temporary"; and Yahoo's TSS04 deferral was advised "slow down" in a spike's
finding but "look at what the servers said" in a rate finding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.reporting.cause_words import REMEDIES, words
from mmframe.reporting.rate_findings import bounce_rate_finding
from tests.report.spike_mix import TEXTS, mixed_spike
from tests.report.test_bounce_advice import ACCOUNT, _bounces, _periods

pytestmark = pytest.mark.invariants


def _rate(texts: list[str], hard: int, soft: int):
    """A bounce-rate finding at gmail.com: ``hard`` and ``soft`` bounces as the API typed
    them, ``texts`` (keys of TEXTS) what the servers said."""
    periods = _periods(hard)
    periods["soft_bounces"] = soft
    periods["bounce_rate"] = (hard + soft) / periods["sent"]
    said = [TEXTS[t].format(e=f"u{i}@gmail.com") for i, t in enumerate(texts)]
    return bounce_rate_finding(ACCOUNT, periods, _bounces(said))


def _typed(finding) -> str:
    (sentence,) = [s for s in finding.said if " soft bounces " in s]
    return sentence


def test_soft_bounces_the_servers_called_volume_deferrals_are_not_called_temporary() -> None:
    # The review's rep3: Yahoo's TSS04 deferrals, typed soft by the API.
    found = _rate(["volume"] * 239 + ["dead"] * 7 + ["full"], hard=0, soft=244)
    typed = _typed(found)
    assert "temporary" not in typed and "permanent" not in typed, typed
    assert "as the API typed them" in typed, typed
    volume = words("volume")
    assert f"most (239) were {volume}" in typed, typed
    assert f"239 of the 247 were {volume}: {REMEDIES['volume']}" in found.advice, found.advice
    assert "1 of the 247 was temporary" in found.advice, found.advice


def _remedy(text: str, said: str) -> str:
    """What ``text`` advises right after ``said``: up to the next ``;`` or ``.`` outside
    brackets."""
    at = text.index(said + ": ") + len(said) + 2
    depth = 0
    for i, ch in enumerate(text[at:], start=at):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and (ch == ";" or text.startswith(". ", i) or i == len(text) - 1):
            return text[at:i].rstrip(".")
    return text[at:]


@pytest.mark.parametrize("kind", ["volume", "block", "auth", "content"])
def test_the_same_refusal_words_get_the_same_advice_in_a_spike_and_a_rate_finding(kind) -> None:
    spike, fix = mixed_spike([kind] * 60)
    assert (fix["verdict"] == "reactivate").all(), fix["verdict"].value_counts()
    rate = _rate([kind] * 60, hard=0, soft=60)
    said = words({"block": "ip", "auth": "authentication"}.get(kind, kind))
    assert f"60 {said}" in spike.advice, spike.advice
    assert f"60 of the 60 were {said}" in rate.advice, rate.advice
    assert _remedy(spike.advice, said) == _remedy(rate.advice, said), (spike.advice, rate.advice)


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.sampled_from(sorted(TEXTS)), min_size=20, max_size=80),
    hard_share=st.floats(0, 1),
)
def test_what_a_rate_finding_calls_most_of_its_bounces_is_what_its_advice_counts(
    texts, hard_share
) -> None:
    hard = round(len(texts) * hard_share)
    found = _rate(texts, hard=hard, soft=len(texts) - hard)
    typed = _typed(found)
    # The API's types are said as the API's, never read as what the servers said.
    assert "mostly temporary" not in typed and "mostly permanent" not in typed, typed
    # "all 20" where every one is (twelfth review, R6: "most (84)" of 84).
    most = re.search(r"of the (\d+) bounces read, (?:most \((\d+)\)|all (\d+)) (.+?)\.$", typed)
    parts = re.findall(r"(\d+) of the (\d+) (.+?):", found.advice)
    assert parts, found.advice
    largest = max(int(n) for n, _total, _said in parts)
    if most is None:  # no kind is most: said so
        assert "no one kind is most" in typed, typed
        assert largest * 2 <= len(texts), (typed, found.advice)
        return
    total, said = int(most.group(1)), most.group(4)
    n = int(most.group(2) or most.group(3))
    assert total == len(texts) and n * 2 > total and n == largest, (typed, found.advice)
    assert f"{n} of the {total} {said}:" in found.advice, (typed, found.advice)
