"""An opt-out on another account the report reads keeps the address out of this account's
fix, on the page and in the code it prints (issue 33, fifth review, 1: three addresses that
unsubscribed from news@ were put back on shop@, the same sending domain, by a later storm);
a report of one account with the master key reads them too (the key reads every account)."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from tests.report.generated import EPOCH, NEWS, STORM_DAY, history, storm_plan
from tests.report.printed import run_printed

pytestmark = [pytest.mark.slow, pytest.mark.invariants, pytest.mark.clock]

OTHER = "other0@example.com"


def _opted_out_elsewhere():
    """The storm account, and another one on whose list 6 of the storm's addresses are
    suppressed by their own wish or by hand (2 unsubscribes months before the storm and 1
    after it, 1 complaint whose row the server no longer lists, 2 added by hand), and 2
    more for a bounce (the other account's servers: not an opt-out). Nobody complained."""
    plan = storm_plan()
    quiet = replace(plan.accounts[0], name=OTHER, storms=(), complaints=0.0, days=65)
    h = history(replace(plan, accounts=(plan.accounts[0], quiet)))
    sup = h.frames["suppressions"]
    day = EPOCH + pd.Timedelta(days=STORM_DAY)
    storm = sup[(sup["account"] == NEWS) & (sup["reason"] == "bounce")]
    storm = storm[pd.to_datetime(storm["suppressed_at"], utc=True).dt.floor("D") == day]
    bounces = h.frames["bounces"]
    once = bounces["email"].value_counts()  # whose only bounce is the storm's: nothing else
    clean = sorted(
        set(storm["email"]) - set(h.frames["complaints"]["email"]) & set(once[once == 1].index)
    )
    chosen, bounced = clean[:6], clean[6:8]
    reasons = ["unsubscribe", "unsubscribe", "unsubscribe", "complaint", "manual", "manual"]
    days = [-90, -20, 2, -40, -5, -200]
    extra = pd.DataFrame(
        {
            "account": OTHER,
            "email": [e.upper() if i % 2 else e for i, e in enumerate(chosen)] + bounced,
            "suppressed_at": [day + pd.Timedelta(days=d) for d in [*days, -3, -3]],
            "reason": [*reasons, "bounce", "bounce"],
        }
    )
    frames = dict(h.frames)
    zone = frames["suppressions"]["suppressed_at"].dt.tz
    extra["suppressed_at"] = extra["suppressed_at"].dt.tz_convert(zone)
    extra = extra.astype(frames["suppressions"].dtypes.to_dict())
    frames["suppressions"] = pd.concat([frames["suppressions"], extra], ignore_index=True)
    return replace(h, frames=frames), dict(zip(chosen, reasons, strict=True)), bounced


def test_an_opt_out_on_another_account_read_keeps_the_address_out_of_the_fix(
    make_emulator, tmp_path
):
    h, chosen, bounced = _opted_out_elsewhere()
    emulator = make_emulator("empty")
    emulator.replay(**h.frames)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _ = build(
            session, tmp_path / "all", h.start, h.end, as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
        spike = next(f for f in evidence.findings if f.kind == "spike" and f.account == NEWS)
        assert spike.fix is not None and len(spike.fix) > 0
        fixed = set(spike.fix["email"].str.lower())
        assert not fixed & set(chosen)
        assert set(bounced) <= fixed  # another account's bounce is its servers' word, not theirs
        said = " ".join(spike.said)  # the master account is read too: 2 others
        theirs = h.frames["suppressions"]
        theirs = theirs[theirs["account"] != NEWS]
        n = theirs.groupby("reason")["email"].agg(lambda e: e.str.lower().nunique())
        assert (
            "Complaints and opt-outs on the 2 other accounts read were looked for too (0 "
            f"addresses complained there; on their lists, {n['unsubscribe']} unsubscribed, "
            f"{n['complaint']} was suppressed for a complaint and {n['manual']} were added by "
            "hand): "
        ) in said, said
        held = re.search(r"; ([\d,]+) of this day's go to review for it\.", said)
        assert held and int(held.group(1).replace(",", "")) >= len(chosen), said
        # The printed fix reads the same lists, and puts back none of them.
        assert "opt_outs=" in spike.code and "{'accounts': 'all'}" in spike.code  # every one
        run = run_printed(spike.code, emulator.url, emulator.master_apikey)
        found = pd.concat([run["clear"], run["later"]])  # type: ignore[list-item]
        assert not set(found["email"].str.lower()) & set(chosen)
        assert set(bounced) <= set(found["email"].str.lower())
        # Its verdicts send each to review, naming the other account and what they did.
        judged = run["fix"]
        assert isinstance(judged, pd.DataFrame)
        for email, reason in chosen.items():
            row = judged[judged["email"].str.lower() == email].iloc[0]
            assert row["verdict"] == "review", row["evidence"]
            what = {"unsubscribe": "unsubscribed", "complaint": "complaint", "manual": "by hand"}
            assert OTHER in row["evidence"] and what[reason] in row["evidence"], row["evidence"]
        one, _ = build(
            session, tmp_path / "one", h.start, h.end, accounts=[NEWS], as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    # A report of one account with the master key still reads every account's opt-outs
    # (issue 33, sixth review, 2): the key reads them, and --accounts narrows the report only.
    alone = next(f for f in one.findings if f.kind == "spike")
    assert "opt-outs on the 2 other accounts read were looked for too" in " ".join(alone.said)
    assert alone.fix is not None and not set(alone.fix["email"].str.lower()) & set(chosen)
