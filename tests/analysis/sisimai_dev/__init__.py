"""Real bounce diagnostics with Sisimai's labels (see README.md here, and its licence).

:func:`score` triages the texts and runs one bounce per suppression through
``remediation_candidates``, returning the figures issue 20 names: accuracy on the texts
whose wording decides the reason, recall per reason, and what happens to dead addresses
and to message-level refusals. ``bench/triage_accuracy.py`` prints them; the tests assert
them as floors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import mmframe as mm

CASES = Path(__file__).with_name("cases.csv")
#: Refusals that say nothing about the address: spam, policy, content, rate, expiry.
MESSAGE_LEVEL = frozenset(
    {
        "spamdetected",
        "virusdetected",
        "policyviolation",
        "contenterror",
        "notcompliantrfc",
        "toomanyconn",
        "speeding",
        "exceedlimit",
        "expired",
        "blocked",
        "badreputation",
        "requireptr",
        "authfailure",
    }
)


def load() -> pd.DataFrame:
    """The cases, with ``scored`` (the wording decides the label) and ``dead`` flags."""
    cases = pd.read_csv(CASES, dtype=str, keep_default_na=False)
    cases["scored"] = cases["context_only"] != "true"
    cases["dead"] = cases["hard"] == "true"
    return cases


@dataclass
class Score:
    """The figures of one run over the cases."""

    cases: pd.DataFrame  # the cases with ``got``, ``right``, ``decided_by`` and ``verdict``
    accuracy: float
    recall: pd.DataFrame  # per Sisimai reason of scored cases: cases, right, recall
    dead: int
    dead_reactivated: int
    dead_kept: int
    message_level: int
    message_level_kept: int


def score(cases: pd.DataFrame | None = None) -> Score:
    """Triage every case and judge one suppression per case with its one bounce."""
    cases = load() if cases is None else cases
    triaged = mm.triage(cases["diagnostic"].rename("message"))
    out = cases.assign(
        got=triaged["reason"].astype(str).to_numpy(),
        decided_by=triaged["decided_by"].astype(str).to_numpy(),
    )
    out["right"] = (out["got"] == out["reason"]) | (out["got"] == out["alt_reason"])
    scored = out[out["scored"]]
    recall = scored.groupby("reason").agg(cases=("right", "size"), right=("right", "sum"))
    recall["recall"] = recall["right"] / recall["cases"]
    out["verdict"] = _verdicts(out)
    dead = out[out["dead"]]
    message = out[out["reason"].isin(MESSAGE_LEVEL) & ~out["dead"]]
    return Score(
        cases=out,
        accuracy=float(scored["right"].mean()),
        recall=recall.sort_values("cases", ascending=False),
        dead=len(dead),
        dead_reactivated=int((dead["verdict"] == "reactivate").sum()),
        dead_kept=int((dead["verdict"] == "keep").sum()),
        message_level=len(message),
        message_level_kept=int((message["verdict"] == "keep").sum()),
    )


def _verdicts(cases: pd.DataFrame) -> list[str]:
    """One suppression per case, at its own domain (no storm), a minute after its bounce."""
    n = len(cases)
    emails = [f"case{i}@d{i}.example" for i in range(n)]
    at = pd.Timestamp("2026-03-01T12:00:00Z")
    suppressions = pd.DataFrame(
        {
            "email": emails,
            "domain": [e.split("@")[1] for e in emails],
            "suppressed_at": pd.Series([at] * n, dtype="datetime64[ns, UTC]"),
            "reason": "bounce",
        }
    )
    bounces = pd.DataFrame(
        {
            "email": emails,
            "domain": suppressions["domain"],
            "bounced_at": pd.Series(
                [at - pd.Timedelta(minutes=1)] * n, dtype="datetime64[ns, UTC]"
            ),
            "message": cases["diagnostic"].to_numpy(),
        }
    )
    judged = mm.remediation_candidates(suppressions, bounces=bounces)
    return judged["verdict"].astype(str).tolist()
