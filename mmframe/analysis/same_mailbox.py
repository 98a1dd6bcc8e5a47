"""Another spelling of the same mailbox: what it asked holds the row back.

Mail to ``carol+promo@gmail.com``, ``c.arol@gmail.com`` or ``carol@googlemail.com`` reaches
``carol@gmail.com``'s mailbox: a sub-address tag (``+tag``, RFC 5233) is delivered to the
mailbox without it by Gmail, Outlook, iCloud, Fastmail and Proton among others, Gmail
ignores dots in the local part, and a provider's other domains reach one account
(:data:`SHARED_DOMAINS`: googlemail.com, Apple's me.com and mac.com, Proton's, Yandex's).
A complaint or an opt-out made from one spelling was judged nothing to the others, and the
storm row of the mailbox was put back (twenty-seventh review; thirtieth, S1: iCloud). Where
the provider's rules are not known the tag is dropped all the same: the row goes to
``review``, never back on a guess, and only a row nothing else condemns (its own evidence
names its own address)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .verdicts import Verdicts, day, key

#: The cause of a row held by what another spelling of its mailbox asked.
SAME_MAILBOX = "samemailbox"
#: Domains one mailbox service answers for one account, and the name they share: each
#: provider documents them so (Google's googlemail.com; Apple's @me.com and @mac.com
#: addresses receive at @icloud.com; Proton's proton.me, protonmail.com/.ch and pm.me;
#: Yandex's domain aliases). Outlook's and Yahoo's domains are separate namespaces.
SHARED_DOMAINS = {
    **dict.fromkeys(["gmail.com", "googlemail.com"], "gmail.com"),
    **dict.fromkeys(["icloud.com", "me.com", "mac.com"], "icloud.com"),
    **dict.fromkeys(["proton.me", "protonmail.com", "protonmail.ch", "pm.me"], "proton.me"),
    **dict.fromkeys(
        [
            "yandex.ru",
            "yandex.com",
            "ya.ru",
            "yandex.by",
            "yandex.kz",
            "yandex.ua",
            "yandex.com.tr",
            "narod.ru",
        ],
        "yandex.ru",
    ),
}
#: Per shared name, what its local parts read alike (each text said, read as another):
#: Gmail ignores dots; Proton reads ".", "_" and "-" in a username as nothing ("username
#: is the same as user_name and user.name": thirty-second review, S1); Yandex reads a
#: hyphen in a login as a dot.
LOCAL_ALIKE = {
    "gmail.com": ((".", ""),),
    "proton.me": ((".", ""), ("_", ""), ("-", "")),
    "yandex.ru": (("-", "."),),
}
#: What an event asked, in words after the spelling.
ASKED = {"complaint": "reported spam", "unsubscribe": "unsubscribed",
         "manual": "was added to a list by hand"}  # fmt: skip


def mailbox(emails: pd.Series) -> pd.Series:
    """Each address's mailbox: lower-cased and trimmed, its sub-address tag (from the
    first ``+``) dropped, its domain the name its service shares (:data:`SHARED_DOMAINS`),
    and its local part read as that service reads it (:data:`LOCAL_ALIKE`). An address
    whose local part is all tag keeps its spelling."""
    text = emails.astype(str).str.strip().str.lower()
    if not len(text):
        return text
    parts = text.str.rpartition("@")
    local = parts[0].str.split("+", n=1).str[0]
    domain = parts[2].map(SHARED_DOMAINS).fillna(parts[2])
    for shared, alike in LOCAL_ALIKE.items():
        for said, read in alike:
            local = local.where(domain != shared, local.str.replace(said, read, regex=False))
    return (local + "@" + domain).where((local != "") & (parts[1] == "@"), text)


def maybe_another(plain: pd.Series) -> np.ndarray:
    """Whether each address (trimmed, lower-cased) may be spelt otherwise than its
    mailbox: a ``+`` in it, a service's other domain (``googlemail.com``, ``me.com``), or
    a local part its service reads otherwise (a dot at Gmail). Only these :func:`mailbox`
    need read: every other address is its own mailbox."""
    if not len(plain):
        return np.zeros(0, dtype=bool)
    parts = plain.str.rpartition("@")
    local, domain = parts[0], parts[2]
    shared = domain.map(SHARED_DOMAINS)
    other_domain = shared.notna() & (shared != domain)
    alike = pd.Series(False, index=plain.index)
    for name, pairs in LOCAL_ALIKE.items():
        for said, _read in pairs:
            alike |= (domain == name) & local.str.contains(said, regex=False)
    plus = plain.str.contains("+", regex=False)
    return np.asarray(plus | other_domain | alike, dtype=bool)


def in_boxes(emails: pd.Series, boxes: set[str]) -> np.ndarray:
    """Whether each address's mailbox is one of ``boxes`` (:func:`mailbox`), reading the
    mailbox only of those that may be another spelling (a whole list, read fast)."""
    plain = emails.astype(str).str.strip().str.lower()
    out = plain.isin(boxes).to_numpy(copy=True)
    spelt = ~out & maybe_another(plain)
    out[spelt] = mailbox(plain[spelt]).isin(boxes).to_numpy()
    return out


def asked_as_another(
    found: Verdicts,
    sup: pd.DataFrame,
    complaints: pd.DataFrame,
    opt_outs: pd.DataFrame,
    condemning: frozenset[str],
) -> None:
    """A row not kept, whose cause is none of ``condemning``, whose mailbox complained or
    opted out under another spelling, on any account given, at any time, is ``review``
    (cause :data:`SAME_MAILBOX`; the evidence names the spelling, what it did, where and
    when)."""
    events = _asked(complaints, opt_outs)
    free = np.flatnonzero((found.verdict != "keep") & ~np.isin(found.cause, list(condemning)))
    if not len(events) or not len(free):
        return
    rows = pd.DataFrame({"row": free, "box": mailbox(sup["email"]).to_numpy()[free],
                         "own": key(sup, False).to_numpy()[free]})  # fmt: skip
    hit = rows.merge(events, on="box")
    hit = hit[hit["own"] != hit["exact"]].sort_values("at", na_position="first", kind="stable")
    latest = hit.drop_duplicates("row", keep="last")
    if not len(latest):
        return
    at = latest["row"].to_numpy()
    found.verdict[at] = "review"
    found.cause[at] = SAME_MAILBOX
    found.evidence[at] = [
        f"another spelling of this mailbox, {spelt}, {ASKED[what]}{where} on {day(when)} "
        "(a +tag, Gmail's dots, or a service's other domain such as googlemail.com or me.com, "
        "may reach one mailbox): not put back "
        "unasked"
        for spelt, what, where, when in zip(
            latest["spelt"], latest["what"], latest["where"], latest["at"], strict=True
        )
    ]
    found.storm[at] = False


def _asked(complaints: pd.DataFrame, opt_outs: pd.DataFrame) -> pd.DataFrame:
    """Every complaint and opt-out given: ``box`` (its mailbox), ``exact`` (its address,
    as :func:`~mmframe.analysis.verdicts.key`), ``spelt``, ``what``, ``where`` (", on"
    its account) and ``at``."""
    columns = ["box", "exact", "spelt", "what", "where", "at"]
    parts = []
    for frame, time in ((complaints, "complained_at"), (opt_outs, "suppressed_at")):
        if not len(frame) or "email" not in frame.columns:
            continue
        frame = frame.reset_index(drop=True)
        if time == "complained_at":
            what = pd.Series("complaint", index=frame.index)
        elif "reason" in frame.columns:
            what = frame["reason"].astype(str).str.strip().str.lower()
        else:
            continue
        wanted = what.isin(list(ASKED))
        frame, what = frame[wanted].reset_index(drop=True), what[wanted].reset_index(drop=True)
        where = (", on " + frame["account"].astype(str)) if "account" in frame.columns else ""
        at = pd.to_datetime(frame[time], utc=True) if time in frame.columns else pd.NaT
        parts.append(pd.DataFrame({"box": mailbox(frame["email"]), "exact": key(frame, False),
                                   "spelt": frame["email"].astype(str).str.strip(),
                                   "what": what, "where": where, "at": at}))  # fmt: skip
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
