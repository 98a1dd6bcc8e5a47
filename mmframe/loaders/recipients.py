"""Recipient status for any number of addresses, batched within address and URL limits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Unpack

import pandas as pd

from .. import schema
from ..addresses import MAX_QUERY_CHARS, batches, distinct, require_valid
from ..client import Session, resolve
from ..errors import MalformedAnswer
from ..options import SessionOptions, takes
from ..progress import bar
from ..provenance import read_with


@takes(SessionOptions)
def read_recipients(emails: Iterable[str], **options: Unpack[SessionOptions]) -> pd.DataFrame:
    """Status and suppression status of each distinct address (first spelling, in order).

    Addresses are checked first (``ValueError`` naming every invalid one, before any
    request), then sent many per request, concurrently.

    Parameters
    ----------
    emails
        Addresses (a list, a Series, any iterable but one string); repeats, compared
        without case, are read once.
    **options
        ``session`` and ``progress`` (:class:`mmframe.options.SessionOptions`, where each
        is declared with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        ``email``, ``status`` (active/inactive), ``suppression_status`` (unsuppressed,
        suppressed, pending addition, pending removal).

    See Also
    --------
    read_suppressions, activate
    """
    if isinstance(emails, str):
        raise TypeError("emails must be a list or Series of addresses, not one string")
    given = list(emails)
    require_valid(given)
    wanted = distinct(given)
    session = resolve(options.get("session"))
    groups = list(batches(wanted, limit=session.transport.max_addresses, max_chars=MAX_QUERY_CHARS))
    found: dict[str, dict[str, Any]] = {}
    with bar("recipients", total=len(groups), progress=options.get("progress")) as shown:
        answers = session.map(
            lambda group: session.get("recipients/status", emailaddress=group)["recipients"],
            groups,
            each=lambda: shown.update(1),
        )
    for rows in answers:
        found.update({row["emailaddress"].lower(): row for row in rows})
    missing = [a for a in wanted if a.lower() not in found]
    if missing:  # the answers were well-formed, but not about what was asked
        raise MalformedAnswer(
            f"the answers hold no row for {len(missing)} address(es) asked about: "
            f"{', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}",
            field="recipients",
            method="GET recipients/status",
        )
    ordered = [found[a.lower()] for a in wanted]
    data = schema.frame(ordered, schema.RECIPIENTS)
    return read_with(schema.stamp(data, "recipients", count=len(wanted)), session)


#: Suppression statuses of an address that is on the list (a removal may still be pending).
ON_THE_LIST = frozenset({"suppressed", "pending removal"})


def suppressed_among(session: Session, emails: Iterable[str]) -> set[str]:
    """The addresses of ``emails`` (lower-cased) on the session's suppression list now.

    Each address is asked about once, many per request: its answer is a fact of one
    moment, whatever else changes while the others are asked about.
    """
    wanted = distinct(e for e in emails if e)
    limit = session.transport.max_addresses
    groups = list(batches(wanted, limit=limit, max_chars=MAX_QUERY_CHARS))
    found: set[str] = set()
    for _group, rows in session.map_unordered(
        lambda group: session.get("recipients/status", emailaddress=group)["recipients"], groups
    ):
        found.update(
            row["emailaddress"].lower() for row in rows if row["suppressionstatus"] in ON_THE_LIST
        )
    return found
