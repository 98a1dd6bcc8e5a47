"""Someone who complained to another account the frames hold is not put back on this one
(issue 33, fourth review, A6: 4 addresses that complained to other@ were put back on
shop@, the same sending domain; Gmail and Yahoo count complaints per sending domain)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

ACCOUNTS = ("shop@mixed.example.com", "other@mixed.example.com", "news@else.example.org")
DEFERRAL = (
    "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating "
    "from your IP address; it has been temporarily rate limited."
)


@settings(max_examples=40, deadline=None)  # each example triages a storm
@given(
    where=st.lists(st.sampled_from(ACCOUNTS[1:]), min_size=60, max_size=60),
    complained=st.sets(st.integers(0, 59), max_size=12),
    days_before=st.integers(-200, 30),
    spelled=st.sampled_from(["{e}", "{E}", " {e} "]),
)
def test_a_complaint_on_any_account_read_keeps_the_address_out_of_every_fix(
    where, complained, days_before, spelled
):
    emails = [f"u{i}@gmail.example" for i in range(60)]
    sup = pd.DataFrame({"account": ACCOUNTS[0], "email": emails, "reason": "bounce"})
    sup["suppressed_at"] = pd.Timestamp("2026-09-08T12:00:00Z")
    sup["domain"] = "gmail.example"
    bounces = sup[["account", "email", "domain"]].assign(
        bounced_at=pd.Timestamp("2026-09-08T11:59:00Z"), message=DEFERRAL
    )
    at = pd.Timestamp("2026-09-08T12:00:00Z") - pd.Timedelta(days=days_before)
    complaints = pd.DataFrame(
        {
            "account": [where[i] for i in sorted(complained)],
            "email": [spelled.format(e=emails[i], E=emails[i].upper()) for i in sorted(complained)],
            "complained_at": pd.Series([at] * len(complained), dtype="datetime64[ns, UTC]"),
        }
    )
    out = remediation_candidates(sup, bounces=bounces, complaints=complaints)
    hit = out["email"].isin([emails[i] for i in complained])
    assert (out.loc[~hit, "verdict"] == "reactivate").all()  # the storm alone is put back
    assert not (out.loc[hit, "verdict"] == "reactivate").any()
    for i, row in out[hit].iterrows():
        assert row["verdict"] == "review" and where[i] in row["evidence"], row["evidence"]
