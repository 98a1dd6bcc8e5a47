"""A judged frame's ``cause`` column condemns its rows as the remediation panel reads it
(adv13, W-13): re-pointed to another account, the rows the record keyed by the first
account matched nothing, ``verdicts=("reactivate", "review")`` planned the rows whose
``cause`` said ``unsubscribe`` or ``complaint``, and the panel held them. ``activate`` now
refuses, before any request, every row whose ``cause`` names a condemning cause
(:data:`mmframe.analysis.never_back.CONDEMNING`) unless ``verdicts=`` names ``"keep"``."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmframe.analysis.never_back import CONDEMNING
from tests.writes.test_condemned_need_keep import requests_made, served_judged

pytestmark = pytest.mark.invariants

REVIEW = ("reactivate", "review")
#: Another account of the emulator's master (the master's own): the record never judged it.
OTHER = "admin@example.com"


@pytest.fixture(scope="module")
def served():
    yield from served_judged()


def test_rows_re_pointed_to_another_account_are_held_by_their_cause(served):
    emulator, session, judged, _truth = served
    held = judged[(judged["verdict"] == "review") & judged["cause"].isin(list(CONDEMNING))]
    assert len(held) >= 4, judged[["email", "verdict", "cause"]]
    moved = judged[judged["verdict"] != "keep"].assign(account=OTHER)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="the evidence condemns") as refused:
        moved.mm.activate(full=True, dry_run=True, session=session, verdicts=REVIEW)
    assert f"{len(held)} of the rows refused the evidence condemns" in str(refused.value)
    assert requests_made(emulator) == 0
    plan = moved.mm.activate(
        full=True, dry_run=True, session=session, verdicts=("reactivate", "review", "keep")
    )
    assert len(plan) == len(moved)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    causes=st.lists(st.sampled_from([*sorted(CONDEMNING), "storm", "unknown", None]),
                    min_size=1, max_size=6),
    keep=st.booleans(),
)  # fmt: skip
def test_a_row_whose_cause_condemns_goes_back_only_with_keep(served, causes, keep):
    emulator, session, judged, _truth = served
    clear = judged[judged["verdict"] == "reactivate"].head(len(causes)).copy()
    clear["cause"] = causes[: len(clear)]
    condemned = sum(c in CONDEMNING for c in causes[: len(clear)])
    verdicts = ("reactivate", "keep") if keep else ("reactivate",)
    emulator.reset_stats()
    if condemned and not keep:
        with pytest.raises(ValueError, match=f"{condemned} of the rows refused"):
            clear.mm.activate(full=True, dry_run=True, session=session, verdicts=verdicts)
        assert requests_made(emulator) == 0
    else:
        plan = clear.mm.activate(full=True, dry_run=True, session=session, verdicts=verdicts)
        assert len(plan) == len(clear)
