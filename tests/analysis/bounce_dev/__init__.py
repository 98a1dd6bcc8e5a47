"""The development set of real bounce texts: Sisimai's labelled samples (``sisimai.csv``,
see SISIMAI.md and its licence) and the providers' and MTAs' own published words
(``providers.csv``, see PROVIDERS.md and its licences), split by mail-system family into a
``fit`` half (rules are written looking at it) and a ``check`` half (held out: a change
that helps the fit half and hurts the check half is overfitting).

:func:`score` triages the texts and runs one bounce per suppression through
``remediation_candidates``, returning accuracy on the texts whose wording decides the
reason, recall per reason, and what happens to dead addresses and to message-level
refusals. ``bench/triage_accuracy.py`` prints them per half; the tests assert floors.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import mmframe as mm

HERE = Path(__file__).parent
#: Sisimai's families named as the providers' set names them: one system, one half.
_ALIASES = {
    "outlook": "outlookcom",
    "microsoft": "microsoft365",
    "yahooinc": "yahoo",
    "aol": "yahoo",  # Yahoo's mail system serves AOL
    "receivingses": "amazonses",
    "amazonworkmail": "amazonses",
    "googlegroups": "gmail",
    "google": "gmail",
    "ezweb": "kddi",
    "x1": "xn",
    "x2": "xn",
    "x4": "xn",
    "x6": "xn",  # Sisimai's unnamed MTAs: one family
}
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


def family(case_id: str) -> str:
    """A Sisimai sample's mail-system family from its id (``lhost-postfix-12`` -> postfix)."""
    name = re.sub(r"^(?:lhost|rhost)-", "", case_id)
    name = re.sub(r"-\d.*$", "", name)
    return _ALIASES.get(name, name)


def load() -> pd.DataFrame:
    """Both sets, with ``set``, ``family``, ``half`` (fit or check), ``scored`` (the wording
    decides the label) and ``dead`` (the address cannot receive mail)."""
    sisimai = pd.read_csv(HERE / "sisimai.csv", dtype=str, keep_default_na=False)
    sisimai = sisimai.assign(set="sisimai", family=sisimai["id"].map(family))
    providers = pd.read_csv(HERE / "providers.csv", dtype=str, keep_default_na=False)
    providers = providers.assign(set="providers", context_only="false")
    providers["family"] = providers["family"].map(lambda f: _ALIASES.get(f, f))
    cases = pd.concat([sisimai, providers], ignore_index=True)
    cases["scored"] = cases["context_only"] != "true"
    cases["dead"] = cases["hard"] == "true"
    cases["half"] = cases["family"].map(halves(cases["family"]))
    return cases


def halves(families: pd.Series) -> dict[str, str]:
    """Each family's half: the largest first, each to the half with fewer cases so far
    (ties to fit). Deterministic, and no family in both halves."""
    sizes = families.value_counts()
    order = sorted(sizes.index, key=lambda f: (-sizes[f], f))
    held = {"fit": 0, "check": 0}
    out = {}
    for name in order:
        half = "fit" if held["fit"] <= held["check"] else "check"
        out[name] = half
        held[half] += int(sizes[name])
    return out


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
    # The corpus holds bounces alone: no complaint and no opt-out of these addresses.
    none = pd.DataFrame({"email": pd.Series(dtype=str),
                         "complained_at": pd.Series(dtype="datetime64[ns, UTC]")})  # fmt: skip
    with warnings.catch_warnings():  # frames built here, whole by construction
        warnings.simplefilter("ignore", mm.EvidenceWarning)
        judged = mm.remediation_candidates(
            suppressions, bounces=bounces, complaints=none, opt_outs=suppressions
        )
    return judged["verdict"].astype(str).tolist()
