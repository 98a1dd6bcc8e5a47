"""A mailbox called dead under another spelling: rule 7 of :mod:`.never_back` for bounces.

A server's "550 5.1.1 ... does not exist" for ``k.i.m@gmail.com``, ``kim@googlemail.com`` or
``kim+shop@gmail.com`` is said of ``kim@gmail.com``'s mailbox (:mod:`.same_mailbox`); a
storm row of ``kim@gmail.com`` was put back, as bounces were matched by the exact address
alone (thirty-seventh review, 1). Such a row, nothing else condemning it, is ``review``
under :data:`~.same_mailbox.SAME_MAILBOX`: the spelling may reach the same mailbox, and
nobody is put back on a guess."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dead_signals import called_dead
from .hard_bounces import unexplained_hard
from .same_mailbox import SAME_MAILBOX, in_boxes, mailbox
from .verdicts import Verdicts, day, key, texts


def dead_as_another(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, condemning: frozenset[str]
) -> None:
    """A row not kept, whose cause is none of ``condemning``, whose mailbox a server called
    dead under another spelling, on any account given, at any time, is ``review`` (cause
    :data:`~.same_mailbox.SAME_MAILBOX`; the evidence names the spelling, where, when and
    the words). Dead as :mod:`.never_back` reads it on another account: an address-level
    reason, dead words beside another cause (not the sender's own refusal), or the API's
    "hard" in words naming no cause that passes."""
    free = np.flatnonzero((found.verdict != "keep") & ~np.isin(found.cause, list(condemning)))
    if not len(free) or not len(triaged):
        return
    rows = pd.DataFrame({"row": free, "box": mailbox(sup["email"]).to_numpy()[free],
                         "own": key(sup, False).to_numpy()[free]})  # fmt: skip
    near = np.flatnonzero(in_boxes(triaged["email"], set(rows["box"])))
    theirs = triaged.iloc[near]
    spellings = pd.DataFrame(
        {"box": mailbox(theirs["email"]), "exact": key(theirs, False), "position": near},
        index=theirs.index,
    )
    hit = rows.merge(spellings, on="box")
    hit = hit[hit["own"] != hit["exact"]]
    if not len(hit):
        return
    positions = np.unique(hit["position"].to_numpy())
    dead = pd.Series(_called_dead(triaged.iloc[positions]), index=positions)
    hit = hit[dead.loc[hit["position"].to_numpy()].to_numpy()]
    if not len(hit):
        return
    hit = hit.assign(at=triaged["bounced_at"].to_numpy()[hit["position"].to_numpy()])
    latest = hit.sort_values("at", na_position="first", kind="stable").drop_duplicates(
        "row", keep="last"
    )
    at, bounce = latest["row"].to_numpy(), triaged.iloc[latest["position"].to_numpy()]
    where = (
        [f", on {a}" for a in bounce["account"].astype(str)]
        if "account" in bounce.columns
        else [""] * len(bounce)
    )
    found.verdict[at] = "review"
    found.cause[at] = SAME_MAILBOX
    found.evidence[at] = [
        f"another spelling of this mailbox, {str(spelt).strip()}, was called dead by a "
        f"server{on} on {day(when)} (a +tag, Gmail's dots, or a service's other domain "
        f"such as googlemail.com or me.com, may reach one mailbox): not put back unasked: "
        f"'{(words or '')[:200]}'"
        for spelt, on, when, words in zip(
            bounce["email"], where, bounce["bounced_at"], texts(bounce["message"]), strict=True
        )
    ]
    found.storm[at] = False


def _called_dead(bounces: pd.DataFrame) -> np.ndarray:
    """Whether each triaged bounce says its address cannot receive, or is the API's "hard"
    in words naming no cause that passes."""
    return np.asarray(called_dead(bounces)[0] | unexplained_hard(bounces), dtype=bool)
