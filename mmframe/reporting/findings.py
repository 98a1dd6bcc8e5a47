"""Findings: every incident the evidence holds, each with sentences computed from its rows.

Nothing here reads or writes; :mod:`mmframe.reporting.evidence` reads, and the template only
lays out what these functions said. A sentence names a cause only when the rows show it;
where they do not, it says what is missing. One module a kind: :mod:`.finding` (the
finding and the shared words), :mod:`.spike_findings`, :mod:`.rate_findings`.
"""

from .complained_of import identifiers
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, MIN_COMPLAINTS, Finding
from .group_names import where
from .rate_findings import (
    bounce_rate_finding,
    complaint_finding,
    groups_over,
    range_totals,
    rate_findings,
    watch_list,
)
from .spike_code import spike_fix_code
from .spike_findings import spike_finding

__all__ = [
    "BOUNCE_RATE_LINE",
    "MIN_BOUNCES",
    "MIN_COMPLAINTS",
    "Finding",
    "bounce_rate_finding",
    "complaint_finding",
    "groups_over",
    "identifiers",
    "range_totals",
    "rate_findings",
    "spike_finding",
    "spike_fix_code",
    "watch_list",
    "where",
]
