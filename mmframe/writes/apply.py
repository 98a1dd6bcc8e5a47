"""The one path every bulk write takes, from a frame to a result frame, in four stops:

1. :func:`~mmframe.writes.validate.validate`: the frame and its rows, before any request;
2. :func:`~mmframe.writes.plan.plan`: confirmation, the accounts, the batch size, the
   journal's done rows (a dry run ends here, each row ``planned`` or ``unchanged``);
3. :func:`~mmframe.writes.run.run`: the batches, 452 splits, the journal's records;
4. :func:`~mmframe.writes.verify.verify` (``verify=``): the state read again.

Every row of a write has an identity: the operation, the account it goes to, its natural
key (an address or a username, compared case-insensitively) and the payload sent for it.
The same identity serves validation (duplicates: the later row is skipped, and is the one
not sent), dry runs and ``verify=`` (has the server reached the payload's state?), and the
journal (a row is done only when that exact payload was confirmed for that target).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pandas as pd

from .. import schema
from ..errors import BatchWriteError, BatchWriteWarning, warn
from ..judged import FIELD
from ..progress import Bar, at_work, bar, falter
from ..provenance import FIELD as READER
from .model import Options, Rows, Write
from .plan import plan
from .run import run
from .validate import require_columns, validate
from .verify import verify

#: What a write's bar is named for: the API's word (an activation, however it is sent).
_SAID = {"unsuppress": "activate", "remediate": "activate", "reactivate": "activate"}


def execute(frame: pd.DataFrame, write: Write, options: Options) -> pd.DataFrame:
    """Validate, plan or apply ``write`` on ``frame``'s rows; one result row per input row.

    One bar for the whole write, in parts: the plan's reads (the states, and what a judged
    frame is checked against), the batches, and the read back.
    """
    rows = validate(frame, write, options)
    # Rows sent in two steps are read back always.
    verifying = not options.dry_run and (options.verify or write.operation.first is not None)
    parts = 1 if options.dry_run else 3 if verifying else 2
    name = _SAID.get(write.operation.name, write.operation.name)
    with bar(name, progress=options.progress, parts=parts) as shown:
        with _part(rows, shown):
            plan(rows)
        if options.dry_run:
            return _stamp(rows)
        rows.options = replace(rows.options, progress=shown)
        run(rows)
        if verifying:
            with _part(rows, shown):
                verify(rows, every=options.verify)
        result = _stamp(rows)
        if (result["status"] == "failed").any():
            falter(shown)  # its bar is not drawn full
        return _finish(result, options)


@contextmanager
def _part(rows: Rows, shown: Bar) -> Iterator[None]:
    """The block's reads (and bars) fill one part of the write's bar ``shown``."""
    with bar("", progress=shown) as part, at_work(part):
        rows.options = replace(rows.options, progress=part)
        yield


#: What a result keeps of its input's record: how its rows were read (and by which key)
#: and judged. A dry run's planned rows are activated as the judged frame's (thirty-third
#: review, W1: without the record they were refused as a frame that lost it, and a user
#: who dropped the judged columns to get past that activated them unchecked, S-a).
_KEPT = ("accounts", "seen", "sub_key", "own", READER, FIELD)


def _stamp(rows: Rows) -> pd.DataFrame:
    """The result, its attrs saying what it is a result of, and keeping the input's record
    of how its rows were read and judged (:data:`_KEPT`)."""
    meta = rows.frame.attrs.get(schema.ATTRS_KEY)
    of = meta.get("of", meta.get("kind")) if isinstance(meta, dict) else None
    kept = {k: v for k, v in meta.items() if k in _KEPT} if isinstance(meta, dict) else {}
    rows.result.attrs = {
        schema.ATTRS_KEY: {
            **kept,
            "kind": "write_result",
            "of": of,  # the input's kind, so a result can be written again
            "operation": rows.write.operation.name,
            "dry_run": rows.options.dry_run,
        }
    }
    return rows.result


def _finish(result: pd.DataFrame, options: Options) -> pd.DataFrame:
    failures = result[result["status"] == "failed"]
    if not len(failures):
        return result
    message = f"{len(failures)} of {len(result)} row(s) failed (see the result's error column)"
    if options.on_error == "raise":
        raise BatchWriteError(message, failures=failures, result=result)
    warn(BatchWriteWarning(message, failures))
    return result


def summary(result: pd.DataFrame) -> pd.Series:
    """Rows per status of a write result (ok, failed, unchanged, planned, skipped).

    Parameters
    ----------
    result
        A write result (any frame with a ``status`` column).

    Returns
    -------
    pandas.Series
        ``rows`` (``Int64``) per status, every status listed, in that order.
    """
    require_columns(result, ["status"])
    order = ["ok", "failed", "unchanged", "planned", "skipped"]
    counts = result["status"].value_counts()
    return pd.Series({s: int(counts.get(s, 0)) for s in order}, name="rows", dtype="Int64")
