"""The main job: ``mmframe report`` over the embedded emulator's demo seed.

The demo is the report (:func:`mmframe.reporting.build`) with the demo's range and clock, so
the two never drift apart: every finding is computed from what the emulator serves. The
emulator runs as the demo's child process (:mod:`mmframe.child_emulator`), on its own core. With
``apply=True`` it also carries out each fix the report found (journalled, verified) and
reports the before and after.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from .child_emulator import child_emulator
from .out_folder import prepare_folder

if TYPE_CHECKING:
    import pandas as pd

    from .client import Session
    from .reporting import Evidence, Section

#: The demo seed's last day, and the half year before it the demo reports on (its storm
#: on 2026-06-09 and its complaint climb since 2026-05-01 both fall inside).
START, END = "2026-05-01", "2026-10-31"

#: The journals the demo's fixes write into ``out`` (the seed is fixed, and so are its
#: findings; a test holds this to what a run writes): checked before the emulator starts.
JOURNALS = ("fix-news@example.com-2026-06-09.jsonl",)


def run(
    out: Path, *, apply: bool = False, progress: bool | None = None, stream: TextIO = sys.stdout
) -> Path:
    """Run the demo into ``out``; returns the report's path."""
    prepare_folder(out)  # a bad folder fails now, not once the emulator has started
    if apply:  # someone's journal in the way is refused now, not after the seeding and reads
        for name in JOURNALS:
            _check_journal(out / name)
    print("starting the embedded emulator with the demo dataset ...", file=stream, flush=True)
    # The child starts first: the report's imports (pandas, matplotlib: a second or so) are
    # made while it seeds, not before.
    with child_emulator("--seed", "demo", *_kept(), meanwhile=_warm) as (url, key):
        from .client import Session
        from .reporting import build

        # Eight requests at once: the emulator on the other core answers each in about a
        # millisecond, and more threads only contend for this process's interpreter lock
        # (a real server's latency is what the default sixteen are for).
        with Session(url, key, max_workers=8) as s:
            fixes = (lambda evidence: _apply(evidence, s, out, progress, stream)) if apply else None
            _evidence, path = build(
                s, out, START, END, as_of=END, progress=progress, title="mmframe demo report",
                then=fixes, stream=stream, forks=True,
            )  # fmt: skip
    print(f"wrote {path} (and the charts as PNG in {out})", file=stream, flush=True)
    return path


def _kept() -> tuple[str, ...]:
    """The emulator's option that keeps the seeded demo dataset for the next run (seeding
    takes seconds; loading it kept, a tenth of one): the folder ``MMFRAME_SEED_CACHE``
    names, else this user's cache folder; none when it is ``0`` or ``off``."""
    setting = os.environ.get("MMFRAME_SEED_CACHE", "").strip()
    if setting.lower() in {"0", "off", "false", "no"}:
        return ()
    if not setting:
        import platformdirs

        setting = platformdirs.user_cache_dir("mmframe-demo")
    return ("--seed-cache", setting)


def _warm() -> None:
    """While the emulator seeds its data: import what the report and its fixes need, and
    build what their first use builds (the charts' fonts and layouts, the triage's rules),
    which the report would build anyway once it has read, waiting for nothing then."""
    import matplotlib.backends.backend_agg  # noqa: F401  (the charts: their first import costs most)
    import pandas as pd

    from . import client, loaders, writes  # noqa: F401
    from .analysis.triage import triage
    from .reporting.render import charts

    charts([("warm", "a warm-up", _a_chart)], None)
    triage(pd.Series(["550 5.1.1 <someone@example.com>: Recipient address rejected"]))


def _a_chart(ax: Any) -> None:
    """A chart of dates and a legend, as the report's are (a warm-up: drawn, not kept)."""
    import pandas as pd

    ax.plot(pd.to_datetime(["2026-05-01", "2026-10-31"]), [0, 1], label="warm-up")


def _apply(
    evidence: Evidence, s: Session, out: Path, progress: bool | None, stream: TextIO
) -> list[Section]:
    """Carry out every fix the findings hold, verified and journalled; say what changed."""
    from .loaders import read_recipients
    from .progress import bar
    from .reporting import Section
    from .reporting.numbers import count
    from .reporting.render import table
    from .reporting.spike_findings import mark_applied
    from .writes import activate

    sections: list[Section] = []
    for number, finding in enumerate(evidence.findings, start=1):
        if finding.fix is None:
            continue
        rows = finding.fix
        mailbox = s.for_account(finding.account)
        # The journal the finding's printed code names, so running that code skips it all.
        journal = out / (finding.journal or f"remediation-{number}.jsonl")
        _fresh_journal(journal, s.url, stream)
        fix = len(sections) + 1  # fixes are numbered as the page shows them, from 1
        # One bar for the fix, in three parts: its states before, its activation (batches
        # and checks) and its states after.
        with bar(f"fix {fix}: recipients, activation", progress=progress, parts=3) as shown:
            before = read_recipients(rows["email"], session=mailbox, progress=shown)
            # The section reports each row's outcome, failed ones too: the frame, not an error.
            with bar("activation", progress=shown) as activating:
                result = activate(
                    rows, full=True, confirm=True, verify=True, journal=str(journal),
                    session=s, progress=activating, on_error="warn",
                )  # fmt: skip
            after = read_recipients(rows["email"], session=mailbox, progress=shown)
        ok = int((result["status"] == "ok").sum())
        mark_applied(finding, ok, fix)  # the summary above says what was done, not planned
        print(
            f"fix {fix} (finding {number}): {ok} of {len(rows)} rows reactivated",
            file=stream,
            flush=True,
        )
        sections.append(
            Section(
                f"Fix {fix} applied and verified (finding {number}): {finding.title}",
                f"{count(ok)} of {count(len(rows))} rows ok, each re-read afterwards; the "
                f"journal is {journal.name} (next to this report): running the same fix again "
                "skips what it records.",
                table(_before_after(before, after)),
            )
        )
    return sections


#: The hosts the demo's own emulator listens on.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _fresh_journal(journal: Path, ours: str, stream: TextIO) -> None:
    """A journal an earlier demo run left in ``out`` records that run's emulator, gone now
    (each run starts one afresh, on another port): its rows say nothing of this run's, and
    the write refused it, so a second run into one folder always failed. It is replaced,
    and said, only when it is surely such a run's (:func:`_kept_why`); any other is
    someone's record of real writes: refused, naming the file."""
    judged = _kept_why(journal, ours)
    if judged is None:
        return
    if judged[1] is None:
        journal.unlink()
        print(
            f"replacing {journal.name}: it records an earlier demo run, whose emulator is gone",
            file=stream,
            flush=True,
        )
        return
    _check_journal(journal, judged)


def _check_journal(journal: Path, judged: tuple[str, str | None] | None = None) -> None:
    """Refuse ``journal`` if it is someone's (``judged``: as :func:`_kept_why` found it;
    else judged now, before this run's emulator runs: whatever answers is another's)."""
    endpoint, why = judged or _kept_why(journal, None) or ("", None)
    if why is not None:
        raise ValueError(
            f"{journal} records writes to {endpoint or 'an unknown endpoint'}, {why}: give "
            "the demo another --out (it leaves other journals alone)"
        )


def _kept_why(journal: Path, ours: str | None) -> tuple[str, str | None] | None:
    """``journal``'s endpoint and why it is kept; None for why: an earlier demo run's, the
    demo's operation on a loopback endpoint that is this run's (``ours``, its port given
    again) or that no longer answers. Any other (a remote endpoint, a replica still serving
    on loopback, another operation) is kept. None: no journal, or none readable (the write
    itself says what is wrong with it)."""
    from .writes.journal import endpoint_of
    from .writes.operations import REMEDIATE

    try:
        with journal.open("rb") as lines:
            header = json.loads(lines.readline())
    except (OSError, ValueError):
        return None
    said = header if isinstance(header, dict) else {}
    endpoint, operation = str(said.get("endpoint", "")), said.get("operation")
    host, port = _address(endpoint)
    if host not in _LOOPBACK:
        return endpoint, "not an earlier demo's emulator"
    if (ours is None or endpoint != endpoint_of(ours)) and _answers(host, port):
        return endpoint, "which still answers: a server running there, no earlier demo's emulator"
    if operation != REMEDIATE.name:
        return endpoint, f"of {operation!r} (the demo's are {REMEDIATE.name!r}): no demo run's"
    return endpoint, None


def _address(endpoint: str) -> tuple[str, int | None]:
    """An endpoint's host and port (None for none, or one that is no number)."""
    parts = urlsplit(endpoint)
    try:
        return parts.hostname or "", parts.port
    except ValueError:
        return parts.hostname or "", None


def _answers(host: str, port: int | None) -> bool:
    """Whether a server answers at ``host:port`` (loopback: a refusal is immediate). Unsure
    (no port, a timeout) counts as answering: the journal is kept. It is asked to close the
    connection, and read to the end, so that it has let go of it when this returns."""
    if port is None:
        return True
    try:
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.sendall(b"HEAD / HTTP/1.0\r\nConnection: close\r\n\r\n")
            while connection.recv(4096):
                pass
    except ConnectionRefusedError:
        return False
    except OSError:
        pass  # accepted, then reset or silent: something is there
    return True


def _before_after(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Recipients on the list, and active, before and after."""
    import pandas as pd

    from .reporting.numbers import count

    def tally(frame: pd.DataFrame) -> list[str]:
        listed = int((frame["suppression_status"] == "suppressed").sum())
        active = int((frame["status"] == "active").sum())
        return [count(listed), count(active)]

    return pd.DataFrame(
        {
            "recipients": ["on the suppression list", "active recipients"],
            "before": tally(before),
            "after": tally(after),
        }
    )
