"""The public writes, each a plain function (``df.mm`` delegates to these)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..client import Session, resolve
from ..errors import ConfirmationRequired
from . import plan
from .apply import Options, Write, execute
from .engine import Operation
from .targets import kind_of

_SELECTOR = re.compile(r"^[A-Za-z0-9_-]{1,63}$")


def _addresses(keys: list[str]) -> dict[str, Any]:
    return {"emailaddress": ",".join(keys)}


UNSUPPRESS = Operation("unsuppress", "suppressions/activate", _addresses)
REACTIVATE = Operation("reactivate", "recipients/activate", _addresses)
REMEDIATE = Operation("remediate", "suppressions/activate", _addresses, then=REACTIVATE)
SUPPRESS = Operation("suppress", "suppressions", _addresses)


def _options(kwargs: dict[str, Any]) -> Options:
    unknown = set(kwargs) - set(Options.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unexpected option(s): {', '.join(sorted(unknown))}")
    return Options(**kwargs)


def activate(
    frame: pd.DataFrame, *, full: bool = False, kind: str | None = None, **options: Any
) -> pd.DataFrame:
    """Let the frame's addresses be mailed again.

    On a suppressions frame, removes them from the suppression list
    (``/suppressions/activate``); on a recipients frame, sets them active
    (``/recipients/activate``); ``full=True`` does both, for a complete remediation.

    Parameters
    ----------
    frame
        Rows to act on; an ``account`` column routes each row to its account's key.
    full
        Both remove from the list and reactivate.
    kind
        ``"suppressions"`` or ``"recipients"`` when attrs and columns cannot tell.
    **options
        ``dry_run``, ``confirm``, ``confirm_threshold`` (1000), ``batch_size``, ``journal``,
        ``verify``, ``on_error`` ("collect" or "raise"), ``on_invalid`` ("raise" or "skip"),
        ``session``, ``progress``.

    Returns
    -------
    pandas.DataFrame
        The input rows (same index) plus ``status`` (ok, failed, unchanged, planned,
        skipped), ``error``, ``attempts`` and ``batch``.

    Raises
    ------
    ConfirmationRequired
        More than ``confirm_threshold`` rows without ``confirm=``.
    BatchWriteError
        With ``on_error="raise"``, when any row failed.

    Examples
    --------
    >>> plan = storm.mm.activate(full=True, dry_run=True)  # doctest: +SKIP
    >>> done = storm.mm.activate(full=True, journal="fix.jsonl")  # doctest: +SKIP
    """
    what = kind_of(frame, kind)
    if what not in ("suppressions", "recipients"):
        raise ValueError(f"activate() works on suppressions or recipients frames, not {what}")
    if full:
        write = Write(REMEDIATE, "email", plan.recipient_states, plan.remediated)
    elif what == "suppressions":
        write = Write(UNSUPPRESS, "email", plan.recipient_states, plan.unsuppressed)
    else:
        write = Write(REACTIVATE, "email", plan.recipient_states, plan.active)
    return execute(frame, write, _options(options))


def suppress(frame: pd.DataFrame, *, kind: str | None = None, **options: Any) -> pd.DataFrame:
    """Add the frame's addresses to the suppression list (reason ``manual``).

    Takes the options of :func:`activate`; any frame with an ``email`` column will do.
    """
    if kind is not None:
        kind_of(frame, kind)
    write = Write(SUPPRESS, "email", plan.recipient_states, plan.suppressed)
    return execute(frame, write, _options(options))


def _sender_write(
    name: str, method: str, extra: dict[str, Any], reached: Any, *, destructive: bool = False
) -> Write:
    operation = Operation(
        name,
        method,
        lambda keys: {"emailaddress": keys[0], **extra},
        multi=False,
        signature=f"{name}:{sorted(extra.items())}",
    )
    return Write(operation, "email", plan.sender_states, reached, destructive=destructive)


def _seeding_is(value: int) -> Any:
    return lambda state: state is not None and int(state.get("seeding", -1)) == value


def set_seeding(frame: pd.DataFrame, value: int, **options: Any) -> pd.DataFrame:
    """Opt the frame's senders in (1) or out (0) of seeding; one request per sender."""
    if value not in (0, 1) or isinstance(value, bool):
        raise ValueError(f"seeding must be 0 or 1, not {value!r}")
    write = _sender_write("set_seeding", "senders", {"seeding": value}, _seeding_is(value))
    return execute(frame, write, _options(options))


def set_dkim(frame: pd.DataFrame, selector: str, **options: Any) -> pd.DataFrame:
    """Set the DKIM selector of the frame's senders (letters, digits, ``-``, ``_``)."""
    if not isinstance(selector, str) or not _SELECTOR.match(selector):
        raise ValueError(f"selector must be letters, digits, '-' or '_', not {selector!r}")
    write = _sender_write(
        "set_dkim",
        "senders/dkim",
        {"dkim": selector},
        lambda s: s is not None and s.get("dkimval") == selector,
    )
    return execute(frame, write, _options(options))


def create_senders(
    emails: pd.DataFrame | Iterable[str], *, seeding: int = 0, **options: Any
) -> pd.DataFrame:
    """Approve senders (create, or update their seeding); a frame needs an ``email`` column."""
    if seeding not in (0, 1):
        raise ValueError(f"seeding must be 0 or 1, not {seeding!r}")
    frame = emails if isinstance(emails, pd.DataFrame) else pd.DataFrame({"email": list(emails)})
    write = _sender_write("create_senders", "senders", {"seeding": seeding}, _seeding_is(seeding))
    return execute(frame, write, _options(options))


def delete(frame: pd.DataFrame, *, kind: str | None = None, **options: Any) -> pd.DataFrame:
    """Delete the frame's senders, or its sub-accounts (master key); always needs confirm=."""
    what = kind_of(frame, kind)
    if what == "senders":
        write = _sender_write("delete_senders", "senders/delete", {}, plan.absent, destructive=True)
    elif what == "accounts":
        operation = Operation(
            "delete_accounts", "accounts/delete", lambda keys: {"username": keys[0]}, multi=False
        )
        write = Write(operation, "username", plan.account_states, plan.absent, destructive=True)
    else:
        raise ValueError(f"delete() works on senders or accounts frames, not {what}")
    # An accounts frame's rows are all deleted by the master key, whatever their account.
    target = frame.drop(columns="account", errors="ignore") if what == "accounts" else frame
    return execute(target, write, _options(options))


def rotate_apikey(username: str, *, confirm: bool = False, session: Session | None = None) -> str:
    """Give ``username`` a new API key; the old key stops working at once.

    Sessions holding the old key (the master's own, or sub-account sessions it opened)
    switch to the new key. Returns only the new key's last four characters.
    """
    if confirm is not True:
        raise ConfirmationRequired(
            f"rotating the API key of {username} breaks every client using the old key: "
            "pass confirm=True",
            summary={"operation": "rotate_apikey", "username": username},
        )
    master = resolve(session)
    new_key = master.post("accounts", username=username, generatenewapikey=1)["apikey"]
    master.switch_key(username, new_key)
    return f"…{new_key[-4:]}"


ACCOUNT_FIELDS = {
    "username": "username",
    "password": "password",
    "account_name": "accountname",
    "company_name": "companyname",
    "contact_name": "contactname",
    "address": "address",
    "city": "city",
    "state": "state",
    "zipcode": "zipcode",
    "country": "country",
    "phone": "phone",
    "timezone": "timezone",
    "bounce_url": "bounce_url",
    "spam_url": "spam_url",
    "unsub_url": "unsub_url",
    "track_opens": "trackopens",
    "track_links": "tracklinks",
    "track_unsubscribes": "trackunsubscribes",
    "bounce_url_active": "bounce_url_active",
    "spam_url_active": "spam_url_active",
    "unsub_url_active": "unsub_url_active",
}


def upsert_accounts(frame: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """Create or update sub-accounts (master key), one request per row.

    Columns use :func:`mmframe.read_accounts`'s names (``username``, ``password``,
    ``company_name``, ``phone``, ``timezone``, ``track_opens``, ...); passwords are sent
    and never kept in the result.
    """
    unknown = [
        c
        for c in frame.columns
        if c not in ACCOUNT_FIELDS
        and c
        not in (
            "user_type",
            "created",
            "emails_sent",
            "apikey_hint",
            "max_sample_count",
            "test_mode",
        )
    ]
    if unknown:
        raise KeyError(f"columns not writable to an account: {unknown}")
    records = frame.to_dict("records")
    fields = {
        str(i): _account_params({str(k): v for k, v in row.items()})
        for i, row in zip(frame.index, records, strict=True)
    }
    operation = Operation("upsert_accounts", "accounts", lambda keys: fields[keys[0]], multi=False)
    keyed = frame.assign(_row=[str(i) for i in frame.index])
    write = Write(operation, "_row", plan.account_states, lambda s: False, addresses=False)
    return execute(keyed, write, _options(options)).drop(columns="_row")


def _account_params(row: dict[str, Any]) -> dict[str, Any]:
    params = {}
    for column, value in row.items():
        if column in ACCOUNT_FIELDS and value is not None and not pd.isna(value):
            params[ACCOUNT_FIELDS[column]] = int(value) if isinstance(value, bool) else value
    return params


def set_xheaders(accounts: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """Set each account's four X-header names from columns ``xheader1`` .. ``xheader4``.

    Rows need an ``account`` column (usernames; the master key opens each account).
    """
    names = [c for c in ("xheader1", "xheader2", "xheader3", "xheader4") if c in accounts]
    if not names:
        raise KeyError("set_xheaders needs at least one of the columns xheader1..xheader4")
    values = {
        str(a).lower(): {n: ("" if pd.isna(v) else str(v)) for n, v in row.items() if n in names}
        for a, row in zip(accounts["account"], accounts.to_dict("records"), strict=True)
    }
    operation = Operation(
        "set_xheaders", "accounts/xheaders", lambda keys: values[keys[0].lower()], multi=False
    )

    def states(session: Session, keys: list[str]) -> dict[str, plan.State | None]:
        # Read with the account's own key (listing accounts would need the master's).
        current = dict(session.get("accounts/xheaders"))
        return {k.lower(): {"current": current, "wanted": values[k.lower()]} for k in keys}

    def reached(state: plan.State | None) -> bool:
        return state is not None and all(
            state["current"].get(name) == value for name, value in state["wanted"].items()
        )

    keyed = accounts.assign(_account=accounts["account"])
    write = Write(operation, "_account", states, reached, addresses=True)
    return execute(keyed, write, _options(options)).drop(columns="_account")
