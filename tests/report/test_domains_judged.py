"""Every recipient domain with enough bounces or complaints to judge is judged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import build
from tests.report.scenarios import UNKNOWN, _Builder

START, END = "2026-04-01", "2026-06-01"
BIG = [f"big{i}.example.com" for i in range(6)]
SMALL = "small-but-bad.example.org"


def _history() -> dict[str, pd.DataFrame]:
    """Six big domains, 1.5 % of their mail bouncing (more bounces each than the small
    domain has), and a small one at 4 %: over the 2 % line, with 20+ bounces."""
    b = _Builder(seed=21)
    for day in pd.date_range(START, END, freq="D", inclusive="left", tz="UTC"):
        at = day + pd.Timedelta(hours=9)
        batches = [(domain, 130, 66) for domain in BIG] + [(SMALL, 25, 25)]
        for domain, size, every in batches:
            for i in range(size):
                sent = b.send(b.address(domain), at + pd.Timedelta(seconds=i))
                if i == 0 and day.day == 1:  # a complaint a month, for the lists' shape
                    b.complain(sent)
                elif i % every == every - 1:
                    b.bounce(sent, "hard", UNKNOWN.format(email=sent["email"]), suppress=True)
    return b.frames()


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> mm.reporting.Evidence:
    out: Path = tmp_path_factory.mktemp("domains")
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**_history())
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            made, _path = build(session, out, START, END, as_of=END, progress=False)
    return made


def test_a_small_domain_over_the_bounce_line_is_named(evidence):
    # Issue 33.21: only each account's top 5 domains by complaints and bounces were rated,
    # so a domain at 3.92 % (52 of 1,325) was never mentioned while one at 2.1 % was.
    rated = evidence.rates[evidence.rates["by"] == "domain"]
    assert SMALL in set(rated["group"])
    said = " ".join(f"{f.title} {f.summary} {' '.join(f.said)}" for f in evidence.findings)
    assert SMALL in said


def test_domains_past_the_most_rated_are_said_not_rated():
    from mmframe.reporting.rating import MOST_RATED, _top

    domains = [f"d{i:02d}.example" for i in range(MOST_RATED + 3)]
    rows = pd.DataFrame(
        {
            "account": "a@x.com",
            "domain": [d for d in domains for _ in range(20)],
            "bounce_type": "hard",
        }
    )
    notes: list[str] = []
    rated = _top(rows, "domain", "domain", notes)
    assert len(rated) == MOST_RATED
    assert notes == [
        "3 other values of domain at a@x.com with enough complaints or bounces to judge "
        f"(60 of its {20 * len(domains):,}) were not rated: the report rates the "
        f"{MOST_RATED} with the most."
    ]
