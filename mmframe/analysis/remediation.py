"""Remediation candidates: each suppression joined to the event that caused it, with a verdict.

The policy, safe by construction (a dead address reactivated costs the sender's reputation;
a live one left suppressed costs one recipient):

- ``keep``: the address itself cannot receive mail (an unknown user or domain, a mailbox
  moved or disabled, a domain that takes no mail), whatever the reply class: a Postfix
  ``450 4.1.1 ... User unknown`` is still a dead address. Also a complaint (an address
  that reported spam is kept whatever bounced later), an unsubscribe, an address added by
  hand;
- ``reactivate``: positive evidence that the cause passes: a 4xx reply class, or a reason
  that passes with time (a full mailbox, a rate limit, a queue expiry, a network or system
  failure) named in words, not by a 5xx code alone (servers give codes meanings of their
  own: Microsoft's ``550 5.4.1`` is an address rejected, RFC 3463's "no answer"). Also
  a refusal in a storm (many at one domain on one day, at least ``storm_size``) that names
  its cause in words (or under a 4xx reply) and says nothing about the address: the storm
  rule never lifts an address-level bounce, nor one whose text gives only a 5xx code;
- ``review``: anything else (a permanent policy or spam refusal outside a storm, a text
  with no code and no known phrase, a suppression whose cause cannot be found).

Then what keeps an address whatever that bounce said (:mod:`.never_back`), on everything
given, at any time: a complaint; an address-level bounce; the frame's own unsubscribe or
complaint row of the address; an opt-out (an unsubscribe, a complaint, an address added by
hand) on the account's whole suppression list; and a later refusal that does not pass, or
a complaint, an opt-out, a dead mailbox or a bounce the API called hard in words naming
no cause that passes on another account of the frames, which make a ``reactivate`` a
``review``.

Events are matched to suppressions by address (trimmed, without case), and by account when
the frames carry an ``account`` column; times are compared in UTC (naive times are taken
as UTC).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import judged, schema
from ..provenance import accounts_read
from . import never_back
from .dead_as_another import dead_as_another
from .evidence_addresses import as_held
from .evidence_gaps import READS, ends_of, warn_unseen, withhold_incomplete
from .same_mailbox import asked_as_another, in_boxes, mailbox
from .triage import ADDRESS_REASONS, TRIAGE_COLUMNS, triage
from .verdicts import Verdicts, key

VERDICT = pd.CategoricalDtype(["keep", "reactivate", "review"])
#: How far before a suppression its cause is looked for.
WINDOW = pd.Timedelta(days=7)
ADDED = ("verdict", "cause", "evidence", "smtp_status", "event_at", "storm")
#: The bounce columns a verdict reads (triaged here when the triage columns are missing).
_BOUNCE_FIELDS = ["reason", "status", "reply", "evidence", "decided_by", "message", "domain"]


def _in_utc(frame: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """``frame`` with ``column`` as UTC times (naive ones taken as UTC), or ``TypeError``."""
    if column not in frame.columns:
        raise KeyError(f"{name} needs a {column!r} column (mm.read_{name} gives it)")
    values = frame[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        raise TypeError(
            f"{name}[{column!r}] must hold times (datetime64), not {values.dtype}: "
            f"convert it with pd.to_datetime(..., utc=True)"
        )
    if str(values.dtype) == schema.TIME:
        return frame
    moments = values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")
    return frame.assign(**{column: moments.astype(schema.TIME)})


def _read_for(name: str, frame: pd.DataFrame) -> str | None:
    """The one account a loader's frame without ``account`` was read for (its attrs say),
    else None; ``ValueError`` for a frame read across accounts that lost that column."""
    named = accounts_read(frame)
    if len(named) > 1:
        raise ValueError(
            f"{name} was read across accounts ({', '.join(named[:4])}) but has no 'account' "
            "column: keep it, so each event is matched to its own account's rows"
        )
    return named[0] if named else None


def _unlabelled(name: str, having: list[str]) -> str:
    """Why a frame without ``account`` beside frames with one is refused, and the read that
    mends it: never "add the column" nor "the same accounts=", which would mislabel, or
    lose, the other accounts' complaints, opt-outs and dead mailboxes."""
    fix = (
        "read it with accounts=[...], the accounts to judge"
        if name == "suppressions"
        else f"read it on every account the key sees, {name}={READS[name]} (the "
        "session= of the other reads too), which gives the column and every account's "
        "complaints, opt-outs and dead mailboxes"
    )
    return (
        f"{name} has no 'account' column but {', '.join(having)} has one, so its rows "
        f"cannot be matched to their accounts' rows: {fix}"
    )


def _by_account(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether events are matched by account too; ``ValueError`` where that is ambiguous.

    Frames that all carry ``account`` match by it, and so do frames that all lack it (one
    account's reads). Where some carry it, a frame without it takes the account its attrs
    say it was read for (a loader's frame does), or the call is refused: guessing would
    let another account's event decide a verdict.
    """
    having = [name for name, f in frames.items() if "account" in f.columns]
    owners = {n: _read_for(n, f) for n, f in frames.items() if "account" not in f.columns}
    if not having:
        return False
    for name, frame in frames.items():
        if "account" in frame.columns:
            continue
        owner = owners[name]
        if owner is None:
            raise ValueError(_unlabelled(name, having))
        frames[name] = frame.assign(account=owner)
    return True


def _latest_before(
    sup: pd.DataFrame,
    events: pd.DataFrame,
    time: str,
    columns: list[str],
    *,
    by_account: bool,
    window: pd.Timedelta | None = WINDOW,
) -> pd.DataFrame:
    """For each suppression, the latest event of the same key at or before its time (within
    ``window``), as ``columns`` and ``event_at`` (missing where none), in ``sup``'s order."""
    lhs = pd.DataFrame(
        {"key": key(sup, by_account).to_numpy(), "at": sup["suppressed_at"].to_numpy()}
    )
    lhs["row"] = range(len(sup))
    rhs = pd.DataFrame({"key": key(events, by_account).to_numpy(), "at": events[time].to_numpy()})
    for column in columns:
        rhs[column] = events[column].to_numpy()
    rhs["event_at"] = events[time].to_numpy()
    joined = pd.merge_asof(
        lhs.dropna(subset=["at"]).sort_values("at"),
        rhs.dropna(subset=["at"]).sort_values("at"),
        on="at",
        by="key",
        direction="backward",
        tolerance=window,
    ).set_index("row")
    joined = joined.reindex(range(len(sup)))
    joined["event_at"] = pd.to_datetime(joined["event_at"], utc=True)
    return joined


def _fixed_reasons(found: Verdicts, reason: np.ndarray) -> None:
    """Suppressions whose reason decides alone: unsubscribes, addresses added by hand."""
    found.set(reason == "unsubscribe", "keep", "unsubscribe", "the recipient unsubscribed")
    found.set(reason == "manual", "keep", "manual", "added by hand")
    found.set(reason == "complaint", "keep", "complaint", "the recipient reported spam")


def _bounced(
    found: Verdicts,
    sup: pd.DataFrame,
    triaged: pd.DataFrame,
    *,
    by_account: bool,
    storm_size: int,
) -> None:
    """Judge each bounce suppression by the latest bounce before it (see the module)."""
    hit = _latest_before(sup, triaged, "bounced_at", _BOUNCE_FIELDS, by_account=by_account)
    mask = (sup["reason"].astype(str) == "bounce").to_numpy() & hit["event_at"].notna().to_numpy()
    why = hit["reason"].astype(object).fillna("undefined").to_numpy()
    decided = hit["decided_by"].astype(object).fillna("none").to_numpy()
    address = np.isin(why, list(ADDRESS_REASONS))
    passes = never_back.passes(hit)
    text = hit["message"].astype(object).fillna("").astype(str).str.slice(0, 200)
    words = "'" + hit["evidence"].astype(object).fillna("").astype(str) + "' in: " + text
    found.cause[mask] = why[mask]
    found.evidence[mask] = words.to_numpy()[mask]
    found.evidence[mask & (decided == "none")] = (
        "the server gave no code and no known reason in: " + text
    ).to_numpy()[mask & (decided == "none")]
    found.status[mask] = hit.loc[mask, "status"].astype(object).to_numpy()
    found.when(mask, hit.loc[mask, "event_at"])
    found.verdict[mask & address] = "keep"
    found.verdict[mask & ~address & passes] = "reactivate"
    said = (decided == "phrase") | never_back.deferred(hit)  # a 5xx code alone says too little
    _storms(found, sup, hit, mask & ~address & said, storm_size)


def _storms(
    found: Verdicts, sup: pd.DataFrame, hit: pd.DataFrame, candidate: np.ndarray, size: int
) -> None:
    """A storm: many refusals at one domain in one day that say nothing of the address."""
    account = sup["account"].astype(str).to_numpy() if "account" in sup.columns else ""
    group = (
        pd.Series(account, index=range(len(sup))).astype(str)
        + "|" + hit["domain"].astype(str)
        + "|" + hit["event_at"].dt.floor("D").astype(str)
    )  # fmt: skip
    sizes = group[candidate].value_counts()
    stormy = candidate & (group.map(sizes).fillna(0).to_numpy() >= size)
    found.storm[stormy] = True
    found.verdict[stormy] = "reactivate"
    found.evidence[stormy] = (
        "storm of " + group[stormy].map(sizes).astype(str) + " at "
        + hit.loc[stormy, "domain"].astype(str) + "; " + found.evidence[stormy]
    ).to_numpy()  # fmt: skip


def _check(
    suppressions: pd.DataFrame, given: dict[str, pd.DataFrame | None], storm_size: int
) -> None:
    """``ValueError``, ``TypeError`` or ``KeyError`` for input that cannot be judged."""
    lists = {"suppressions": suppressions, "opt_outs": given["opt_outs"]}
    for called, what in lists.items():
        for name in ("email", "suppressed_at", "reason"):
            if isinstance(what, pd.DataFrame) and name not in what.columns:
                raise KeyError(f"{called} needs a column {name!r} (read_suppressions gives it)")
    if isinstance(storm_size, bool) or not isinstance(storm_size, int) or storm_size < 2:
        raise ValueError(f"storm_size must be an integer of at least 2, not {storm_size!r}")
    for name, frame in given.items():
        if frame is not None and not isinstance(frame, pd.DataFrame):
            read = "suppressions" if name == "opt_outs" else name
            raise TypeError(f"{name} must be a frame (mm.read_{read}), not {type(frame).__name__}")
    clash = [c for c in ADDED if c in suppressions.columns]
    if clash:
        raise ValueError(
            f"suppressions already has {clash}: pass the frame read_suppressions gives"
        )


def _frames_in_utc(
    suppressions: pd.DataFrame, given: dict[str, pd.DataFrame | None]
) -> dict[str, pd.DataFrame]:
    """The frames given, their times in UTC (the suppression lists on a fresh index)."""
    frames = {
        "suppressions": _in_utc(
            suppressions.reset_index(drop=True), "suppressed_at", "suppressions"
        )
    }
    times = {"bounces": "bounced_at", "complaints": "complained_at", "opt_outs": "suppressed_at"}
    for name, frame in given.items():
        if frame is not None:
            fresh = frame.reset_index(drop=True) if name == "opt_outs" else frame
            frames[name] = _in_utc(fresh, times[name], name)
    return frames


def remediation_candidates(
    suppressions: pd.DataFrame,
    *,
    bounces: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
    opt_outs: pd.DataFrame | None = None,
    storm_size: int = 50,
) -> pd.DataFrame:
    """Which suppressed recipients to reactivate, with the evidence for each verdict.

    Parameters
    ----------
    suppressions
        A suppressions frame (:func:`mmframe.read_suppressions`; with ``account`` when the
        events are read with ``accounts=``).
    bounces, complaints
        Every bounce and complaint, read with ``start=None`` (a shorter read misses an older
        complaint or dead mailbox) and ``accounts="all"``: a complaint to another account,
        or a bounce there that calls the mailbox dead or that the API called hard in words
        naming no cause that passes, sends a row to ``review``. Bounces are triaged here
        unless they carry the triage columns.
    opt_outs
        The whole suppression lists of those accounts (``start=None, end=None``): an
        opt-out (an unsubscribe, a complaint, an address added by hand) of the row's own
        account keeps it; another account's, or another spelling's, sends it to ``review``.
    storm_size
        A storm: at least this many bounce suppressions of one account at one recipient
        domain on one day, most of them for reasons that say nothing about the address.

    Returns
    -------
    pandas.DataFrame
        ``suppressions`` (same index, columns and ``attrs``, so ``.mm.activate()`` takes
        it, filtered to ``verdict == "reactivate"``; the attrs record the rows held back
        and those the evidence condemns: ``mmframe.judged``) plus ``verdict`` (keep /
        reactivate / review), ``cause`` (Sisimai's reason of the bounce, complaint,
        unsubscribe, manual, unknown, ``incomplete``, ``unread``: words triage does not
        read; what condemns the address wherever found: also ``hardbounced``,
        ``hardelsewhere``, ``mixedstatus``: a dead-mailbox status beside other words,
        ``samemailbox``), ``evidence`` (what decided), ``smtp_status``, ``event_at``, ``storm``.

    Raises
    ------
    KeyError, TypeError
        A frame lacks a column, or its times are not times.
    ValueError
        Events span accounts that a frame without ``account`` cannot tell apart.

    Warns
    -----
    EvidenceWarning
        Rows judged ``reactivate`` without ``complaints`` or ``opt_outs``, or on a frame read
        from a start, for fewer accounts than the key sees or with no loader record (coverage
        unknown); an evidence frame read incomplete: no row is ``reactivate`` (``review``).
    """
    given = {"bounces": bounces, "complaints": complaints, "opt_outs": opt_outs}
    _check(suppressions, given, storm_size)
    frames = _with_domain(as_held(_frames_in_utc(suppressions, given)))  # "<a@b>" is a@b
    found = withhold_incomplete(given, _judged(frames, storm_size))  # clears nobody
    return warn_unseen(given, _attach(suppressions, found, given))  # what was not read, said


def _with_domain(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with a bounces frame built by hand without ``domain`` given its
    addresses' (a bare ``KeyError`` came from deep inside: thirty-second review, M1)."""
    bounces = frames.get("bounces")
    if bounces is None or "domain" in bounces.columns or "email" not in bounces.columns:
        return frames
    text = bounces["email"].astype(str).str.strip().str.lower()
    domain = text.str.rpartition("@")[2] if len(text) else text
    return {**frames, "bounces": bounces.assign(domain=domain)}


def _judged(frames: dict[str, pd.DataFrame], storm_size: int) -> Verdicts:
    """Every rule, in order, on the frames given (see the module)."""
    by_account = _by_account(frames)  # may give an account-less frame its account
    frames = _about_these(frames)
    sup = frames["suppressions"]
    missing = "no bounce found in the 7 days before" if "bounces" in frames else (
        "no bounces given: pass bounces= to judge it"
    )  # fmt: skip
    found = Verdicts.start(len(sup), missing)
    _fixed_reasons(found, sup["reason"].astype(str).to_numpy())
    if len(frames.get("bounces", ())):
        triaged = _triaged(frames["bounces"])
        _bounced(found, sup, triaged, by_account=by_account, storm_size=storm_size)
        never_back.bounced_since(found, sup, triaged, by_account)
    never_back.listed_as_unwanted(found, sup, by_account)
    if len(frames.get("complaints", ())):
        never_back.complained(found, sup, frames["complaints"], by_account)
        never_back.complained_elsewhere(found, sup, frames["complaints"])
    if len(frames.get("opt_outs", ())):
        never_back.opted_out(found, sup, frames["opt_outs"], by_account)
    none = pd.DataFrame()
    asked_as_another(found, sup, frames.get("complaints", none), frames.get("opt_outs", none),
                     never_back.CONDEMNING)  # fmt: skip
    if len(frames.get("bounces", ())):
        dead_as_another(found, sup, triaged, never_back.CONDEMNING)
    return found


def _about_these(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The evidence frames cut to the rows about the suppressions' addresses (trimmed and
    without case, as every rule matches them): every rule is about one address, so the
    rest decides nothing, and the report passes every account's whole history (a day's
    400 addresses against 100,000 bounces and 150,000 suppressions); another spelling
    of one of their mailboxes too (:mod:`.same_mailbox`)."""
    boxes = set(mailbox(frames["suppressions"]["email"]))
    out = {"suppressions": frames["suppressions"]}
    for name, frame in frames.items():
        if name != "suppressions":
            out[name] = frame[in_boxes(frame["email"], boxes)]
    return out


def _triaged(bounces: pd.DataFrame) -> pd.DataFrame:
    """``bounces`` with the triage columns: as given when every row has them (the report
    triages once), else triaged afresh (a frame triaged in part hides its other rows)."""
    present = [c for c in TRIAGE_COLUMNS if c in bounces.columns]
    if len(present) == len(TRIAGE_COLUMNS) and not bounces["reason"].isna().any():
        return bounces
    return triage(bounces.drop(columns=present))


def _attach(
    suppressions: pd.DataFrame, found: Verdicts, given: dict[str, pd.DataFrame | None]
) -> pd.DataFrame:
    out = suppressions.copy()
    out["verdict"] = pd.Categorical(found.verdict, dtype=VERDICT)
    out["cause"] = pd.array(found.cause, dtype=schema.TEXT)
    out["evidence"] = pd.array(found.evidence, dtype=schema.TEXT)
    out["smtp_status"] = pd.array(found.status, dtype=schema.TEXT)
    out["event_at"] = found.event_at.set_axis(out.index)
    out["storm"] = pd.array(found.storm, dtype="boolean")
    out.attrs = dict(suppressions.attrs)  # still a suppressions frame for .mm.activate()
    judged.remember(out)  # what it holds back, refused by activate once its column is gone
    judged.note_ends(out, ends_of(given))  # activate reads what came since
    return out
