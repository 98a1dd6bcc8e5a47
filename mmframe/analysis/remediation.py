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
  failure) decided by a phrase or an enhanced status code, not by a bare reply code. Also
  a refusal in a storm (many at one domain on one day, at least ``storm_size``) that names
  a cause and says nothing about the address: the storm rule never lifts an address-level
  bounce, nor one whose text gives no code and no known reason;
- ``review``: anything else (a permanent policy or spam refusal outside a storm, a text
  with no code and no known phrase, a suppression whose cause cannot be found).

Events are matched to suppressions by address, and by account when the frames carry an
``account`` column; times are compared in UTC (naive times are taken as UTC).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from .triage import ADDRESS_REASONS, TRANSIENT_REASONS, TRIAGE_COLUMNS, klass, triage

VERDICT = pd.CategoricalDtype(["keep", "reactivate", "review"])
#: How far before a suppression its cause is looked for.
WINDOW = pd.Timedelta(days=7)
ADDED = ("verdict", "cause", "evidence", "smtp_status", "event_at", "storm")
#: The bounce columns a verdict reads (triaged here when the triage columns are missing).
_BOUNCE_FIELDS = ["reason", "status", "reply", "evidence", "decided_by", "message", "domain"]


@dataclass
class _Verdicts:
    """The added columns, one array each, built up rule by rule."""

    verdict: np.ndarray
    cause: np.ndarray
    evidence: np.ndarray
    status: np.ndarray
    event_at: pd.Series
    storm: np.ndarray

    @classmethod
    def start(cls, n: int, missing: str) -> _Verdicts:
        return cls(
            np.full(n, "review", dtype=object),
            np.full(n, "unknown", dtype=object),
            np.full(n, missing, dtype=object),
            np.full(n, None, dtype=object),
            pd.Series(pd.NaT, index=range(n), dtype=schema.TIME),
            np.zeros(n, dtype=bool),
        )

    def set(self, mask: np.ndarray, verdict: str, cause: str | np.ndarray, why: object) -> None:
        self.verdict[mask] = verdict
        self.cause[mask] = cause if isinstance(cause, str) else cause[mask]
        self.evidence[mask] = why if isinstance(why, str) else np.asarray(why)[mask]


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


def _read_for(frame: pd.DataFrame) -> str | None:
    """The one account a loader's frame was read for (its attrs say), else None."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    names = meta.get("accounts") if isinstance(meta, dict) else None
    if isinstance(names, list) and len(names) == 1 and isinstance(names[0], str) and names[0]:
        return names[0]
    return None


def _by_account(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether events are matched by account too; ``ValueError`` where that is ambiguous.

    Frames that all carry ``account`` match by it, and so do frames that all lack it (one
    account's reads). Where some carry it, a frame without it takes the account its attrs
    say it was read for (a loader's frame does), or the call is refused: guessing would
    let another account's event decide a verdict.
    """
    having = [name for name, f in frames.items() if "account" in f.columns]
    if not having:
        return False
    for name, frame in frames.items():
        if "account" in frame.columns:
            continue
        owner = _read_for(frame)
        if owner is None:
            raise ValueError(
                f"{name} has no 'account' column but {', '.join(having)} has one: add the "
                f"column ({name}.insert(0, 'account', username)), or read every frame with "
                "the same accounts=, so each event is matched to its own account's rows"
            )
        frames[name] = frame.assign(account=owner)
    return True


def _key(frame: pd.DataFrame, by_account: bool) -> pd.Series:
    email = frame["email"].astype(str).str.lower()
    return frame["account"].astype(str).str.lower() + "\x00" + email if by_account else email


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
        {"key": _key(sup, by_account).to_numpy(), "at": sup["suppressed_at"].to_numpy()}
    )
    lhs["row"] = range(len(sup))
    rhs = pd.DataFrame({"key": _key(events, by_account).to_numpy(), "at": events[time].to_numpy()})
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


def _fixed_reasons(found: _Verdicts, reason: np.ndarray) -> None:
    """Suppressions whose reason decides alone: unsubscribes, addresses added by hand."""
    found.set(reason == "unsubscribe", "keep", "unsubscribe", "the recipient unsubscribed")
    found.set(reason == "manual", "keep", "manual", "added by hand")
    found.set(reason == "complaint", "keep", "complaint", "the recipient reported spam")


def _latest(sup: pd.DataFrame, events: pd.DataFrame, time: str, by_account: bool) -> pd.Series:
    """For each suppression, the position in ``events`` of its key's latest event at any
    time (before or after the suppression), or -1: in ``sup``'s order."""
    keys = _key(events, by_account).to_numpy()
    order = pd.DataFrame({"key": keys, "at": events[time].to_numpy(), "row": range(len(events))})
    latest = (
        order.dropna(subset=["at"]).sort_values(["at", "row"]).drop_duplicates("key", keep="last")
    )
    where = pd.Series(latest["row"].to_numpy(), index=latest["key"].to_numpy())
    return _key(sup, by_account).map(where).fillna(-1).astype("int64").reset_index(drop=True)


def _complained(
    found: _Verdicts, sup: pd.DataFrame, complaints: pd.DataFrame, by_account: bool
) -> None:
    """Keep every address that reported spam, at any time in what was read (a complaint
    after the suppression, about an older message, still says: do not mail me)."""
    row = _latest(sup, complaints, "complained_at", by_account).to_numpy()
    mask = row >= 0
    if not mask.any():
        return
    hit = complaints.iloc[row[mask]]
    when = hit["complained_at"].dt.strftime("%Y-%m-%d").tolist()
    campaign = _texts(hit["x_campaign"]) if "x_campaign" in hit.columns else [None] * len(hit)
    words = [
        f"the recipient reported spam on {day}" + (f" (campaign {c})" if c else "")
        for day, c in zip(when, campaign, strict=True)
    ]
    found.set(mask, "keep", "complaint", _spread(mask, words))
    found.event_at[mask] = hit["complained_at"].to_numpy()


def _spread(mask: np.ndarray, values: list[str]) -> np.ndarray:
    """``values`` (one per true item of ``mask``) placed at those items of a full array."""
    out = np.full(len(mask), "", dtype=object)
    out[mask] = values
    return out


def _dead_since(
    found: _Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool
) -> None:
    """Keep a row to reactivate whose latest bounce read, at any time, is address-level:
    a later "user unknown" overrules an earlier deferral."""
    row = _latest(sup, triaged, "bounced_at", by_account).to_numpy()
    reason = np.full(len(sup), "", dtype=object)
    reason[row >= 0] = triaged["reason"].astype(object).to_numpy()[row[row >= 0]]
    mask = (found.verdict == "reactivate") & np.isin(reason, list(ADDRESS_REASONS))
    if not mask.any():
        return
    hit = triaged.iloc[row[mask]]
    words = [
        f"the latest bounce read ({day}) says the address is dead: {text[:200]}"
        for day, text in zip(
            hit["bounced_at"].dt.strftime("%Y-%m-%d").tolist(),
            [t or "" for t in _texts(hit["message"])],
            strict=True,
        )
    ]
    found.set(mask, "keep", reason, _spread(mask, words))
    found.storm[mask] = False
    found.status[mask] = hit["status"].astype(object).to_numpy()
    found.event_at[mask] = hit["bounced_at"].to_numpy()


def _listed_as_unwanted(found: _Verdicts, sup: pd.DataFrame, by_account: bool) -> None:
    """Keep every row of an address the frame also lists as unsubscribed or complained
    (a frame joined from several reads can hold one address twice)."""
    keys = _key(sup, by_account).reset_index(drop=True)
    reason = sup["reason"].astype(str).reset_index(drop=True)
    unwanted = reason.isin(["unsubscribe", "complaint"])
    why = pd.Series(reason[unwanted].to_numpy(), index=keys[unwanted].to_numpy())
    why = why[~why.index.duplicated()]
    cause = keys.map(why).to_numpy(dtype=object)
    mask = (found.verdict == "reactivate") & keys.isin(why.index).to_numpy()
    words = np.array([f"the same frame lists this address as {c}" for c in cause], dtype=object)
    found.set(mask, "keep", cause, words)
    found.storm[mask] = False


def _bounced(
    found: _Verdicts,
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
    four = np.array(
        [
            klass(s, r) == "4"
            for s, r in zip(_texts(hit["status"]), _ints(hit["reply"]), strict=True)
        ]
    )
    address = np.isin(why, list(ADDRESS_REASONS))
    passes = four | (np.isin(why, list(TRANSIENT_REASONS)) & np.isin(decided, ["phrase", "status"]))
    text = hit["message"].astype(object).fillna("").astype(str).str.slice(0, 200)
    words = "'" + hit["evidence"].astype(object).fillna("").astype(str) + "' in: " + text
    found.cause[mask] = why[mask]
    found.evidence[mask] = words.to_numpy()[mask]
    found.evidence[mask & (decided == "none")] = (
        "the server gave no code and no known reason in: " + text
    ).to_numpy()[mask & (decided == "none")]
    found.status[mask] = hit.loc[mask, "status"].astype(object).to_numpy()
    found.event_at[mask] = hit.loc[mask, "event_at"]
    found.verdict[mask & address] = "keep"
    found.verdict[mask & ~address & passes] = "reactivate"
    _storms(found, sup, hit, mask & ~address & (decided != "none"), storm_size)


def _texts(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in values.astype(object)]


def _ints(values: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in values.astype(object)]


def _storms(
    found: _Verdicts, sup: pd.DataFrame, hit: pd.DataFrame, candidate: np.ndarray, size: int
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
    suppressions: pd.DataFrame,
    bounces: pd.DataFrame | None,
    complaints: pd.DataFrame | None,
    storm_size: int,
) -> None:
    for name in ("email", "suppressed_at", "reason"):
        if name not in suppressions.columns:
            raise KeyError(f"suppressions needs an {name!r} column (read_suppressions gives it)")
    if isinstance(storm_size, bool) or not isinstance(storm_size, int) or storm_size < 2:
        raise ValueError(f"storm_size must be an integer of at least 2, not {storm_size!r}")
    for name, given in (("bounces", bounces), ("complaints", complaints)):
        if given is not None and not isinstance(given, pd.DataFrame):
            raise TypeError(f"{name} must be a frame (mm.read_{name}), not {type(given).__name__}")
    clash = [c for c in ADDED if c in suppressions.columns]
    if clash:
        raise ValueError(
            f"suppressions already has {clash}: pass the frame read_suppressions gives"
        )


def remediation_candidates(
    suppressions: pd.DataFrame,
    *,
    bounces: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
    storm_size: int = 50,
) -> pd.DataFrame:
    """Which suppressed recipients to reactivate, with the evidence for each verdict.

    Parameters
    ----------
    suppressions
        A suppressions frame (:func:`mmframe.read_suppressions`; with ``account`` when the
        events are read with ``accounts=``).
    bounces, complaints
        The bounces and complaints over the same range (a week more before it helps), as
        :func:`mmframe.read_bounces` and :func:`mmframe.read_complaints` give. Bounces are
        triaged here unless they already carry the :func:`mmframe.triage` columns. Frames
        spanning accounts need an ``account`` column on every frame.
    storm_size
        A storm: at least this many bounce suppressions of one account at one recipient
        domain on one day, most of them for reasons that say nothing about the address.

    Returns
    -------
    pandas.DataFrame
        ``suppressions`` (same index, columns and ``attrs``, so ``.mm.activate()`` takes
        it, filtered to ``verdict == "reactivate"``) plus ``verdict`` (keep / reactivate /
        review), ``cause`` (Sisimai's reason of the bounce, or complaint, unsubscribe,
        manual, unknown), ``evidence`` (the text or fact that decided), ``smtp_status``
        (the bounce's RFC 3463 code), ``event_at`` (when the cause happened) and ``storm``.

    Raises
    ------
    KeyError, TypeError
        A frame lacks a column, or its times are not times.
    ValueError
        Events span accounts that a frame without ``account`` cannot tell apart.
    """
    _check(suppressions, bounces, complaints, storm_size)
    sup = _in_utc(suppressions.reset_index(drop=True), "suppressed_at", "suppressions")
    frames = {"suppressions": sup}
    if bounces is not None:
        frames["bounces"] = _in_utc(bounces, "bounced_at", "bounces")
    if complaints is not None:
        frames["complaints"] = _in_utc(complaints, "complained_at", "complaints")
    by_account = _by_account(frames)  # may give an account-less frame its account
    sup = frames["suppressions"]
    missing = "no bounce found in the 7 days before" if bounces is not None else (
        "no bounces given: pass bounces= to judge it"
    )  # fmt: skip
    found = _Verdicts.start(len(sup), missing)
    _fixed_reasons(found, sup["reason"].astype(str).to_numpy())
    if bounces is not None and len(bounces):
        given = frames["bounces"]
        triaged = given if set(TRIAGE_COLUMNS) <= set(given.columns) else triage(given)
        _bounced(found, sup, triaged, by_account=by_account, storm_size=storm_size)
        _dead_since(found, sup, triaged, by_account)
    if complaints is not None and len(complaints):
        _complained(found, sup, frames["complaints"], by_account)
    _listed_as_unwanted(found, sup, by_account)
    return _attach(suppressions, found)


def _attach(suppressions: pd.DataFrame, found: _Verdicts) -> pd.DataFrame:
    out = suppressions.copy()
    out["verdict"] = pd.Categorical(found.verdict, dtype=VERDICT)
    out["cause"] = pd.array(found.cause, dtype=schema.TEXT)
    out["evidence"] = pd.array(found.evidence, dtype=schema.TEXT)
    out["smtp_status"] = pd.array(found.status, dtype=schema.TEXT)
    out["event_at"] = found.event_at.set_axis(out.index)
    out["storm"] = pd.array(found.storm, dtype="boolean")
    out.attrs = dict(suppressions.attrs)  # still a suppressions frame for .mm.activate()
    return out
