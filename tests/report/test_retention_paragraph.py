"""What a server no longer lists is said once in a spike's finding, each figure beside the
account it is about (issue 33, eighth review, 12: the paragraph named gamma@'s figures, then
gave the spike's own account's without saying whose, so they read as gamma@'s; in about 250
words, saying the same thing three times)."""

from __future__ import annotations

import io
import re

import pandas as pd

import mmframe as mm
from mmframe.reporting import build
from tests.report.test_retention_elsewhere import NEWS, NOW, OLD, PROMO, _history

#: A tally of what the server lists of what it counts ("11 of its 35 complaints", "none of
#: the 2 bounces").
TALLY = r"(?:none|\d[\d,]*) of (?:its|the) [\d,]+ (?:complaints?|bounces?)"
ACCOUNT = r"[\w.+-]+@[\w.-]+\w"


def _with_own_old_complaint() -> dict[str, pd.DataFrame]:
    """The other test's history, and news@ itself with a complaint 200 days old (counted,
    no longer listed), so both its own and another account's are short."""
    frames = _history()
    old = {"account": NEWS, "email": "o0@yahoo.com", "domain": "yahoo.com", "sent_at": OLD,
           "sender": "m@example.com"}  # fmt: skip
    frames["sent"] = pd.concat([frames["sent"], pd.DataFrame([old])], ignore_index=True)
    complaint = pd.DataFrame([old]).assign(complained_at=OLD + pd.Timedelta(hours=3))
    frames["complaints"] = pd.concat([frames["complaints"], complaint], ignore_index=True)
    return frames


def test_each_figure_of_what_is_no_longer_listed_names_its_account_once(make_emulator, tmp_path):
    emulator = make_emulator("empty", clock=NOW.timestamp, report_retention=True)
    emulator.replay(**_with_own_old_complaint())
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, (NOW - pd.Timedelta(days=28)).isoformat(),
            (NOW - pd.Timedelta(days=1)).isoformat(), as_of=NOW.isoformat(),
            accounts=[NEWS], progress=False, stream=io.StringIO(),
        )  # fmt: skip
    (spike,) = [f for f in evidence.findings if f.kind == "spike"]
    said = " ".join(spike.said)
    tallies = list(re.finditer(TALLY, said))
    assert tallies, said
    named: list[str] = []
    for tally in tallies:  # the account it is about, in the same clause before it
        before = said[: tally.start()]
        accounts = list(re.finditer(ACCOUNT, before))
        assert accounts, (tally.group(), said)
        between = before[accounts[-1].end() :]
        assert ";" not in between and ". " not in between, (tally.group(), between)
        named.append(accounts[-1].group())
    assert NEWS in named and PROMO in named, (named, said)
    assert f"{NEWS}, this account" in said, said
    # Said once: no figure twice, one conclusion.
    figures = [t.group() + " @" + n for t, n in zip(tallies, named, strict=True)]
    assert len(figures) == len(set(figures)), figures
    assert said.count("cannot be ruled out") == 1, said
    assert said.count("nobody is put back") == 1, said
    assert "reactivate" not in spike.verdicts, spike.verdicts
