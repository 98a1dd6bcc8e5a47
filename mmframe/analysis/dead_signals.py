"""What in a bounce says the address cannot receive, whatever reason it was read as: the
dead-mailbox words, an address-level status under a 5xx reply, or a domain not found under
a 4xx (mixed evidence), with the cause each holds a row for (:func:`dead_said`); or
what in it may say so, in words the triage does not read (:data:`UNREAD`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .bare_words import bare_dead
from .bounce_words import (
    DOMAIN_UNDER_4XX,
    LINE_BREAKS,
    NOT_FOUND_THIS_TIME,
    SENDERS_OWN,
    address_status,
    dead_words,
    domain_words,
    generic_under_5xx,
    words_of,
)
from .sender_clauses import without_senders_clauses
from .triage import ADDRESS_REASONS
from .unread_words import unread_clause
from .verdicts import ints, texts

#: The cause of a row held for a bounce with a clause in words the triage does not read
#: (:mod:`.unread_words`): it may say the mailbox is dead, and nobody is put back on a guess.
UNREAD = "unread"

#: The cause of a row held back by an address-level status under a 5xx reply beside words
#: naming another cause ("550 5.1.1 rate limited"): mixed evidence, which condemns the
#: address but is not a mailbox a server called dead in words (that one, on the row's own
#: account, is ``keep``), so it is named apart (tenth review, F6).
MIXED_STATUS = "mixedstatus"


def _senders_status(status: str | None) -> bool:
    """Whether ``status`` is X.1.7 or X.1.8, RFC 3463's bad sender's mailbox or system
    address: a domain "not found" under it is the sender's (Postfix's 450 4.1.8 for
    reject_unknown_sender_domain), not the recipient's."""
    return bool(status) and str(status).split(".", 1)[-1] in ("1.7", "1.8")


def dead_said(triaged: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each triaged bounce whose reason is not an address-level one, what in it still
    says the address cannot receive, whatever reason its text was read as (None where
    nothing does): words naming an unknown, disabled or moved mailbox (read as triage reads
    them, the address set aside: "Mailbox <a@x.com> unknown"), or an address-level enhanced
    status under a 5xx reply ("550 5.1.1 ... rate limited": the code calls the mailbox bad,
    the words name another cause: mixed evidence, so nobody is put back on a guess), or a
    domain "not found" under a 4xx reply alone (:data:`~.bounce_words.DOMAIN_UNDER_4XX`:
    the server may find it later, or never), or a clause in words the triage does not read
    (another language: "421 Too many connections; Skrzynka pocztowa nie istnieje"). And the
    cause each holds a row for: the address-level reason its words name,
    :data:`MIXED_STATUS` for the status beside other words, None for the domain under a 4xx
    (mixed evidence, no cause of its own), :data:`UNREAD` for the unread words."""
    out = np.full(len(triaged), None, dtype=object)
    causes = np.full(len(triaged), None, dtype=object)
    reason = triaged["reason"].astype(object).fillna("undefined").to_numpy()
    open_ = np.flatnonzero(~np.isin(reason, list(ADDRESS_REASONS)))
    if not len(open_):
        return out, causes
    message = triaged["message"].astype(object).to_numpy()[open_]
    text = pa.array([None if pd.isna(m) else str(m) for m in message], pa.string())
    text = pc.fill_null(text, "")
    lines = words_of(text, lines=True)  # clauses end at a line's end, not within a reply
    # The sender's words set aside ("Sender address rejected: Domain not found"), and every
    # line a clause, a reply's own next line too ("...later\n421 4.7.0 unknown": 47th).
    by_line = without_senders_clauses(words_of(text, lines=True, replies=False))
    theirs = pc.replace_substring_regex(by_line, *LINE_BREAKS)
    family, words = dead_words(theirs)
    domain = domain_words(theirs)
    # A 5xx reply quoted on a line of its own ("...try again later\n550 5.1.1"): the
    # lines' words lose a line's leading code, the text itself keeps it (forty-sixth, B1).
    generic = generic_under_5xx(theirs)
    unsaid = np.flatnonzero(pd.isna(generic))
    generic[unsaid] = generic_under_5xx(text.take(pa.array(unsaid)))
    # A line is a clause of its own: "...\n550 unknown" (forty-fourth review, at its end).
    bare = bare_dead(pc.replace_substring_regex(by_line, LINE_BREAKS[0], "\n"))
    status = texts(triaged["status"].iloc[open_])
    reply = ints(triaged["reply"].iloc[open_])
    said = [e or "" for e in texts(triaged["evidence"].iloc[open_])]
    unread = unread_clause(lines)  # a reply's lines one sentence: "Please direct\n452-4.2.2 the"
    for at, i in enumerate(open_):
        if family[at]:
            out[i], causes[i] = f"names '{words[at]}'", family[at]
        elif DOMAIN_UNDER_4XX in said[at] and not _senders_status(status[at]) and domain[at]:
            out[i] = f"says '{said[at]}'"
        elif address_status(status[at], reply[at]):
            out[i] = f"gives {status[at]} (the recipient's address or mailbox, under a 5xx reply)"
            causes[i] = MIXED_STATUS
        elif generic[at] is not None:
            out[i] = f"says '{generic[at]}' under a 5xx reply, beside words of another cause"
            causes[i] = MIXED_STATUS
        elif bare[at] is not None:  # "421 Too many connections; error: no existe"
            out[i] = f"says '{bare[at]}' of nothing named, beside words of another cause"
            causes[i] = MIXED_STATUS
        elif domain[at] is not None and NOT_FOUND_THIS_TIME not in said[at]:  # beside a rate
            out[i] = f"names '{domain[at]}' (the recipient's domain)"
            causes[i] = "hostunknown"
        elif unread[at] is not None:
            out[i], causes[i] = f"says '{unread[at]}', in words mmframe does not read", UNREAD
    return out, causes


def called_dead(triaged: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Whether each triaged bounce says its address cannot receive, as a bounce on another
    account or under another spelling is read (an address-level reason, or what
    :func:`dead_said` finds, but in the sender's own refusal), and the cause it holds a row
    for (its reason where address-level, else what :func:`dead_said` names)."""
    reason = triaged["reason"].astype(object)
    named = reason.isin(list(ADDRESS_REASONS)).to_numpy()
    beside, cause = dead_said(triaged)  # words or an address's 5xx status, beside others
    beside[reason.isin(SENDERS_OWN).to_numpy()] = None  # its sender's
    dead = np.asarray(named | pd.notna(beside), dtype=bool)
    return dead, np.where(named, reason.to_numpy(), cause)
