"""What in a bounce says the address cannot receive, whatever reason it was read as: the
dead-mailbox words, an address-level status under a 5xx reply, or a domain not found under
a 4xx (mixed evidence), with the address-level reason each names (:func:`dead_said`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .bounce_words import DOMAIN_UNDER_4XX, address_status, dead_words, words_of
from .triage import ADDRESS_REASONS
from .verdicts import ints, texts

#: The address-level reason each address-level status names (RFC 3463/5248 subject.detail,
#: as Sisimai reads them): what a row held back by such a status is held for.
_STATUS_CAUSE = {
    "1.1": "userunknown", "1.2": "hostunknown", "1.3": "userunknown", "1.6": "hasmoved",
    "1.10": "notaccept", "2.1": "suspend", "7.13": "suspend", "7.17": "hasmoved",
}  # fmt: skip


def dead_said(triaged: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each triaged bounce whose reason is not an address-level one, what in it still
    says the address cannot receive, whatever reason its text was read as (None where
    nothing does): words naming an unknown, disabled or moved mailbox (read as triage reads
    them, the address set aside: "Mailbox <a@x.com> unknown"), or an address-level enhanced
    status under a 5xx reply ("550 5.1.1 ... rate limited": the code calls the mailbox bad,
    the words name another cause: mixed evidence, so nobody is put back on a guess), or a
    domain "not found" under a 4xx reply alone (:data:`~.bounce_words.DOMAIN_UNDER_4XX`:
    the server may find it later, or never). And the address-level reason each says
    (None for the domain under a 4xx: mixed evidence, no cause of its own)."""
    out = np.full(len(triaged), None, dtype=object)
    causes = np.full(len(triaged), None, dtype=object)
    reason = triaged["reason"].astype(object).fillna("undefined").to_numpy()
    open_ = np.flatnonzero(~np.isin(reason, list(ADDRESS_REASONS)))
    if not len(open_):
        return out, causes
    message = triaged["message"].astype(object).to_numpy()[open_]
    text = pa.array([None if pd.isna(m) else str(m) for m in message], pa.string())
    family, words = dead_words(words_of(pc.fill_null(text, "")))
    status = texts(triaged["status"].iloc[open_])
    reply = ints(triaged["reply"].iloc[open_])
    said = [e or "" for e in texts(triaged["evidence"].iloc[open_])]
    for at, i in enumerate(open_):
        if family[at]:
            out[i], causes[i] = f"names '{words[at]}'", family[at]
        elif DOMAIN_UNDER_4XX in said[at]:
            out[i] = f"says '{said[at]}'"
        elif address_status(status[at], reply[at]):
            out[i] = f"gives {status[at]} (the recipient's address or mailbox, under a 5xx reply)"
            causes[i] = _STATUS_CAUSE[str(status[at]).split(".", 1)[1]]
    return out, causes
