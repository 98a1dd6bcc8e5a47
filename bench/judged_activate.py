"""What the checks before a judged frame's activation cost, on the demo's storm.

Run: ``python bench/judged_activate.py``. The emulator runs as its own process with the
``demo`` seed and 5 ms latency per request. The storm of news@example.com on 2026-06-09
is judged on every account's evidence, and the rows it clears are activated as a dry
run two ways, each the best of three runs, taking turns:

1. as judged: the list's current reasons are read, then every complaint of the accounts
   the evidence covered (for the rows it cleared) and the opt-outs since it was read;
2. the same rows with no judging record (``verdicts=("reactivate", "keep")``, as
   ``bench/bulk_activate.py`` runs): the list's reasons only.

Prints the time of (1) over (2): what the checks the judged record asks for add to a
dry run (and, once more, to the real run after it). Not guarded: a figure to watch.
"""

from __future__ import annotations

import warnings

import pandas as pd
from _figures import figure
from _server import configure, emulator_process
from _timing import best_of

import mmframe as mm

LATENCY_MS = 5
NEWS = "news@example.com"
STORM = ("2026-06-09", "2026-06-10")


def judged_storm(session: mm.Session) -> pd.DataFrame:
    """The storm's rows judged ``reactivate`` on every account's whole evidence."""
    every = {"accounts": "all", "session": session, "progress": False}
    rows = mm.read_suppressions(*STORM, accounts=[NEWS], session=session, progress=False)
    judged = mm.remediation_candidates(
        rows,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )
    return judged[judged["verdict"] == "reactivate"]


def main() -> None:
    with emulator_process("--seed", "demo") as (url, key, admin), mm.Session(url, key) as session:
        clear = judged_storm(session)
        plain = pd.DataFrame(clear[["account", "email"]])  # no attrs: never judged
        configure(admin, latency_ms=LATENCY_MS)
        options = {"full": True, "dry_run": True, "session": session, "progress": False}

        def as_judged() -> pd.DataFrame:
            return clear.mm.activate(**options)

        def unjudged() -> pd.DataFrame:
            with warnings.catch_warnings():  # "never judged": on purpose here
                warnings.simplefilter("ignore", mm.EvidenceWarning)
                return plain.mm.activate(
                    kind="suppressions", verdicts=("reactivate", "keep"), **options
                )

        (judged_plan, checked), (plain_plan, bare) = best_of(as_judged, unjudged)
    assert judged_plan["status"].astype(str).eq("planned").all(), "the judged rows go back"
    assert len(judged_plan) == len(plain_plan) == len(clear)
    print(
        f"{len(clear):,} rows judged reactivate at {LATENCY_MS} ms: dry run as judged "
        f"{checked:.2f} s, without the judged record's checks {bare:.2f} s"
    )
    figure("judged activation's dry run, time over one without its checks", checked / bare, 3,
           higher=False)  # fmt: skip


if __name__ == "__main__":
    main()
