"""What keeps an address suppressed whatever the bounce before its suppression said.

Applied after the verdicts of the bounces, these rules only ever move a row away from
``reactivate``; each looks at everything it is given, at any time, before or after the
suppression. A rule that finds what condemns the address (a complaint, an opt-out, a
mailbox called dead: :data:`CONDEMNING`) makes it the row's ``cause`` and evidence whatever
verdict the row had, ``review`` included: a row in review for a refusal that neither passes
nor condemns, or for want of a bounce, must not hide a complaint found elsewhere (the panel
and the report tell the rows apart by it):

1. a later refusal that does not pass (a 5xx reply, or words no rule can read) turns a
   ``reactivate`` into ``review``: the cause of the suppression may have passed, but the
   address was refused again since;
2. any address-level bounce (an unknown user or domain, a disabled or moved mailbox) keeps
   the address: a deferral after a "user unknown" says nothing about the mailbox; and a
   bounce whose words name an unknown or disabled mailbox anywhere, whatever reason its
   text was read as ("421 4.7.0 Too many invalid recipients (user unknown) ... try again
   later": a policy throttle), or whose enhanced status under a 5xx reply is about the
   recipient's address while its words name another cause ("550 5.1.1 ... rate
   limited"), turns a row not kept into ``review``: nobody is put back on a guess; so
   does a bounce the API called hard in words that name no cause, on this account or
   another the frames hold (a cause of its own, which condemns); and an address-level
   bounce on another account (in its reason, its words or its 5xx status) turns a row
   not kept into ``review`` (its other refusals, named in words, decide nothing: they
   are that account's sender's);
3. an address the same frame also lists as complained, unsubscribed or added by hand is kept;
4. any complaint keeps the address, a complaint of unknown time too: whoever asked not to
   be mailed stays suppressed, however long ago;
5. a complaint to another account the frames hold turns a row not kept into ``review``;
6. an opt-out (:data:`OPT_OUTS`) on the suppression lists given keeps the address when it
   is this account's (the day's rows may not hold it) and turns a row not kept into
   ``review`` when it is another account's;
7. a complaint or an opt-out from another spelling of the same mailbox (a ``+tag``, or
   Gmail's dots and googlemail.com: :mod:`.same_mailbox`) turns a row nothing else
   condemns into ``review``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dead_signals import MIXED_STATUS, UNREAD, called_dead, dead_said
from .hard_bounces import HARD_ELSEWHERE, HARD_HERE, hard_without_a_passing_cause
from .same_mailbox import SAME_MAILBOX
from .triage import ADDRESS_REASONS, TRANSIENT_REASONS, klass
from .verdicts import Verdicts, day, elsewhere, ints, key, latest_of, spread, texts

#: The causes that condemn an address, whatever the verdict of its row: the person
#: complained, unsubscribed or was suppressed by hand, a server called the mailbox dead (in
#: words, or by an address-level status beside words naming another cause: mixed), or the
#: API called it hard-bounced in words naming no cause that passes (here or on another
#: account). A ``review`` row of one of these causes is held by it, not undecided (a row is
#: ``review`` rather than ``keep`` where the evidence is another account's, or words beside
#: another reason); :func:`mmframe.activate` and the panel let it through only with the
#: rows to keep.
CONDEMNING = (
    frozenset({"complaint", "unsubscribe", "manual", HARD_HERE, HARD_ELSEWHERE, MIXED_STATUS})
    | {SAME_MAILBOX}
    | ADDRESS_REASONS
)


def deferred(triaged: pd.DataFrame) -> np.ndarray:
    """Whether each triaged bounce has a 4xx class (its status's, else its reply's)."""
    pairs = zip(texts(triaged["status"]), ints(triaged["reply"]), strict=True)
    return np.array([klass(s, r) == "4" for s, r in pairs], dtype=bool)


def passes(triaged: pd.DataFrame) -> np.ndarray:
    """Whether each triaged bounce says its cause passes: a 4xx class, or a reason that
    passes with time named in words (a phrase). A 5xx code alone is not enough: servers
    give codes meanings of their own (Microsoft answers an address it rejects with
    ``550 5.4.1``, RFC 3463's "no answer from host"), and only the words tell."""
    four = deferred(triaged)
    reason = triaged["reason"].astype(object).fillna("undefined").to_numpy()
    decided = triaged["decided_by"].astype(object).fillna("none").to_numpy()
    named: np.ndarray = np.asarray(decided == "phrase", dtype=bool)
    transient = np.isin(reason, list(TRANSIENT_REASONS))
    return np.asarray(four | (transient & named), dtype=bool)


def bounced_since(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool
) -> None:
    """Rules 1 and 2, on every bounce given: a later refusal, a dead address in a reason or
    in words, a hard bounce in words that name no passing cause of the sender's."""
    later_refusal(found, sup, triaged, by_account)
    ever_dead(found, sup, triaged, by_account)
    names_a_dead_mailbox(found, sup, triaged, by_account)
    hard_without_a_passing_cause(found, sup, triaged, by_account)
    if by_account:
        dead_elsewhere(found, sup, triaged)


def later_refusal(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool
) -> None:
    """Rule 1: a ``reactivate`` whose address was refused again, after the bounce that
    decided it, by a refusal that does not pass, is ``review``."""
    everything = np.ones(len(triaged), dtype=bool)
    row = latest_of(sup, triaged, everything, by_account, "bounced_at")
    latest = pd.Series(pd.NaT, index=range(len(sup)), dtype=found.event_at.dtype)
    has = row >= 0
    latest[has] = triaged["bounced_at"].to_numpy()[row[has]]
    ok = passes(triaged)
    later = (found.verdict == "reactivate") & has & (latest > found.event_at).to_numpy()
    mask = later & ~np.where(has, ok[np.maximum(row, 0)], True)
    if not mask.any():
        return
    hit = triaged.iloc[row[mask]]
    words = [
        f"a later bounce ({day(at)}) refused it again, for good or for no reason given: "
        f"{(text or '')[:200]}"
        for at, text in zip(hit["bounced_at"], texts(hit["message"]), strict=True)
    ]
    found.verdict[mask] = "review"  # the cause stays the one that decided; the words say why
    found.evidence[mask] = words
    found.storm[mask] = False


def ever_dead(found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool) -> None:
    """Rule 2: any address-level bounce of the address, at any time, keeps it."""
    dead = triaged["reason"].astype(object).isin(list(ADDRESS_REASONS)).to_numpy()
    row = latest_of(sup, triaged, dead, by_account, "bounced_at")
    mask = (found.verdict != "keep") & (row >= 0)
    if not mask.any():
        return
    hit = triaged.iloc[row[mask]]
    reason = np.full(len(sup), "", dtype=object)
    reason[mask] = hit["reason"].astype(object).to_numpy()
    words = [
        f"a bounce on {day(at)} says the address is dead: {(text or '')[:200]}"
        for at, text in zip(hit["bounced_at"], texts(hit["message"]), strict=True)
    ]
    found.set(mask, "keep", reason, spread(mask, words))
    found.storm[mask] = False
    found.status[mask] = hit["status"].astype(object).to_numpy()
    found.when(mask, hit["bounced_at"])


def dead_elsewhere(found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame) -> None:
    """Rule 2, on another account: a row not kept whose address another account's servers
    called dead (an address-level reason, as :func:`ever_dead` reads it), at any time, is
    ``review``, its cause that reason, the evidence naming the account, the day and the
    words.

    A dead mailbox is the receiving server's word on the mailbox, whichever of the
    sender's accounts asked, so it must keep the address out of every fix. It is not
    ``keep``, as this account's own is: this account's bounce is the rule's evidence on the
    very mail a fix would send again, while another account's may be older than that
    account's own later mail to the address (the API lists no delivery per address to
    show it alive since), so a person decides, as for an opt-out on another account.
    Another account's refusals for its sender's sake, named in words (a rate, a block
    list, a reputation, its authentication), decide nothing here: they are about that
    sender, not the mailbox (one the API called hard in no such words does:
    :func:`.hard_bounces.hard_elsewhere`).
    """
    dead, cause = called_dead(triaged)
    if not dead.any():
        return
    theirs = triaged[dead]
    latest = elsewhere(found, sup, theirs, "bounced_at")
    if not len(latest):
        return
    rows = latest["row"].to_numpy()
    said = texts(theirs["message"].iloc[latest["position"].to_numpy()])
    found.verdict[rows] = "review"
    held = cause[dead][latest["position"].to_numpy()]
    found.cause[rows] = np.where(pd.notna(held), held, found.cause[rows])
    found.evidence[rows] = [
        f"another account's servers ({who}) "
        + (
            f"said on {day(at)} what mmframe does not read"
            if why == UNREAD
            else f"called the mailbox dead on {day(at)}"
        )
        + f": not put back on this one unasked: {(text or '')[:200]}"
        for who, at, text, why in zip(latest["account"], latest["at"], said, held, strict=True)
    ]
    found.storm[rows] = False


def names_a_dead_mailbox(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool
) -> None:
    """Rule 2, in words or an address's status: a row not kept whose address has a
    bounce, at any time, that says the address cannot receive whatever reason it was read
    as (:func:`dead_said`), is ``review``, its cause the address-level reason its words
    name, or :data:`~.dead_signals.MIXED_STATUS` for such a status beside other words (the
    row's own where the evidence is mixed: a domain not found under a 4xx)."""
    if not (found.verdict != "keep").any() or not len(triaged):
        return
    said, causes = dead_said(triaged)
    row = latest_of(sup, triaged, pd.notna(said), by_account, "bounced_at")
    mask = (found.verdict != "keep") & (row >= 0)
    if not mask.any():
        return
    hit = triaged.iloc[row[mask]]
    found.verdict[mask] = "review"
    cause = causes[row[mask]]
    found.cause[mask] = np.where(pd.notna(cause), cause, found.cause[mask])
    found.evidence[mask] = [
        f"a bounce on {day(at)} also {w}, whatever else it says: not put back on a "
        f"guess: {(t or '')[:200]}"
        for at, w, t in zip(hit["bounced_at"], said[row[mask]], texts(hit["message"]), strict=True)
    ]
    found.storm[mask] = False


#: The reasons a frame gives a suppression that its address wants, or was put, off the list
#: for good, strongest first: the one named when an address has several.
UNWANTED = ("complaint", "unsubscribe", "manual")
_SAID = {"complaint": "complained", "unsubscribe": "unsubscribed", "manual": "added by hand"}


def listed_as_unwanted(found: Verdicts, sup: pd.DataFrame, by_account: bool) -> None:
    """Rule 3: every row of an address the frame also lists as complained, unsubscribed or
    added by hand (one address is one suppression: activating any row removes them all)."""
    keys = key(sup, by_account).reset_index(drop=True)
    reason = sup["reason"].astype(str).str.strip().str.lower().reset_index(drop=True)
    rank = reason.map({r: i for i, r in enumerate(UNWANTED)})
    unwanted = rank.notna()
    order = rank[unwanted].sort_values(kind="stable").index
    why = pd.Series(reason[order].to_numpy(), index=keys[order].to_numpy())
    why = why[~why.index.duplicated()]
    cause = keys.map(why).to_numpy(dtype=object)
    mask = (found.verdict != "keep") & keys.isin(why.index).to_numpy()
    words = np.array(
        [f"the same frame lists this address as {_SAID.get(c, c)} ({c})" for c in cause],
        dtype=object,
    )
    found.set(mask, "keep", cause, words)
    found.storm[mask] = False


def complained(
    found: Verdicts, sup: pd.DataFrame, complaints: pd.DataFrame, by_account: bool
) -> None:
    """Rule 4: any complaint of the address, at any time (or none given), keeps it."""
    everything = np.ones(len(complaints), dtype=bool)
    row = latest_of(sup, complaints, everything, by_account, "complained_at")
    mask = row >= 0
    if not mask.any():
        return
    hit = complaints.iloc[row[mask]]
    campaign = texts(hit["x_campaign"]) if "x_campaign" in hit.columns else [None] * len(hit)
    words = [
        f"the recipient reported spam on {day(at)}" + (f" (campaign {c})" if c else "")
        for at, c in zip(hit["complained_at"], campaign, strict=True)
    ]
    found.set(mask, "keep", "complaint", spread(mask, words))
    found.storm[mask] = False
    found.when(mask, hit["complained_at"])


def complained_elsewhere(found: Verdicts, sup: pd.DataFrame, complaints: pd.DataFrame) -> None:
    """Rule 5: a row not kept whose address complained to another account the frames
    hold, at any time, is ``review`` (cause ``complaint``): one sender's accounts often
    share a sending domain, and Gmail and Yahoo count complaints per domain, so a complaint
    to any of them is a reason not to mail the address again unasked (the evidence names
    the account)."""
    latest = elsewhere(found, sup, complaints, "complained_at")
    if not len(latest):
        return
    rows = latest["row"].to_numpy()
    found.verdict[rows] = "review"
    found.cause[rows] = "complaint"
    found.evidence[rows] = [
        f"the recipient reported spam to another account, {who}, on {day(at)}: not put "
        "back on this one unasked"
        for who, at in zip(latest["account"], latest["at"], strict=True)
    ]
    found.storm[rows] = False


#: The suppression reasons that record an opt-out, the person's own wish not to be mailed:
#: an unsubscribe, and a complaint (the complaint's own row may be gone from the server's
#: detail lists while its suppression stays). A suppression added by hand counts too: the
#: API does not say why, and a request by mail, phone or form is the usual one (CAN-SPAM
#: honours an opt-out however it is made); when it is the sender's own (a role address, a
#: trap), no account should mail it unasked either. A bounce is the receiving servers'
#: word on that account's mail, not the person's: it says nothing of this account's.
OPT_OUTS = {"unsubscribe": "unsubscribed", "complaint": "was suppressed for a complaint",
            "manual": "was added by hand"}  # fmt: skip


def opted_out(found: Verdicts, sup: pd.DataFrame, lists: pd.DataFrame, by_account: bool) -> None:
    """Rule 6: an opt-out on the suppression lists given (``lists``), at any time (or of
    unknown time). On the row's own account it keeps the address (one address is one
    suppression: activating the row removes the opt-out too); on another account a row
    not kept is ``review``, its cause the opt-out's reason: one sender's accounts often
    share a sending domain, and an opt-out is the person's wish, not one list's (the
    evidence names the account)."""
    reason = lists["reason"].astype(str).str.strip().str.lower()
    wanted = lists[reason.isin(list(OPT_OUTS)).to_numpy()].assign(reason=reason)
    if not len(wanted):
        return
    row = latest_of(sup, wanted, np.ones(len(wanted), dtype=bool), by_account, "suppressed_at")
    mine = (found.verdict != "keep") & (row >= 0)
    if mine.any():
        hit = wanted.iloc[row[mine]]
        why = hit["reason"].to_numpy(dtype=object)
        words = [f"this account also lists the address: it {OPT_OUTS[r]} on {day(at)}"
                 for r, at in zip(why, hit["suppressed_at"], strict=True)]  # fmt: skip
        found.set(mine, "keep", spread(mine, list(why)), spread(mine, words))
        found.storm[mine] = False
    latest = elsewhere(found, sup, wanted, "suppressed_at")
    if not len(latest):
        return
    rows = latest["row"].to_numpy()
    # "another account, <name>," as in rule 5: the report counts the rows these words send.
    what = wanted["reason"].to_numpy(dtype=object)[latest["position"].to_numpy()]
    found.verdict[rows] = "review"
    found.cause[rows] = what
    found.evidence[rows] = [
        f"the recipient {OPT_OUTS[r]} on another account, {who}, on {day(at)}: not put back "
        "on this one unasked"
        for r, who, at in zip(what, latest["account"], latest["at"], strict=True)
    ]
    found.storm[rows] = False
