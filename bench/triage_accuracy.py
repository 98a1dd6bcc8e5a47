"""How triage and remediation fare on real bounce texts, on each half of the development set.

Run: ``python bench/triage_accuracy.py`` (from the repository's root) [``--wrong fit``].
The development set (``tests/analysis/bounce_dev``) holds Sisimai's labelled samples and
the providers' and MTAs' own published words, split by mail-system family into a ``fit``
half, which the rules are written against, and a ``check`` half, held out: a rule change
that helps fit and hurts check is overfitting. For each half (and for Sisimai's samples,
the set earlier issues scored) this prints the accuracy on the texts whose wording decides
the reason, recall per reason, and, with one bounce per suppression, how many dead
addresses ``remediation_candidates`` would reactivate or keep and how many message-level
refusals (spam, policy, content, rate, expiry) it would keep.

Targets (issue 30, judged on an independent set of other mail systems): accuracy >= 0.90;
recall >= 0.70 for every reason of 8 or more cases; 0 dead addresses reactivated and
>= 0.97 kept; <= 0.03 of message-level refusals kept; ``--wrong fit`` lists the fit half's
texts triaged wrong (never read the check half's: it is held out).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from tests.analysis.bounce_dev import Score, load, score


def line(name: str, found: Score) -> str:
    scored = found.cases[found.cases["scored"]]
    weak = found.recall[(found.recall["cases"] >= 8) & (found.recall["recall"] < 0.70)]
    return (
        f"{name:>9}: {len(scored):4d} scored, accuracy {found.accuracy:.3f} (target 0.90); "
        f"dead kept {found.dead_kept / max(found.dead, 1):.3f} (0.97), reactivated "
        f"{found.dead_reactivated} (0); message-level kept "
        f"{found.message_level_kept / max(found.message_level, 1):.3f} (0.03); "
        f"reasons of 8+ under 0.70: {list(weak.index)}"
    )


def main() -> None:
    cases = load()
    parts = {
        "fit": cases[cases["half"] == "fit"],
        "check": cases[cases["half"] == "check"],
        "sisimai": cases[cases["set"] == "sisimai"],
        "all": cases,
    }
    found = {name: score(part.reset_index(drop=True)) for name, part in parts.items()}
    for name, result in found.items():
        print(line(name, result))
    table = pd.concat(
        {name: found[name].recall[["cases", "recall"]] for name in ("fit", "check")}, axis=1
    ).fillna(0)
    table = table.sort_values(("check", "cases"), ascending=False)
    print("\nrecall per reason, fit and check halves:")
    print(table.to_string(float_format=lambda x: f"{x:.2f}"))
    print("\ndecided by:", found["all"].cases["decided_by"].value_counts().to_dict())
    if "--wrong" in sys.argv:
        half = sys.argv[sys.argv.index("--wrong") + 1] if len(sys.argv) > 2 else "fit"
        scored = found[half].cases[found[half].cases["scored"]]
        for row in scored[~scored["right"]].itertuples():
            print(
                f"\n[{row.reason}|{row.alt_reason} -> {row.got} by {row.decided_by}] "
                f"({row.family}) {row.diagnostic[:400]}"
            )


if __name__ == "__main__":
    main()
