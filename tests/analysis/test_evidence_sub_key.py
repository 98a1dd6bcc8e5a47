"""Evidence read with a sub-account key is said (seventeenth review, W-17b): such a key
reads its own account only, so the storm of news@ judged on news@'s key's reads put back
35 more rows than the master's reads do (3 had complained to promo@), with no
:class:`mmframe.EvidenceWarning`, and ``activate`` said nothing either. A loader now
records that its key is a sub-account's (one request per session tells: the account list
answers such a key 451), and a master's account list when it reads its own account only,
so the judging names what was not read, and activate repeats it.

The invariant, over every choice of reader for each evidence frame: rows judged
``reactivate`` come with the warning iff some frame was read for fewer accounts than the
master holds; each such frame is named; and the verdicts are those of the reads alone."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm

pytestmark = pytest.mark.invariants

NEWS = "news@example.com"
STORM = ("2026-06-09", "2026-06-10")
KINDS = ("bounces", "complaints", "opt_outs")
#: How each evidence frame may be read, in two families that judge together: with the
#: master key for every account or for news@ only (frames with ``account``); for the
#: master's own account, or with news@'s key from the master's list or given alone
#: (frames without it, one account's each).
LABELLED = ("master all", "master news")
UNLABELLED = ("master own", "sub listed", "sub alone")
READERS = LABELLED + UNLABELLED


def _read(kind: str, session: mm.Session, accounts: object) -> pd.DataFrame:
    options = {"session": session, "accounts": accounts}
    if kind == "bounces":
        return mm.read_bounces(None, None, **options)
    if kind == "complaints":
        return mm.read_complaints(None, None, **options)
    return mm.read_suppressions(None, None, **options)


@pytest.fixture(scope="module")
def reads(demo_emulator):
    """The storm's rows of news@ (read with news@'s own key, without ``account``: the
    frame every reader can judge), and each evidence frame read every way."""
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as master:
        key = master.account_keys()[NEWS][1]
        every = sorted(name for name, _ in master.account_keys().values())
        with mm.Session(demo_emulator.url, key) as alone:
            listed = master.for_account(NEWS)
            readers = {
                "master all": (master, "all"),
                "master own": (master, None),
                "master news": (master, [NEWS]),
                "sub listed": (listed, None),
                "sub alone": (alone, None),
            }
            frames = {
                (kind, who): _read(kind, session, accounts)
                for kind in KINDS
                for who, (session, accounts) in readers.items()
            }
            rows = mm.read_suppressions(*STORM, session=alone)
    return rows, frames, every


def _judge(rows: pd.DataFrame, frames: dict, chosen: tuple[str, ...]):
    given = {kind: frames[(kind, who)] for kind, who in zip(KINDS, chosen, strict=True)}
    if chosen[0] in LABELLED:  # frames with ``account``: the rows say they are news@'s
        rows = rows.assign(account=NEWS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        judged = mm.remediation_candidates(rows, **given)
    said = [str(w.message) for w in caught if issubclass(w.category, mm.EvidenceWarning)]
    assert len(said) == len(caught), [str(w.message) for w in caught]
    return judged, said


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.sampled_from((LABELLED, UNLABELLED)).flatmap(
        lambda family: st.tuples(*(st.sampled_from(family) for _ in KINDS))
    )
)
def test_rows_put_back_on_evidence_of_fewer_accounts_than_the_master_holds_are_said(reads, chosen):
    rows, frames, _every = reads
    judged, said = _judge(rows, frames, chosen)
    back = int((judged["verdict"] == "reactivate").sum())
    short = [kind for kind, who in zip(KINDS, chosen, strict=True) if who != "master all"]
    if not back or not short:
        assert said == [], said
        return
    (message,) = said
    assert f"{back:,} rows judged reactivate" in message, message
    for kind, who in zip(KINDS, chosen, strict=True):
        if who.startswith("sub"):
            assert f"{kind} read with a sub-account key" in message, message
        elif who != "master all":
            assert f"{kind} read without" in message, message
        else:
            assert f"{kind} read with" not in message and f"{kind} read without" not in message


def test_the_storm_judged_on_news_keys_reads_says_so_and_activate_repeats_it(reads, demo_session):
    rows, frames, _every = reads
    judged, said = _judge(rows, frames, ("sub listed",) * 3)
    (message,) = said
    assert "a sub-account key reads its own account only" in message, message
    master, _ = _judge(rows, frames, ("master all",) * 3)
    more = set(judged.loc[judged["verdict"] == "reactivate", "email"]) - set(
        master.loc[master["verdict"] == "reactivate", "email"]
    )
    assert more, "the demo's other accounts keep some of news@'s storm out"
    storm = judged[judged["verdict"] == "reactivate"]
    news = demo_session.for_account(NEWS)
    with pytest.warns(mm.EvidenceWarning, match="sub-account key") as caught:
        planned = storm.mm.activate(full=True, dry_run=True, session=news)
    assert set(planned["status"].astype(str)) == {"planned"}
    assert all("activate:" in str(w.message) for w in caught if "sub-account" in str(w.message))


def test_a_key_whose_reach_is_asked_is_asked_once_per_session(demo_emulator):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as master:
        key = master.account_keys()[NEWS][1]
    with mm.Session(demo_emulator.url, key) as alone:
        asked = []
        list_accounts = alone.list_accounts

        def counted(**kwargs):
            asked.append(1)
            return list_accounts(**kwargs)

        alone.list_accounts = counted  # type: ignore[method-assign]
        for _ in range(3):
            frame = mm.read_complaints(None, None, session=alone, accounts="all")
            assert frame.attrs["mmframe"]["sub_key"] is True
        assert len(asked) == 1
