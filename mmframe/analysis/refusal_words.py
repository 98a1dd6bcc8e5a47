"""What a refusal of the sending IP or domain asks of the sender, read from its words.

Triage files these under Sisimai's reasons (``blocked``, ``badreputation``), which hold
several requests: greylisting (the receiver turns away a first attempt and takes the
next: it passes by retrying, nothing is listed and no reputation is at stake), a deferral
for the volume sent or its complaints (Yahoo's TSS04: slow down, and the reputation
recovers), and a block list (delisting first). The words tell which; a block list named
anywhere decides, so a text naming one is never told as a mere deferral.
"""

from __future__ import annotations

import pandas as pd

#: The reasons of refusals of the sending IP or domain.
IP_REASONS = frozenset({"blocked", "badreputation", "requireptr"})
_BLOCK_LIST = (
    r"(?i)(?:block|black|deny|ban)[ -]?list|\b(?:spamhaus|spamcop|barracuda|sorbs|dnsbl|rbl"
    r"|cloudmark|proofpoint|abuseat|cbl|zen)\b|blocked using|listed (?:in|on|at|by)\b"
)
_GREYLISTING = r"(?i)gr[ae]yl[ia]st|not yet (?:authori[sz]ed|allowed|accepted|permitted)"
_VOLUME = r"(?i)\bvolume\b|user complaints|complaint rate"


def ip_refusal_kind(texts: pd.Series) -> pd.Series:
    """For each text: ``"greylisting"``, ``"volume"`` (deferred for the volume sent or
    its complaints) or ``""`` (a block list, or words that do not say)."""
    said = texts.astype(object).fillna("").astype(str)
    listed = said.str.contains(_BLOCK_LIST, regex=True)
    kind = pd.Series("", index=texts.index, dtype=object)
    kind[~listed & said.str.contains(_VOLUME, regex=True)] = "volume"
    kind[~listed & said.str.contains(_GREYLISTING, regex=True)] = "greylisting"
    return kind
