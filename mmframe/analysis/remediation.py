"""Remediation candidates: each suppression joined to the event that caused it, with a verdict.

- ``keep``: the evidence is permanent (an unknown user, a dead domain, a disabled mailbox,
  a complaint, an unsubscribe, an address added by hand);
- ``reactivate``: the evidence is transient (deferrals, rate limits, greylisting, full
  mailboxes, temporary policy blocks: a 4xx reply or a reason that passes with time), or
  part of a storm of refusals that say nothing about the address (many at one domain on
  one day);
- ``review``: anything else (a permanent policy refusal outside a storm, an unreadable
  text, a suppression whose cause cannot be found).
"""

from __future__ import annotations

import pandas as pd

from .. import schema
from .triage import ADDRESS_REASONS, triage

VERDICT = pd.CategoricalDtype(["keep", "reactivate", "review"])
#: How far before a suppression its cause is looked for.
WINDOW = pd.Timedelta(days=7)
ADDED = ("verdict", "cause", "evidence", "smtp_status", "event_at", "storm")


def _key(frame: pd.DataFrame) -> pd.Series:
    account = frame["account"].astype(str) if "account" in frame.columns else ""
    return account + "\x00" + frame["email"].astype(str).str.lower()


def _latest_before(
    left: pd.DataFrame, right: pd.DataFrame, time: str, columns: list[str]
) -> pd.DataFrame:
    """For each row of ``left``, the latest ``right`` row of the same key at or before its
    suppression time (within :data:`WINDOW`), as ``columns`` (missing where none)."""
    lhs = pd.DataFrame(
        {
            "key": _key(left).to_numpy(),
            "at": left["suppressed_at"].to_numpy(),
            "row": range(len(left)),
        }
    )
    rhs = pd.DataFrame({"key": _key(right).to_numpy(), "at": right[time].to_numpy()})
    for column in columns:
        rhs[column] = right[column].to_numpy()
    rhs["event_at"] = right[time].to_numpy()
    lhs = lhs.dropna(subset=["at"]).sort_values("at")
    rhs = rhs.dropna(subset=["at"]).sort_values("at")
    joined = pd.merge_asof(
        lhs, rhs, on="at", by="key", direction="backward", tolerance=WINDOW
    ).set_index("row")
    joined = joined.reindex(range(len(left)))
    joined["event_at"] = pd.to_datetime(joined["event_at"], utc=True)
    return joined


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
        triaged here unless they already carry the :func:`mmframe.triage` columns.
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
    """
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
    n = len(suppressions)
    reason = suppressions["reason"].astype(str).to_numpy()
    verdict = pd.Series("review", index=range(n), dtype=object)
    cause = pd.Series("unknown", index=range(n), dtype=object)
    missing = (
        "no bounce found in the 7 days before"
        if bounces is not None
        else "no bounces given: pass bounces= to judge it"
    )
    evidence = pd.Series(missing, index=range(n), dtype=object)
    status = pd.Series(pd.NA, index=range(n), dtype=schema.TEXT)
    event_at = pd.Series(pd.NaT, index=range(n), dtype=schema.TIME)
    storm = pd.Series(False, index=range(n), dtype="boolean")

    for kept, words in (("unsubscribe", "the recipient unsubscribed"), ("manual", "added by hand")):
        mask = reason == kept
        verdict[mask], cause[mask], evidence[mask] = "keep", kept, words
    complained = reason == "complaint"
    verdict[complained], cause[complained] = "keep", "complaint"
    evidence[complained] = "the recipient reported spam"
    if complaints is not None and len(complaints) and complained.any():
        extra = [c for c in ("x_campaign",) if c in complaints.columns]
        found = _latest_before(
            suppressions.reset_index(drop=True), complaints, "complained_at", extra
        )
        hit = complained & found["event_at"].notna().to_numpy()
        event_at[hit] = found.loc[hit, "event_at"]
        if extra:
            campaign = found["x_campaign"].astype(object).where(found["x_campaign"].notna(), "?")
            evidence[hit] = (
                "the recipient reported spam (campaign " + campaign[hit].astype(str) + ")"
            )

    bounced = reason == "bounce"
    if bounces is not None and len(bounces) and bounced.any():
        triaged = bounces if "permanent" in bounces.columns else triage(bounces)
        found = _latest_before(
            suppressions.reset_index(drop=True),
            triaged,
            "bounced_at",
            ["reason", "permanent", "status", "evidence", "message", "domain"],
        )
        hit = bounced & found["event_at"].notna().to_numpy()
        why = found["reason"].astype(object)
        final = found["permanent"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        address = why.isin(list(ADDRESS_REASONS)).to_numpy()
        text = found["message"].astype(object).fillna("").astype(str).str.slice(0, 200)
        cause[hit] = why[hit]
        status[hit] = found.loc[hit, "status"].astype(object).to_numpy()
        event_at[hit] = found.loc[hit, "event_at"]
        decided = found["evidence"].astype(object).fillna("").astype(str)
        evidence[hit] = ("'" + decided[hit] + "' in: " + text[hit]).to_numpy()
        # A storm: many refusals at one domain in one day that say nothing of the address.
        day = found["event_at"].dt.floor("D")
        account = (
            suppressions["account"].astype(str).to_numpy()
            if "account" in suppressions.columns
            else ""
        )
        group = (
            pd.Series(account, index=range(n)).astype(str)
            + "|"
            + found["domain"].astype(str)
            + "|"
            + day.astype(str)
        )
        candidate = hit & ~address
        sizes = group[candidate].value_counts()
        stormy = candidate & (group.map(sizes).fillna(0).to_numpy() >= storm_size)
        storm[stormy] = True
        verdict[hit & address & final] = "keep"
        verdict[hit & ~final & (why != "undefined").to_numpy()] = "reactivate"
        verdict[stormy] = "reactivate"
        evidence[stormy] = (
            "storm of " + group[stormy].map(sizes).astype(str) + " at "
            + found.loc[stormy, "domain"].astype(str) + "; " + evidence[stormy]
        )  # fmt: skip
    out = suppressions.copy()
    out["verdict"] = pd.Categorical(verdict.to_numpy(), dtype=VERDICT)
    out["cause"] = pd.array(cause.to_numpy(dtype=object), dtype=schema.TEXT)
    out["evidence"] = pd.array(evidence.to_numpy(dtype=object), dtype=schema.TEXT)
    out["smtp_status"] = status.set_axis(out.index)
    out["event_at"] = event_at.set_axis(out.index)
    out["storm"] = storm.set_axis(out.index)
    out.attrs = dict(suppressions.attrs)  # still a suppressions frame for .mm.activate()
    return out
