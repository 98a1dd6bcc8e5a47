"""A judged frame whose record pandas dropped is refused, not activated (adv9, F4):
``pd.concat`` and ``merge`` drop ``attrs`` when their inputs' attrs differ, and the
record of the rows remediation_candidates held back went with them: a concat of the held
rows with an empty frame planned 63 rows, a merge of them with the day's rows 63 too. A
frame carrying the columns judging adds but no record is refused before any request,
saying the record was lost and to judge the combined rows again."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.analysis.remediation import ADDED
from mmframe.judged import COLUMNS
from tests.writes.test_condemned_need_keep import requests_made, served_judged

pytestmark = pytest.mark.invariants


@pytest.fixture(scope="module")
def served():
    """The judged frame of test_condemned_need_keep, on its own emulator."""
    yield from served_judged()


def _lost(judged: pd.DataFrame, rows: pd.DataFrame, how: str) -> pd.DataFrame:
    """The review's ways of losing the record, and a few more of the same kind."""
    bad = judged[judged["verdict"] != "reactivate"].drop(columns="verdict")
    if how == "concat empty":
        return pd.concat([bad, rows.iloc[:0]])
    if how == "merge":
        return bad[["account", "email", "cause"]].merge(rows, on=["account", "email"])
    if how == "concat two judged":
        other = judged.copy()
        other.attrs = {"mmframe": {"kind": "suppressions"}}
        return pd.concat([judged[judged["verdict"] == "reactivate"], other.iloc[:3]])
    if how == "attrs cleared":
        out = bad.copy()
        out.attrs = {}
        return out
    return pd.DataFrame(bad.to_dict("list"))  # rebuilt from its values


@pytest.mark.parametrize(
    "how", ["concat empty", "merge", "concat two judged", "attrs cleared", "rebuilt"]
)
def test_a_frame_that_lost_its_judged_record_is_refused_before_any_request(served, how):
    emulator, session, judged, _truth = served
    rows = mm.read_suppressions(None, None, accounts=["news@example.com"], session=session)
    derived = _lost(judged, rows, how)
    assert "judged" not in (derived.attrs.get("mmframe") or {})  # pandas dropped it
    emulator.reset_stats()
    for verdicts in (None, ("reactivate", "review"), ("reactivate", "review", "keep")):
        options = {} if verdicts is None else {"verdicts": verdicts}
        with pytest.raises(ValueError) as refused:
            derived.mm.activate(full=True, dry_run=True, session=session, **options)
        said = str(refused.value)
        assert "pd.concat and merge" in said and "remediation_candidates(" in said, said
    assert requests_made(emulator) == 0


def test_the_columns_that_mark_a_judged_frame_are_every_one_judging_adds():
    assert set(COLUMNS) == set(ADDED)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(kept=st.lists(st.sampled_from(list(COLUMNS)), min_size=1, unique=True))
def test_any_judged_column_without_a_record_refuses(served, kept):
    emulator, session, judged, _truth = served
    plain = judged[["account", "email", "suppressed_at", "reason", *kept]]
    plain = pd.concat([plain.iloc[:1], plain.iloc[1:]])  # no empty part: pandas 2.2 warns
    plain.attrs = {}
    emulator.reset_stats()
    with pytest.raises(ValueError, match=r"pd\.concat and merge"):
        plain.mm.activate(full=True, dry_run=True, session=session, verdicts=("reactivate",
                          "review", "keep"))  # fmt: skip
    assert requests_made(emulator) == 0
