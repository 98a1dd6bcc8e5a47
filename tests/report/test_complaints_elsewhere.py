"""A complaint to another account the report reads keeps the address out of this
account's fix (issue 33, fourth review, A6), in a report of one account with the master
key too (the key reads every account's complaints)."""

from __future__ import annotations

import io
from dataclasses import replace

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from tests.report.generated import EPOCH, NEWS, STORM_DAY, history, storm_plan

pytestmark = [pytest.mark.slow, pytest.mark.invariants, pytest.mark.clock]

OTHER = "other0@example.com"


def _two_accounts():
    """The storm account, and another one to which 4 of the storm's addresses complained
    (months before the storm, and after it)."""
    plan = storm_plan()
    quiet = replace(plan.accounts[0], name=OTHER, storms=(), complaints=0.0, days=65)
    h = history(replace(plan, accounts=(plan.accounts[0], quiet)))
    sup = h.frames["suppressions"]
    day = EPOCH + pd.Timedelta(days=STORM_DAY)
    storm = sup[(sup["account"] == NEWS) & (sup["reason"] == "bounce")]
    storm = storm[pd.to_datetime(storm["suppressed_at"], utc=True).dt.floor("D") == day]
    clean = set(storm["email"]) - set(h.frames["complaints"]["email"])
    chosen = sorted(clean)[:4]
    at = [day - pd.Timedelta(days=90), day - pd.Timedelta(days=1), day, day + pd.Timedelta(days=3)]
    sent = pd.DataFrame(
        {"account": OTHER, "email": chosen, "sender": "mail@sender.example",
         "sent_at": [t - pd.Timedelta(hours=2) for t in at], "x_campaign": "spring"}
    )  # fmt: skip
    frames = dict(h.frames)
    for kind, extra in (("sent", sent), ("complaints", sent.assign(complained_at=at))):
        zone = frames[kind]["sent_at"].dt.tz
        times = {c: extra[c].dt.tz_convert(zone) for c in extra if c.endswith("_at")}
        extra = extra.assign(**times)
        frames[kind] = pd.concat([frames[kind], extra], ignore_index=True)
    return replace(h, frames=frames), chosen


def test_a_complaint_to_another_account_read_keeps_the_address_out_of_the_fix(
    make_emulator, tmp_path
):
    h, chosen = _two_accounts()
    emulator = make_emulator("empty")
    emulator.replay(**h.frames)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _ = build(
            session, tmp_path / "all", h.start, h.end, as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
        spike = next(f for f in evidence.findings if f.kind == "spike" and f.account == NEWS)
        assert spike.fix is not None and len(spike.fix) > 0
        assert not set(spike.fix["email"].str.lower()) & {e.lower() for e in chosen}
        assert "{'accounts': 'all'}" in spike.code  # the printed fix reads every account's
        said = " ".join(spike.said)  # the master account is read too: 2 others
        assert (
            "Complaints and opt-outs on the 2 other accounts read were looked for too (4 addresses"
            in said
        )
        one, _ = build(
            session, tmp_path / "one", h.start, h.end, accounts=[NEWS], as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    # The master key reads every account's complaints, whatever --accounts narrows the
    # report to (issue 33, sixth review, 2).
    alone = next(f for f in one.findings if f.kind == "spike")
    assert "opt-outs on the 2 other accounts read were looked for too (4 addresses" in " ".join(
        alone.said
    )
    assert alone.fix is not None and not set(alone.fix["email"].str.lower()) & {
        e.lower() for e in chosen
    }
