"""X-header names: the API's grammar for them, and the frame column each header gets
(header names are case-insensitive, so a column depends on a name's letters alone)."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: An X-header name, as the API takes it in ``/accounts/xheaders`` and in report filters:
#: ``X-`` (either case: header names are case-insensitive), then a letter or digit, then
#: up to 62 letters, digits and dashes. The emulator holds the same rule
#: (``tests/test_xheader_rules.py`` holds the two equal).
XHEADER_NAME = re.compile(r"[Xx]-[A-Za-z0-9][A-Za-z0-9-]{0,62}")


def is_xheader(name: object) -> bool:
    """Whether ``name`` is an X-header name (:data:`XHEADER_NAME`)."""
    return isinstance(name, str) and XHEADER_NAME.fullmatch(name) is not None


def xheader_column(name: str) -> str:
    """The column of an X-header: ``X-Campaign`` -> ``x_campaign``, ``X-MessageId`` ->
    ``x_messageid``, ``X-Message-Id`` -> ``x_message_id``.

    Header names are case-insensitive (RFC 5322), so the column depends on the name's
    letters alone, never on their case: ``X-MESSAGEID`` on one account and ``X-MessageId``
    on another are one header, one column. Every character but a letter or digit becomes
    ``_``, one for one, so two names of the :data:`XHEADER_NAME` grammar share a column
    exactly when they are the same header.
    """
    return re.sub(r"[^0-9a-z]", "_", name.lower())


def xheader_columns(names: Iterable[str], *, where: str = "") -> dict[str, list[str]]:
    """Column -> every spelling of the one header it holds, in first-seen order.

    Header names are case-insensitive (RFC 5322), so ``X-Campaign`` and ``X-campaign`` are
    one header and share ``x_campaign``. Names of the API's grammar never clash otherwise;
    a field a report row carries outside it (``X-Message.Id`` beside ``X-Message_Id``)
    could, and then the two cannot both be shown.

    Raises
    ------
    ValueError
        Naming both headers (and ``where`` they come from) when two share a column.
    """
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        groups.setdefault(xheader_column(name), []).append(name)
    for column, group in groups.items():
        headers = list(dict.fromkeys(n.lower() for n in group))
        if len(headers) > 1:
            shown = [next(n for n in group if n.lower() == h) for h in headers]
            raise ValueError(
                f"the X-headers {' and '.join(shown)} are different headers that would share "
                f"the column {column!r}{where}: rename one (mm.set_xheaders) or read the "
                "accounts apart"
            )
    return groups
