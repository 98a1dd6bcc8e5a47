"""How triage and remediation fare on real bounce texts labelled by Sisimai.

Run: ``python bench/triage_accuracy.py`` (from the repository's root). The 291 texts of
``tests/analysis/sisimai_dev`` come from 41 mail systems; this prints the accuracy on the
texts whose wording decides the reason (Sisimai's label, or a later release's), recall
per reason, and, with one bounce per suppression, how many dead addresses (Sisimai's hard
bounces) ``remediation_candidates`` would reactivate or keep, and how many message-level
refusals (spam, policy, content, rate, expiry) it would keep.

Targets (issue 20): accuracy >= 0.90; recall >= 0.70 for every reason of 8 or more cases;
0 dead addresses reactivated and >= 0.95 of them kept; <= 0.05 of message-level refusals
kept. ``--wrong`` lists the texts triaged wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.analysis.sisimai_dev import score


def main() -> None:
    found = score()
    scored = found.cases[found.cases["scored"]]
    print(f"texts: {len(found.cases)}, scored (wording decides): {len(scored)}")
    print(f"accuracy: {found.accuracy:.3f} (target >= 0.90)")
    print("recall per reason (cases, right, recall):")
    print(found.recall.to_string(float_format=lambda x: f"{x:.2f}"))
    weak = found.recall[(found.recall["cases"] >= 8) & (found.recall["recall"] < 0.70)]
    print(f"reasons of 8+ cases under 0.70 recall: {len(weak)} {list(weak.index)}")
    print(
        f"dead addresses: {found.dead}, reactivated: {found.dead_reactivated} (target 0), "
        f"kept: {found.dead_kept / found.dead:.3f} (target >= 0.95)"
    )
    print(
        f"message-level refusals: {found.message_level}, kept: "
        f"{found.message_level_kept / found.message_level:.3f} (target <= 0.05)"
    )
    print("decided by:", found.cases["decided_by"].value_counts().to_dict())
    if "--wrong" in sys.argv:
        wrong = scored[~scored["right"]]
        for row in wrong.itertuples():
            print(f"\n[{row.reason} -> {row.got} by {row.decided_by}] {row.diagnostic[:400]}")


if __name__ == "__main__":
    main()
