"""Which rows of a fix wait for the sender: refusals made for the sender's sake.

A server that refused mail for failed authentication, the sending IP's block listing or
reputation, the volume sent, or the message's content refuses it again until the sender
fixes that: those addresses are put back only afterwards. Greylisting, though Sisimai files
it as a block, passes by retrying, and so does a deferral that only asks to try again
later (read from the words, :mod:`.refusal_words`). A throttle applied for the sender's
standing (Gmail's 4.7.28 "unusual rate of unsolicited mail", one "due to IP reputation")
is a deferral for the volume sent or its complaints, as Yahoo's TSS04 is: it waits. The report's
advice, its dry-run sentence and the code it prints all take the split from here, so the
page and the code never disagree about which rows wait.
"""

from __future__ import annotations

import pandas as pd

from .refusal_words import IP_REASONS, ip_refusal_kind, throttled_for_standing

#: The reasons (and word-read kinds) of refusals made for the sender's sake.
AUTHENTICATION = frozenset({"authfailure"})
CONTENT = frozenset({"spamdetected", "contenterror", "virusdetected", "policyviolation"})
VOLUME = frozenset({"volume"})
SENDER_FIRST = AUTHENTICATION | IP_REASONS | VOLUME | CONTENT


def refusal_kind(reason: pd.Series, texts: pd.Series | None) -> pd.Series:
    """Each reason, with greylisting and volume deferrals among the refusals of the
    sending IP named as such from their words (``texts``; None: the reasons as they are),
    a ``blocked`` that only asks to try again later as ``deferred`` (a reputation or
    a missing reverse DNS names its cause by its reason: never a mere deferral), and a
    throttle applied for the sender's standing as ``volume``."""
    out = reason.astype(object).fillna("undefined")
    if texts is None:
        return out
    ip = out.isin(list(IP_REASONS))
    kind = ip_refusal_kind(texts)
    named = (kind == "deferred") & (out != "blocked")
    out = out.mask(ip & (kind != "") & ~named, kind)
    return out.mask(throttled_for_standing(out, texts), "volume")


def waits_for_sender(fix: pd.DataFrame) -> pd.Series:
    """Whether each row of a fix waits until the sender has fixed what was refused.

    Parameters
    ----------
    fix
        Rows of :func:`mmframe.remediation_candidates` (its ``cause`` and ``evidence``).

    Returns
    -------
    pandas.Series
        Boolean, on ``fix``'s index: True where the row was refused for the sender's sake
        (authentication, a block list or reputation, the volume sent, the content or the
        receiver's policy); put back before that is fixed, it bounces again.

    Examples
    --------
    The split a report's printed fix makes (``fix`` from :func:`remediation_candidates`)::

        back = fix[fix["verdict"] == "reactivate"]
        wait = mm.waits_for_sender(back)
        clear, later = back[~wait], back[wait]  # later: once the sender is fixed
    """
    texts = fix["evidence"] if "evidence" in fix.columns else None
    kind = refusal_kind(fix["cause"].astype(str), texts)
    return kind.isin(list(SENDER_FIRST)).rename("waits_for_sender")
