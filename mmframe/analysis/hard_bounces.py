"""Rule 2 of :mod:`.never_back`, the API's word: an address the API called hard-bounced,
at any time and on any account the frames hold, in words that name no cause of the
sender's or the message's that passes, is not put back (``review``), under a cause of its
own (:data:`HARD_HERE`, :data:`HARD_ELSEWHERE`) that condemns it: not the cause of the
bounce that suppressed it (a storm's rate), which would read as cleared."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dead_signals import MIXED_STATUS
from .sender_clauses import senders_own_refusal
from .triage import ADDRESS_REASONS, classify
from .verdicts import Verdicts, day, elsewhere, latest_of, texts

#: The cause of a row held for a hard bounce of this account naming no cause that passes.
HARD_HERE = "hardbounced"
#: The same, the bounce another account's: "hard-bounced on another account".
HARD_ELSEWHERE = "hardelsewhere"
#: The causes that condemn an address already (a person's act, a dead mailbox, a hard
#: bounce without a passing cause): a row held for one keeps it, the strongest word.
_CONDEMNED = frozenset(
    {"complaint", "unsubscribe", "manual", HARD_HERE, HARD_ELSEWHERE, MIXED_STATUS}
)


def _open(found: Verdicts) -> np.ndarray:
    """The rows a hard bounce still condemns: not kept, nor held for what condemns."""
    causes = list(_CONDEMNED | ADDRESS_REASONS)
    return np.asarray((found.verdict != "keep") & ~np.isin(found.cause, causes), dtype=bool)


#: The causes a bounce's own words may name, in a bounce the API called hard, for its
#: address to be judged by later bounces: each is the sender's or the message's and passes
#: once the sender acts (or waits), and none says anything of the mailbox. The sending IP
#: or domain refused (a block list, its reputation, its reverse DNS: delisted or
#: recovered); its authentication or transport security (SPF, DKIM, DMARC, TLS: fixed by
#: the sender); its rate (a throttle per time or per connection: slowed down); the
#: message's content or form (spam, a virus, its size, its headers: changed). Left out,
#: so a hard bounce giving them stays ``review``: the receiving system's own trouble
#: ("Transaction failed", "Service unavailable", "Server busy", a timeout), which the
#: standard replies give for any cause and a hard bounce does not show passing; a full
#: mailbox or a message limit (the recipient's mailbox, which a hard bounce may mean
#: abandoned); a refused sender, a policy, a filter, relaying, a protocol error (words that
#: are as often about the recipient or the route); a bare code; no words at all.
SENDER_CAUSES_THAT_PASS = frozenset(
    {
        "blocked", "badreputation", "requireptr", "authfailure", "securityerror",
        "failedstarttls", "speeding", "toomanyconn", "spamdetected", "contenterror",
        "virusdetected", "mesgtoobig", "notcompliantrfc",
    }
)  # fmt: skip


#: RFC 5321's standard reply texts (section 4.2.2), which servers send for any cause: Sisimai
#: reads "421 Service not available, closing transmission channel" as a block, but those
#: words alone name no cause, so a hard bounce is read without them here.
_STANDARD_REPLY = (
    r"(?i)service not available,? closing transmission channel|transaction failed"
    r"|requested (?:mail )?action (?:not taken|aborted)(?::? [a-z ]+)?"
)


def _names_a_passing_cause(messages: pd.Series) -> np.ndarray:
    """Whether each text, without RFC 5321's standard reply words, names one of
    :data:`SENDER_CAUSES_THAT_PASS` in words (a phrase: a code alone does not)."""
    codes, distinct = pd.factorize(messages.astype(object).fillna("").astype(str))
    text = pa.array(list(distinct), pa.string())  # each distinct text read once
    read = classify(pc.replace_substring_regex(text, _STANDARD_REPLY, " "))
    named = (read["decided_by"] == "phrase") & read["reason"].isin(list(SENDER_CAUSES_THAT_PASS))
    own = senders_own_refusal(text, read)  # the sender's own address, account, identity, IP
    return np.asarray((np.asarray(named.to_numpy(), dtype=bool) | own)[codes], dtype=bool)


def unexplained_hard(triaged: pd.DataFrame) -> np.ndarray:
    """Whether the API called each bounce hard in words that do not name one of
    :data:`SENDER_CAUSES_THAT_PASS` (a phrase must name it: a code alone, no words, an
    empty or missing text do not)."""
    if "bounce_type" not in triaged.columns:
        return np.zeros(len(triaged), dtype=bool)
    hard = triaged["bounce_type"].astype(object).astype(str).str.strip().str.lower() == "hard"
    named = np.zeros(len(triaged), dtype=bool)
    if hard.any():
        named[hard.to_numpy()] = _names_a_passing_cause(triaged.loc[hard.to_numpy(), "message"])
    return np.asarray(hard.to_numpy() & ~named, dtype=bool)


def hard_without_a_passing_cause(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, by_account: bool
) -> None:
    """Rule 2, the API's word: a row not kept nor already condemned whose address the API
    called hard-bounced, at any time, in words that do not name one of
    :data:`SENDER_CAUSES_THAT_PASS` (a phrase must name it: a code alone does not), is
    ``review``, its cause :data:`HARD_HERE`: the API's "hard" is not outweighed by a later
    deferral unless the bounce itself says its cause passes. On another account the
    frames hold too (:func:`hard_elsewhere`)."""
    if not _open(found).any():
        return
    unexplained = unexplained_hard(triaged)
    row = latest_of(sup, triaged, unexplained, by_account, "bounced_at")
    mask = _open(found) & (row >= 0)
    if mask.any():  # this account's own first: its words are the row's own evidence
        hit = triaged.iloc[row[mask]]
        found.verdict[mask] = "review"
        found.cause[mask] = HARD_HERE
        found.evidence[mask] = [
            f"the API called a bounce on {day(at)} hard, in words that name no cause of the "
            f"sender's or the message's that passes (read as {why}): '{(t or '')[:200]}'"
            for at, why, t in zip(
                hit["bounced_at"],
                hit["reason"].astype(object).fillna("undefined"),
                texts(hit["message"]),
                strict=True,
            )
        ]
        found.storm[mask] = False
    if by_account:
        hard_elsewhere(found, sup, triaged, unexplained)


def hard_elsewhere(
    found: Verdicts, sup: pd.DataFrame, triaged: pd.DataFrame, unexplained: np.ndarray
) -> None:
    """Rule 2, the API's word on another account: a row not kept nor already condemned
    whose address the API called hard-bounced on another account the frames hold, at any
    time, in words that name no cause of the sender's that passes (``unexplained``: a
    bare code, an empty or missing text, "554 Transaction failed"), is ``review``, its
    cause :data:`HARD_ELSEWHERE`, the evidence naming the account, the day and the
    words. The API's "hard" is its word on the address, whichever account mailed it, and
    such a bounce says nothing that would make it that account's
    sender's alone; one whose words name its sender's block, rate, reputation,
    authentication or content decides nothing here (that sender's business)."""
    if not unexplained.any():
        return
    theirs = triaged[unexplained]
    latest = elsewhere(found, sup, theirs, "bounced_at")
    latest = latest[_open(found)[latest["row"].to_numpy()]]
    if not len(latest):
        return
    rows, hit = latest["row"].to_numpy(), theirs.iloc[latest["position"].to_numpy()]
    found.verdict[rows] = "review"
    found.cause[rows] = HARD_ELSEWHERE  # not the row's own: a storm's rate read as cleared
    # "(another account)": not the complaint's and opt-out's " another account, " nor the
    # dead mailbox's "another account's servers (", which the report counts apart.
    found.evidence[rows] = [
        f"the API called a bounce of {who} (another account) hard on {day(at)}, in words "
        "that name no cause of the sender's or the message's that passes (read as "
        f"{why}): not put back on this one unasked: '{(t or '')[:200]}'"
        for who, at, why, t in zip(
            latest["account"],
            latest["at"],
            hit["reason"].astype(object).fillna("undefined"),
            texts(hit["message"]),
            strict=True,
        )
    ]
    found.storm[rows] = False
