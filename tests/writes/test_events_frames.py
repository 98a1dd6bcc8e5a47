"""An events frame is refused as what it is (adv13, W-13d): ``activate`` on a
``read_complaints`` frame said "cannot tell what this frame holds (no mmframe attrs ...):
pass kind=", false (its attrs say ``events:complaints``), and the keyword it advised put the
complainers back. A complaints or bounces frame is now refused, whatever ``kind=`` says,
before any request, with what it holds and the way that is right for it; stripped of its
attrs, the server's own reasons still refuse the complainers."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm

NEWS = "news@example.com"


def _requests(emulator) -> int:
    return sum(m["requests"] for m in emulator.stats()["methods"].values())


@pytest.mark.parametrize("kind", [None, "suppressions", "recipients"])
@pytest.mark.parametrize("full", [False, True])
def test_a_complaints_frame_is_refused_as_one_whatever_kind_says(
    demo_emulator, demo_session, kind, full
):
    complaints = mm.read_complaints(None, None, accounts=[NEWS], session=demo_session)
    assert len(complaints)
    demo_emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        complaints.head(10).mm.activate(full=full, kind=kind, dry_run=True, session=demo_session)
    said = str(refused.value)
    assert "complaints frame" in said and "asked not to be mailed" in said, said
    assert "cannot tell" not in said and "pass kind=" not in said, said
    assert _requests(demo_emulator) == 0


@pytest.mark.parametrize("kind", [None, "suppressions"])
def test_a_bounces_frame_is_refused_with_the_recipe(demo_emulator, demo_session, kind):
    bounces = mm.read_bounces("2026-06-09", "2026-06-10", accounts=[NEWS], session=demo_session)
    demo_emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        bounces.head(10).mm.activate(kind=kind, dry_run=True, session=demo_session)
    said = str(refused.value)
    assert "bounces frame" in said and "remediation_candidates" in said, said
    assert "pass kind=" not in said, said
    assert _requests(demo_emulator) == 0


def test_complainers_stripped_of_the_frames_attrs_are_refused_by_the_servers_reasons(
    demo_session,
):
    complaints = mm.read_complaints(None, None, accounts=[NEWS], session=demo_session)
    listed = mm.read_suppressions(None, None, accounts=[NEWS], session=demo_session)
    asked = listed[listed["reason"] == "complaint"]
    bare = pd.DataFrame({"account": NEWS, "email": list(asked["email"].head(5))})
    assert set(bare["email"]) <= set(complaints["email"].str.lower()) | set(bare["email"])
    with pytest.raises(ValueError, match="5 who reported spam"):
        bare.mm.activate(kind="suppressions", dry_run=True, session=demo_session)
