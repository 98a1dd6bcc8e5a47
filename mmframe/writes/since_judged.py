"""What came after a judged frame's evidence was read, checked before an activation sends
anything (sixteenth review, W-16d).

The guide applies a storm's fix in two goes (the rows refused for the sender's sake
later), so a judged frame may be activated days after its complaints and opt-outs were
read. A complaint that arrived since does not show on the list (an address listed for a
bounce keeps that reason: SPEC A10), so the server's reasons cannot tell. The judged
record keeps where each evidence read ended (:func:`mmframe.judged.ends`); before any
write, dry runs included, the complaints and the opt-outs (list rows added for a
complaint, an unsubscribe or by hand) since then are read on the same accounts, and a row
whose address is among them, on any account, is refused: it is judged again on fresh
reads, or let through by ``"keep"`` where the frame shows it so.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial

import pandas as pd

from ..analysis.same_mailbox import in_boxes, mailbox
from ..client import Session
from ..progress import working
from .model import Group, State

#: How many of the refused rows the message names.
NAMED = 5
#: What a row read past this machine's now is said with.
AHEAD_WORDS = ", dated after this machine's now"
#: What an opt-out on the list since is, by its reason.
LISTED_SINCE = {"complaint": "listed for a complaint", "unsubscribe": "unsubscribed",
                "manual": "suppressed by hand"}  # fmt: skip


def refuse_since(
    groups: list[Group],
    ends: dict[str, dict[str, object]],
    session: Session,
    chosen: frozenset[Hashable] = frozenset(),
    cleared: frozenset[Hashable] = frozenset(),
) -> None:
    """``ValueError`` naming every row of ``groups`` (but those ``chosen``) a person asked
    for since the evidence was read (:func:`news` and :func:`joining`, one message);
    refused too, before any read, where the key cannot read the accounts the evidence
    covered (W-17c)."""
    if not ends or not any(row not in chosen for group in groups for row in group.rows):
        return
    _refuse_narrower(ends, session)
    found = news(groups, ends, session, chosen, cleared)
    joined = joining(groups, ends, session, chosen)
    said = ([_message(found, _off_list(groups, found, session))] if len(found) else []) + (
        [_joining(joined)] if joined else []
    )
    if said:
        raise ValueError("\n".join(said))


def news(
    groups: list[Group],
    ends: dict[str, dict[str, object]],
    session: Session,
    chosen: frozenset[Hashable],
    cleared: frozenset[Hashable],
) -> pd.DataFrame:
    """The complaints and opt-outs (:func:`_since`'s columns) of the rows of ``groups``
    (but those ``chosen``), on any account read, since the evidence read ended; for the
    rows the judging ``cleared`` (``reactivate``: none was in its evidence), any complaint
    at all, whatever its time (a report of a complaint reaches the sender late, dated when
    the person complained: seventeenth review, W-17a) and any opt-out (one may reach
    another account's list late, dated in the past: W-20b). Matched by mailbox: another
    spelling (a +tag, Gmail's dots) is the row's (twenty-seventh and -eighth reviews)."""
    rows = [
        (row, key.strip())
        for group in groups
        for row, key in zip(group.rows, group.keys, strict=True)
        if row not in chosen
    ]
    found = _since(ends, session, whole=any(row in cleared for row, _key in rows))
    late = found["late"].to_numpy()
    # By mailbox: a +tag or Gmail's dots reach the row's (twenty-seventh review).
    boxes = mailbox(pd.Series([key for _row, key in rows], dtype=object))
    cleared_boxes = set(boxes[[row in cleared for row, _key in rows]])
    mine = in_boxes(found["email"], set(boxes))
    cleared_mine = mine.copy()  # of the few that are anyone's, those the judging cleared
    cleared_mine[mine] = in_boxes(found["email"][mine], cleared_boxes)
    picked = found[(~late & mine) | (late & cleared_mine)].reset_index(drop=True)
    # Named by every row it refuses, as the frame spells it, the spelling it was made under
    # beside (twenty-ninth review, C1; thirty-second, W1 and C2: one row of a mailbox on two
    # accounts was named, lower-cased, and a frame filtered by the names refused again).
    every: dict[str, list[str]] = {}
    cleared_only: dict[str, list[str]] = {}
    for box, (row, key) in zip(boxes, rows, strict=True):
        every.setdefault(box, []).append(key)
        if row in cleared:
            cleared_only.setdefault(box, []).append(key)
    box_of = mailbox(picked["email"])
    named = [
        sorted(set((cleared_only if is_late else every).get(box, [spelt])))
        for box, is_late, spelt in zip(box_of, picked["late"], picked["email"], strict=True)
    ]
    out = picked.assign(email=pd.Series(named, dtype=object)).explode("email")
    spelt = picked["email"].reindex(out.index).to_numpy()
    out["what"] = [w if e == str(r).lower() else f"{w} as {e}"
                   for w, e, r in zip(out["what"], spelt, out["email"], strict=True)]  # fmt: skip
    refused: pd.DataFrame = out.reset_index(drop=True)
    return refused


def joining(
    groups: list[Group],
    ends: dict[str, dict[str, object]],
    session: Session,
    chosen: frozenset[Hashable],
) -> list[tuple[str, str]]:
    """(address, account) of the rows of ``groups`` (but those ``chosen``) joining the list
    of another account the evidence covered (``pending addition``: a hand add its list
    does not show yet, under a propagation delay, which the opt-outs read since miss:
    twenty-third review, S3), read there by the rows' addresses."""
    from ..loaders.common import readable  # a judged frame's activation only

    found: list[tuple[str, str]] = []
    if readable(session) is None:  # a sub-account key: refused before, W-17c
        return found
    covered = _covered(ends, session)
    for group in groups:
        keys = [k for row, k in zip(group.rows, group.keys, strict=True) if row not in chosen]
        others = sorted(covered - {group.account.lower()} if keys else set())
        # Each account's states at once: a storm's rows on five accounts, one wait.
        states = session.map(partial(_states_on, session, keys), others)
        for account, read in zip(others, states, strict=True):
            said = {k: (s or {}).get("suppression") for k, s in read.items()}
            found += [(k, account) for k in keys if said.get(k.lower()) == "pending addition"]
    return found


def _states_on(session: Session, keys: list[str], account: str) -> dict[str, State | None]:
    from .states import recipient_states

    return recipient_states(session.for_account(account), keys)


def _off_list(groups: list[Group], found: pd.DataFrame, session: Session) -> str:
    """The refused rows no longer on their own account's list (a run before took them off,
    then failed before their recipients were activated: thirtieth review, W1), and how to
    list them again; "" where every one is still listed. Judging anew cannot list them: a
    list read no longer holds them."""
    wanted = {str(e).strip().lower() for e in found["email"]}
    said = []
    for group in groups:
        keys = [k for k in group.keys if k.strip().lower() in wanted]
        if not keys:
            continue
        states = _states_on(session, keys, group.account)
        off = [k for k in keys if (states.get(k.lower()) or {}).get("suppression")
               in ("unsuppressed", "pending removal")]  # fmt: skip
        if off:
            named = ", ".join(off[:NAMED]) + (
                f" (+{len(off) - NAMED:,} more)" if len(off) > NAMED else ""
            )
            said.append(f"no longer on {group.account}'s list: {named}")
    if not said:
        return ""
    return (
        f" First list again those a run before took off their list, as they asked not to "
        f"be mailed: {'; '.join(said)}; frame[frame['email'].isin([...])].mm.suppress()."
    )


def _joining(joining: list[tuple[str, str]]) -> str:
    n = len({k.lower() for k, _a in joining})
    named = "; ".join(f"{k} ({a}: joining)" for k, a in joining[:NAMED])
    more = f" (+{len(joining) - NAMED:,} more)" if len(joining) > NAMED else ""
    return (
        f"activate: {n:,} {'row is' if n == 1 else 'rows are'} joining the suppression "
        f"list of another account the evidence covered (an add its list does not show "
        f"yet: a person asked there): {named}{more}: nothing was sent. Wait until the "
        "lists show the adds, then read the opt-outs again and judge the rows anew"
    )


def _covered(ends: dict[str, dict[str, object]], session: Session) -> set[str]:
    """The accounts the evidence covered (lower-cased; "all": every account the key sees
    now, as the reads since do; None: the key's own)."""
    covered: set[str] = set()
    for end in ends.values():
        named = end.get("accounts")
        if named == "all":
            covered |= {str(a).lower() for a in session.sees(fresh=False) or []}
        elif isinstance(named, list):
            covered |= {str(a).lower() for a in named}
        else:
            covered.add(session.identity().lower())
    return covered


def _refuse_narrower(ends: dict[str, dict[str, object]], session: Session) -> None:
    """``ValueError`` where ``session``'s key is a sub-account's and the evidence covered
    other accounts than its own: what came since on them, it cannot read."""
    from ..loaders.common import readable

    if readable(session) is not None:  # a master key reads every account
        return
    own = session.identity().lower()
    named = [e.get("accounts") for e in ends.values()]
    if any(a == "all" or (isinstance(a, list) and {str(n).lower() for n in a} - {own})
           for a in named):  # fmt: skip
        raise ValueError(
            "activate: this frame was judged on the complaints and opt-outs of other "
            f"accounts than {own}, which this key (a sub-account's) cannot read: what came "
            "since on them cannot be checked: nothing was sent. Activate it with the master "
            "key, which reads them"
        )


def _since(ends: dict[str, dict[str, object]], session: Session, *, whole: bool) -> pd.DataFrame:
    """Every complaint and opt-out since each read's end: ``email`` (lower-cased),
    ``what``, ``account``, ``at`` and ``late`` (dated before that end: read only where
    ``whole``, the whole history; a report of a complaint reaches the sender late, W-17a;
    an opt-out may reach a list late, dated in the past, W-20b)."""
    from ..loaders.events import read_complaints  # a judged frame's activation only
    from ..loaders.suppressions import read_suppressions

    parts = []
    if session.directory.known and any(e.get("accounts") == "all" for e in ends.values()):
        session.account_keys(refresh=True)  # "all": an account made since the judging too
    for kind, end in ends.items():
        after, until = end.get("after"), end.get("until")
        start = after if isinstance(after, str) else None
        stop = until if isinstance(until, str) else None  # a report's moment: None, now
        named = end.get("accounts")
        accounts = [str(a) for a in named] if isinstance(named, list) else named
        accounts = accounts if accounts == "all" or isinstance(accounts, list) else None
        complaints = kind == "complaints"
        read = partial(_read, start=None if whole else start, end=stop,
                       accounts=accounts, session=session)  # fmt: skip
        if complaints:
            rows = read(read_complaints)
            what, at = pd.Series("a complaint", index=rows.index), rows["complained_at"]
        else:
            rows = read(read_suppressions)
            rows = rows[rows["reason"].astype(str).isin(list(LISTED_SINCE)).to_numpy()]
            what, at = rows["reason"].astype(str).map(LISTED_SINCE), rows["suppressed_at"]
        account = rows["account"].astype(str) if "account" in rows.columns else "its account"
        email = rows["email"].astype(str).str.strip().str.lower()
        late = at < pd.Timestamp(start) if start is not None else pd.Series(False, rows.index)
        parts.append(pd.DataFrame(
            {"email": email, "what": what, "account": account, "at": at, "late": late}
        ))  # fmt: skip
    if not any(isinstance(e.get("until"), str) for e in ends.values()):  # not a report's
        parts += [_ahead(kind, {kind: end}, session) for kind, end in ends.items()]
    columns = ["email", "what", "account", "at", "late"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _ahead(kind: str, ends: dict[str, dict[str, object]], session: Session) -> pd.DataFrame:
    """What :func:`mmframe.writes.ahead.ahead` reads of ``kind`` on the accounts ``ends``
    covered, as :func:`_since` gives it (twenty-ninth review, S1)."""
    from .ahead import ahead

    rows = ahead(kind, sorted(_covered(ends, session)), session)
    if kind != "complaints":
        rows = rows[rows["reason"].isin(list(LISTED_SINCE)).to_numpy()]
    what = "a complaint" if kind == "complaints" else rows["reason"].map(LISTED_SINCE)
    what = what + AHEAD_WORDS  # no read that ends now returns it: said (30th review, C1)
    email = rows["email"].str.strip().str.lower()
    return pd.DataFrame({"email": email, "what": what, "account": rows["account"],
                         "at": rows["at"], "late": False})  # fmt: skip


def _read(
    loader: Callable[..., pd.DataFrame],
    *,
    start: str | None,
    end: str | None,
    accounts: list[str] | str | None,
    session: Session,
) -> pd.DataFrame:
    return loader(start, end, accounts=accounts, session=session, progress=working())


def _message(found: pd.DataFrame, first: str = "") -> str:
    """The refusal of ``found``'s rows, ``first`` (what to do before all else) after its
    "nothing was sent"."""
    people = found.drop_duplicates("email")
    n = len(people)
    named = "; ".join(
        f"{email} ({what}, {account}{'' if pd.isna(at) else f', {at:%Y-%m-%d %H:%M} UTC'})"
        for email, what, account, at in people.head(NAMED)[
            ["email", "what", "account", "at"]
        ].itertuples(index=False)
    )
    more = f" (+{n - NAMED:,} more)" if n > NAMED else ""
    ahead = (
        ". A complaint or an opt-out dated after this machine's now is returned by no read "
        "that ends now, so judging again does not see it: leave its row out of the frame "
        "(it stays on the list), or judge once this machine's clock has passed it"
        if people["what"].astype(str).str.contains(AHEAD_WORDS, regex=False).any()
        else ""
    )
    return (
        f"activate: {n:,} {'row' if n == 1 else 'rows'} of this judged frame "
        f"{'has' if n == 1 else 'have'} a complaint or an opt-out that the evidence "
        f"{'it was' if n == 1 else 'they were'} judged on did not hold (made or reported "
        f"since it was read, outside the dates it was read for, under another spelling of "
        f"the address, or on an account made since): {named}{more}: "
        f"nothing was sent.{first} Read the complaints and opt-outs again and judge the rows "
        "anew, "
        "mm.remediation_candidates(rows, bounces=..., complaints=..., opt_outs=...), then "
        f"activate what that clears{ahead}"
    )
