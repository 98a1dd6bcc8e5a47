"""The second stop of a write, the write plan: which rows to send, to which account, in
batches of how many keys, and which an earlier run's journal already did.

A dry run ends here, each row ``planned`` or ``unchanged`` by the state read now.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from pathlib import Path

import pandas as pd

from ..client import Session
from ..errors import APIError, ConfirmationRequired, InvalidAPIKey, MalformedAnswer
from ..loaders.common import named_rightly
from ..provenance import (
    accounts_read,
    fingerprint,
    named_otherwise,
    own_of,
    reader_of,
    worded,
)
from .journal import Journal, endpoint_of
from .model import Group, Options, RowResult, Rows, Write
from .states import reached


def plan(rows: Rows) -> None:
    """Fill in ``rows.size``, ``rows.journal`` and ``rows.groups``; settle the rows the
    journal holds as done (and, in a dry run, every row).

    Raises :class:`ConfirmationRequired` when the write needs ``confirm=``, and
    ``ValueError`` for a journal of another operation, endpoint, key or account.
    """
    write, options, session = rows.write, rows.options, rows.session
    todo = rows.pending()
    rows.size = options.batch_size or (
        session.transport.max_addresses if write.operation.multi else 1
    )
    if not options.dry_run:
        _confirm(write, options, len(rows.frame), len(todo), rows.size)
    rows.journal = _open_journal(options, session, write)
    groups = _groups(rows, todo, named=rows.journal is not None)
    # The guard reads every row, the journal's done ones too: what it reads decides a row's
    # payload (a bounce row suppress lists again), and the journal holds a row done only
    # for the payload it confirmed (a run with relist=False is no relisting: W-22 SAFETY-2).
    read = write.guard(groups) if write.guard is not None else None
    if rows.journal is not None:
        done = _still_done(_done_before(rows.journal, groups), groups, write)
        rows.settle(done)
        groups = [group.keep(lambda row: row not in done) for group in groups]
    rows.groups = groups
    if options.dry_run:
        rows.settle(
            {
                row: RowResult("unchanged" if ok else "planned")
                for row, ok in reached(groups, write, read).items()
            }
        )


def _open_journal(options: Options, session: Session, write: Write) -> Journal | None:
    """The call's journal; a dry run reads an existing one and makes none."""
    if not options.journal or (options.dry_run and not Path(options.journal).exists()):
        return None
    url, apikey = session.credentials()
    return Journal(Path(options.journal), write.operation.name, endpoint_of(url), apikey)


def _groups(rows: Rows, todo: list[Hashable], *, named: bool) -> list[Group]:
    """Rows per target account; ``named``: learn the session's own username (journals)."""
    frame, write, session = rows.frame, rows.write, rows.session
    chosen = frame[frame.index.isin(todo)] if len(todo) > 100 else frame.loc[todo]
    payloads = write.payloads(chosen) if write.payloads is not None else [{}] * len(chosen)
    keys = chosen[write.key].astype(str).to_numpy(dtype=object).tolist()
    named_rightly(session)  # a master key named otherwise: refused (W-20c)
    if "account" not in frame.columns:
        read_for = _read_for(frame)
        if read_for is None and reader_of(frame) != fingerprint(session):
            read_for = own_of(frame)  # its key's own, named by a master's list (W-19c)
        if read_for is not None:  # one other account's rows, the column dropped: go there
            target = _acting_as(session, read_for)
            return [Group(read_for.lower(), target, list(chosen.index), keys, list(payloads))]
        _refuse_another_key(frame, session)
        own = session.identity() if named else (session.username or "").lower()
        return [Group(own, session, list(chosen.index), keys, list(payloads))]
    _refuse_worded(frame, session)
    _read_list_again(session)
    groups: dict[str, Group] = {}
    for row, key, payload, account in zip(
        chosen.index, keys, payloads, chosen["account"], strict=True
    ):
        label = str(account).lower()
        if label not in groups:
            groups[label] = Group(label, _acting_as(session, str(account), frame))
        group = groups[label]
        group.rows.append(row)
        group.keys.append(key)
        group.payloads.append(payload)
    return list(groups.values())


def _acting_as(session: Session, account: str, frame: pd.DataFrame | None = None) -> Session:
    """``session`` acting as ``account``; ``ValueError`` where its key cannot (a sub-account
    key for another account: W-16f), or where only its ``username=`` says it is
    ``account``'s, on rows it did not read (eighteenth review, W-18a), before any write."""
    try:
        target = session.for_account(account)
    except InvalidAPIKey:
        whose = (
            f"its key is {session.username}'s, a sub-account's, which cannot act for another"
            if session.listed
            else "its key is a sub-account's, and the API tells such a key no name, so it "
            "may be any account's (a frame read with this key is written with it)"
        )
        raise ValueError(
            f"rows of {account} cannot be written with this session: {whose}: nothing was "
            f"sent. Write them with the master's session, which takes {account}'s key from "
            "its list"
        ) from None
    read_here = frame is not None and reader_of(frame) == fingerprint(session)
    if target is session and not read_here and (why := named_otherwise(session)):
        raise ValueError(
            f"rows of {account} would be written with this session because its username= "
            f"says {account}, but {why}: they may go to another account's list, so nothing "
            "was sent. Write them with the master's session, which takes each account's "
            "key from its list, or drop the 'account' column to write to this key's own "
            "account, whichever it is"
        )
    return target


def _read_list_again(session: Session) -> None:
    """A master's account list read again before rows are written by account: a key
    another client rotated since is taken up (nineteenth review, W-19b)."""
    try:
        session.sees(fresh=True)
    except (APIError, MalformedAnswer):  # no list to read: each write says what failed
        return


def _refuse_worded(frame: pd.DataFrame, session: Session) -> None:
    """``ValueError`` for a frame whose ``account`` column is a sub-account key's
    ``username=`` (the API confirms no such name), written with another key: its rows are
    that key's own account's, whatever the column says (W-18a)."""
    if worded(frame) and reader_of(frame) != fingerprint(session):
        raise ValueError(
            "this frame was read with a sub-account key whose account name is its username=, "
            "which the API cannot confirm: its 'account' column may not be where its rows "
            "are, so nothing was sent. Write it with the session that read it, or read it "
            "with the master key and accounts=[...]"
        )


def _read_for(frame: pd.DataFrame) -> str | None:
    """The one account a frame without an ``account`` column was read for, as its attrs
    record it (None: no record, or the key's own account's read): its rows are that
    account's, not the key's own (``day[["email"]]`` of news@'s rows read with the master
    key: fifteenth review, W-15b). ``ValueError`` for a read of several accounts, whose
    rows nothing tells apart any more."""
    named = accounts_read(frame)
    if len(named) > 1:
        shown = ", ".join(named[:4]) + (f" and {len(named) - 4:,} more" if len(named) > 4 else "")
        raise ValueError(
            f"this frame was read across accounts ({shown}) but has no 'account' column, so "
            "nothing tells which account each row is of: nothing was sent. Keep the column "
            '(frame[["account", "email"]]), or read each account on its own'
        )
    return named[0] if named else None


def _refuse_another_key(frame: pd.DataFrame, session: Session) -> None:
    """``ValueError`` for a frame without an ``account`` column read for its key's own
    account with another key, or at another server, than ``session``'s: its rows are that
    key's account's, and ``session`` would write them to its own (a sub-account key's read
    written with the master's session: sixteenth review, W-16a)."""
    reader = reader_of(frame)
    if reader is None or reader == fingerprint(session):
        return
    raise ValueError(
        "this frame was read with another API key (or at another server) than this "
        "session's, for that key's own account, and has no 'account' column: its rows are "
        "that account's, and this session would write them to its own: nothing was sent. "
        "Write it with the session that read it (session=...), or read it with the master "
        "key and accounts=[...], so that each row names its account"
    )


def _confirm(write: Write, options: Options, frame_rows: int, count: int, size: int) -> None:
    """``ConfirmationRequired`` for a delete, or more than ``confirm_threshold`` rows,
    without ``confirm=True`` or ``confirm=`` the frame's or the write's row count."""
    if not (write.destructive or count > options.confirm_threshold):
        return
    if options.confirm is True or (
        not isinstance(options.confirm, bool) and options.confirm in (frame_rows, count)
    ):
        return
    summary = {
        "operation": write.operation.name,
        "rows": count,
        "frame_rows": frame_rows,
        "requests": math.ceil(count / size) if count else 0,
        "destructive": write.destructive,
    }
    why = (
        "deletes always need"
        if write.destructive
        else (f"more than confirm_threshold={options.confirm_threshold} rows need")
    )
    raise ConfirmationRequired(
        f"{write.operation.name} of {count} row(s): {why} confirm=True or confirm={frame_rows}",
        summary=summary,
    )


def _done_before(journal: Journal, groups: list[Group]) -> dict[Hashable, RowResult]:
    """Rows the journal holds as done for this exact target and payload; ``ValueError``
    when it holds other accounts' rows only."""
    done = journal.done()
    journal.check_accounts({group.account for group in groups if group.keys}, done)
    digests: dict[int, str] = {}  # rows share payload objects: digest each once
    found = {}
    for group in groups:
        for row, key, payload in zip(group.rows, group.keys, group.payloads, strict=True):
            digest = digests.get(id(payload))
            if digest is None:
                digest = digests[id(payload)] = journal.digest(payload)
            if (group.account, key.lower(), digest) in done:
                found[row] = RowResult("skipped", "done in an earlier run (journal)")
    return found


def _still_done(
    found: dict[Hashable, RowResult], groups: list[Group], write: Write
) -> dict[Hashable, RowResult]:
    """The journal's done rows, each checked against the server's state now (one read a
    batch): a row the server does not show done fails, loudly, and is not sent again."""
    if not found:
        return found
    done = [group.keep(found.__contains__) for group in groups]
    for row, ok in reached(done, write).items():
        if not ok:
            found[row] = RowResult(
                "failed",
                "the journal says an earlier run did this, but the server does not show it "
                "(another server at this address, or undone since): not sent again; a new "
                "journal file sends it",
            )
    return found
