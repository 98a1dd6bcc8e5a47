"""What a refusal of the sending IP or domain asks of the sender, read from its words.

Triage files these under Sisimai's reasons (``blocked``, ``badreputation``), which hold
several requests: greylisting (the receiver turns away a first attempt and takes the
next: it passes by retrying, nothing is listed and no reputation is at stake), a deferral
for the volume sent or its complaints (Yahoo's TSS04: slow down, and the reputation
recovers), a deferral that only asks to try again later (a 4.7.1 code files it as a
block, but the words name no list, no reputation, no cause: it passes by retrying, as
greylisting does), and a block list (delisting first). The words tell which; a block
list named anywhere decides, so a text naming one is never told as a mere deferral. A
filtering product's name is no word of these: it says who answered.
"""

from __future__ import annotations

import pandas as pd

#: The reasons of refusals of the sending IP or domain.
IP_REASONS = frozenset({"blocked", "badreputation", "requireptr"})
#: The names of block lists (a list's own name, or its zone's: zen.spamhaus.org,
#: multi.uribl.com), as words. URIBL and SURBL list the domains a message names: one naming
#: the sender's domain is a list to be taken off, as any other.
LIST_NAMES = (
    r"\b(?:spamhaus|spamcop|sorbs|dnsbl|rbls?|cbl|abuseat|barracudacentral|brbl|uceprotect"
    r"|psbl|invaluement|mailspike|spamrats|abusix|uribl|surbl)\b"
)
#: A list named by the words that say one was consulted: "listed at" or "blocked using"
#: a DNS zone (a list mmframe does not know by name is still one).
LIST_ZONE = r"(?:listed (?:in|on|at|by)|blocked using) (?:the )?(?:[a-z0-9-]+\.)+[a-z]{2,}\b"
#: Block lists, by their words or their names (Spamhaus, SpamCop, SORBS, Barracuda's
#: BRBL, ...). A filtering product's name (Proofpoint, Mimecast, Barracuda's appliances,
#: Cloudmark) is not among them: it says who answered, not that a list was consulted, so
#: "try again later (Proofpoint Essentials rate control)" is read for its words.
_BLOCK_LIST = (
    r"(?i)(?:block|black|deny|ban)[ -]?list|"
    + LIST_NAMES
    + r"|blocked using|listed (?:in|on|at|by)\b"
)
_GREYLISTING = r"(?i)gr[ae]yl[ia]st|not yet (?:authori[sz]ed|allowed|accepted|permitted)"
_VOLUME = r"(?i)\bvolume\b|user complaints|complaint rate"
#: Words that ask to try again later, and words that name why the sending IP was refused:
#: a deferral is one that says the first and none of the second.
#: ("permanently deferred; retrying will not succeed" asks nothing of the kind.)
_LATER = r"(?i)(?:try|come back|retry|resend) (?:again )?later|try again (?:in|after|soon|shortly)"
_NAMED_CAUSE = (
    r"(?i)block|black|\bban|den(?:y|ied)|refus|reject|reputation|listed|\bspam(?:\b|m|s\b)"
    r"|abus|\bptr\b|reverse|rdns|\bdns\b|hostname|helo|ehlo|polic|complain|poor|unwanted"
    r"|not (?:allowed|accepted|authori[sz]ed|permitted)|dynamic|residential|dial-?up"
    r"|suspicious|fraud|phish"
)


#: Throttles: refusals for the rate of mail (Sisimai's ``speeding`` and ``toomanyconn``).
THROTTLES = frozenset({"speeding", "toomanyconn"})
#: Words that say a throttle is applied for the sender's standing (the mail it sends read
#: as spam or unsolicited, its complaints, its reputation), or RFC 3463's X.7.28, "mail flood
#: detected": Gmail's 4.7.28 "unusual rate of unsolicited mail", a throttle "due to IP
#: reputation", one for "spam reports". The rate such a throttle lets through is the one the
#: sender's standing earns, as for Yahoo's TSS04: it is read as a deferral for the volume sent
#: or its complaints, which waits for the sender. A justification counts here ("to protect
#: our users from spam, mail ... has been rate limited" says why this sender is throttled),
#: and only beside a rate: a rate naming none of these (the recipient's own, a relay quota,
#: too many connections) passes by retrying. A filtering product's name ("SpamTitan rate
#: control") is none of these words: it says who answered.
_STANDING = (
    r"(?i)\bspam(?:\b|m|s\b)|unsolicited|\bjunk\b|reputation|complain"
    r"|(?:^|[^0-9.])[45]\.7\.28(?:[^0-9]|$)"
)


def throttled_for_standing(reason: pd.Series, texts: pd.Series) -> pd.Series:
    """Whether each refusal is a throttle (:data:`THROTTLES`) whose words (``texts``) say it
    is applied for the sender's standing (:data:`_STANDING`)."""
    said = texts.astype(object).fillna("").astype(str)
    rate = reason.astype(object).fillna("").astype(str).isin(list(THROTTLES))
    return rate & said.str.contains(_STANDING, regex=True).to_numpy()


def ip_refusal_kind(texts: pd.Series) -> pd.Series:
    """For each text: ``"greylisting"``, ``"volume"`` (deferred for the volume sent or
    its complaints), ``"deferred"`` (asked to try again later, no cause named) or ``""``
    (a block list, or words that do not say)."""
    said = texts.astype(object).fillna("").astype(str)
    listed = said.str.contains(_BLOCK_LIST, regex=True)
    kind = pd.Series("", index=texts.index, dtype=object)
    later = said.str.contains(_LATER, regex=True) & ~said.str.contains(_NAMED_CAUSE, regex=True)
    kind[~listed & later] = "deferred"
    kind[~listed & said.str.contains(_VOLUME, regex=True)] = "volume"
    kind[~listed & said.str.contains(_GREYLISTING, regex=True)] = "greylisting"
    return kind
