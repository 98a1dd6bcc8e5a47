"""``suppress`` of an address the list already holds for a bounce says that it keeps that
reason (fifteenth review, W-15d). The API keeps an existing suppression's reason and time
(SPEC A10), so a person suppressed by hand who was already listed for a bounce stays a
"bounce" row, and a later fix of a bounce storm can put them back; the docstring said
"reason manual" and the result said only ``unchanged``. Now a warning names how many, for
which reason, and the way to list them as a manual add; a new address is listed ``manual``.
Since the twenty-first review (W-21a) ``suppress`` lists such an address again as a manual
add itself (``test_hand_add_after_judging.py``); ``relist=False`` keeps the bounce row,
and the warning, tested here."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mmframe as mm
from tests.writes.lists import bounce_listed


def _listed(session) -> dict[str, str]:
    rows = mm.read_suppressions(None, None, session=session)
    return dict(zip(rows["email"], rows["reason"].astype(str), strict=True))


def test_suppressing_a_bounce_listed_address_warns_it_keeps_that_reason(emulator, session):
    bounce_listed(emulator, session, ["a@example.org", "b@example.org"])
    frame = pd.DataFrame({"email": ["a@example.org", "b@example.org", "new@example.org"]})
    with pytest.warns(UserWarning, match="2 addresses are on the list already for a bounce"):
        plan = frame.mm.suppress(dry_run=True, relist=False, session=session)
    assert plan["status"].tolist() == ["unchanged", "unchanged", "planned"]
    with pytest.warns(UserWarning, match="keep that reason") as said:
        done = frame.mm.suppress(relist=False, session=session)
    assert "a@example.org" in str(said[0].message)
    assert set(done["status"]) == {"ok"}  # sent, and answered 200 (A10: either way)
    assert _listed(session) == {
        "a@example.org": "bounce",
        "b@example.org": "bounce",
        "new@example.org": "manual",
    }


def test_no_warning_where_every_address_is_new_or_listed_by_hand(emulator, session):
    mm.suppress(pd.DataFrame({"email": ["x@example.org"]}), session=session)
    frame = pd.DataFrame({"email": ["x@example.org", "y@example.org"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        done = frame.mm.suppress(session=session)
    assert set(done["status"]) == {"ok"}


def test_a_row_being_taken_off_is_listed_again_by_hand_and_not_warned(emulator, session):
    """A row ``pending removal`` (an activation not yet propagated) is listed again as a
    manual add by the server: no warning that it keeps a bounce (sixteenth review, W-16e)."""
    bounce_listed(emulator, session, ["p@example.org"])
    emulator.configure(propagation_delay=3600)
    frame = pd.DataFrame({"email": ["p@example.org"]})
    frame.mm.activate(kind="suppressions", verdicts=("reactivate", "keep"), session=session)
    state = mm.read_recipients(["p@example.org"], session=session)["suppression_status"]
    assert state.tolist() == ["pending removal"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame.mm.suppress(session=session)
