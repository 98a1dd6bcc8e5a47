"""Account writes (master key): create or update, X-header names, deletes, key rotation.

Account rows are validated like addresses before any request: the username, the profile
fields by the API's own rules (timezone, country, flags), and, for accounts that do not
exist yet, the fields a create needs. Dry runs and ``verify=`` compare the account's
readable fields with those sent; passwords cannot be read back, so they are not compared.
"""

from __future__ import annotations

import os
import re
from typing import Any, Unpack

import pandas as pd

from ..client import Session, resolve
from ..errors import (
    APIError,
    ConfirmationRequired,
    InvalidAPIKey,
    MMError,
    TransportError,
    warn,
)
from ..options import WriteOptions, takes
from ..redact import ApiKey, register
from ..xheader_names import is_xheader
from . import states
from .apply import execute
from .model import RESULT_COLUMNS, Operation, Options, Payload, State, Write
from .validate import FAILURE_COLUMNS, require_kind

Path = str | os.PathLike[str]

#: Column (as :func:`mmframe.read_accounts` names it) → API field.
ACCOUNT_FIELDS = {
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
FLAGS = {c for c in ACCOUNT_FIELDS if c.startswith("track_") or c.endswith("_active")}
#: Columns of :func:`mmframe.read_accounts` that cannot be written; they are ignored.
READ_ONLY = ("user_type", "created", "emails_sent", "apikey_hint", "max_sample_count", "test_mode")
CREATE_NEEDS = ("password", "company_name", "phone")
XHEADER_COLUMNS = ("xheader1", "xheader2", "xheader3", "xheader4")
_TIMEZONE = re.compile(r"([+-]?)(\d{1,2})(?:[.:]?(\d{2}))?")


def timezone(value: str) -> str:
    """``[+/-]h.mm`` or ``+hhmm`` between -12.00 and 13.00 as the API shows it (``+hhmm``).

    Raises ``ValueError`` otherwise (the API's own rule, checked before sending).
    """
    match = _TIMEZONE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"timezone must be [+/-]h.mm or +hhmm, not {value!r}")
    sign, hours, minutes = match[1] or "+", int(match[2]), int(match[3] or 0)
    signed = (hours + minutes / 60) * (-1 if sign == "-" else 1)
    if minutes >= 60 or not -12 <= signed <= 13:
        raise ValueError(f"timezone must lie between -12.00 and 13.00, not {value!r}")
    return f"{sign}{hours:02d}{minutes:02d}"


def _field(column: str, value: Any) -> str | int:
    """One column's value as sent, normalised as the API stores it; ``ValueError`` if bad."""
    if column in FLAGS:
        if isinstance(value, bool) or value in (0, 1, "0", "1"):
            return int(value)
        raise ValueError(f"{column} must be True/False or 0/1, not {value!r}")
    text = str(value)
    if column == "timezone":
        return timezone(text)
    if column == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text):
            raise ValueError(f"country must be a two-letter ISO 3166 code, not {value!r}")
        return text.upper()
    return text


def _present(value: Any) -> bool:
    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value))


def _account_payloads(frame: pd.DataFrame) -> list[Payload]:
    columns = [c for c in frame.columns if c in ACCOUNT_FIELDS]
    payloads = []
    for values in frame[columns].itertuples(index=False, name=None):
        payloads.append(
            {
                ACCOUNT_FIELDS[c]: _field(c, v)
                for c, v in zip(columns, values, strict=True)
                if _present(v)
            }
        )
    return payloads


def _field_problems(frame: pd.DataFrame) -> pd.DataFrame:
    cases = []
    for column in (c for c in frame.columns if c in ACCOUNT_FIELDS):
        for index, value in frame[column].items():
            if not _present(value):
                continue
            try:
                _field(str(column), value)
            except ValueError as exc:
                cases.append((index, column, value, "invalid_value", str(exc)))
    return pd.DataFrame(cases, columns=FAILURE_COLUMNS)


def _create_problems(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that would create an account without the fields a create needs."""
    known = session.account_keys(refresh=True)
    cases = []
    for index, row in frame.iterrows():
        if str(row["username"]).lower() in known:
            continue
        for column in CREATE_NEEDS:
            if column not in frame.columns or not _present(row[column]):
                detail = f"{column} is required to create account {row['username']!r}"
                cases.append((index, column, None, "required_on_create", detail))
    return pd.DataFrame(cases, columns=FAILURE_COLUMNS)


def _readable(state: State | None, payload: Payload) -> bool:
    readable = {k: v for k, v in payload.items() if k != "password"}
    return states.holds(state, readable)


UPSERT = Operation(
    "upsert_accounts",
    "accounts",
    lambda keys, payload: {"username": keys[0], **payload},
    multi=False,
)


@takes(WriteOptions)
def upsert_accounts(
    frame: pd.DataFrame,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Create or update sub-accounts (master key), one request per row.

    Columns use :func:`mmframe.read_accounts`'s names (``username``, ``password``,
    ``company_name``, ``phone``, ``timezone``, ``track_opens``, ...); read-only columns are
    ignored; passwords are sent and never kept in the result. Before any write, every row
    is checked (username, timezone, country, flags, and ``password``, ``company_name``
    and ``phone`` for accounts that do not exist yet: one read of the account list).
    Usernames compare case-insensitively: a later row of the same username is skipped.
    ``dry_run`` and ``verify`` compare every readable field sent (not the password).

    Parameters
    ----------
    frame
        One row per account, with a ``username`` column.
    {write_options}

    {write_result}

    See Also
    --------
    read_accounts, delete, set_xheaders
    """
    require_kind(frame, options.get("kind"), ("accounts",), "upsert_accounts", unknown_ok=True)
    ignored = {*ACCOUNT_FIELDS, "username", *READ_ONLY, *RESULT_COLUMNS}
    unknown = [c for c in frame.columns if c not in ignored and not str(c).startswith("input_")]
    if unknown:
        raise KeyError(f"columns not writable to an account: {unknown}")
    write = Write(
        UPSERT,
        "username",
        states.account_states,
        _readable,
        payloads=_account_payloads,
        check=_field_problems,
        prepare=_create_problems,
        after=lambda s, _keys: s.forget_accounts(),
    )
    return execute(frame.drop(columns="account", errors="ignore"), write, Options.of(options))


def delete_accounts(frame: pd.DataFrame, options: Options) -> pd.DataFrame:
    """Delete the frame's sub-accounts (master key); see :func:`mmframe.delete`."""
    operation = Operation(
        "delete_accounts", "accounts/delete", lambda keys, _p: {"username": keys[0]}, multi=False
    )
    write = Write(
        operation,
        "username",
        states.account_states,
        states.absent,
        destructive=True,
        after=lambda s, keys: s.forget_accounts(gone=keys),
    )
    # An accounts frame's rows are all deleted by the master key, whatever their account.
    return execute(frame.drop(columns="account", errors="ignore"), write, options)


def _xheader_problems(frame: pd.DataFrame) -> pd.DataFrame:
    cases = []
    for column in (c for c in XHEADER_COLUMNS if c in frame.columns):
        for index, value in frame[column].items():
            text = str(value).strip() if _present(value) else ""
            if text and not is_xheader(text):  # sent stripped, as checked here
                detail = f"{column} must be an X-header name like X-Campaign, not {value!r}"
                cases.append((index, column, value, "invalid_value", detail))
    columns = [c for c in XHEADER_COLUMNS if c in frame.columns]
    for index, row in frame[columns].iterrows():
        names = [str(v).strip().lower() for v in row if _present(v) and str(v).strip()]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:  # header names are case-insensitive: one header in two slots
            detail = f"the X-header {twice[0]} is named twice (names do not differ by case)"
            cases.append((index, "xheader1", twice[0], "duplicate_value", detail))
    return pd.DataFrame(cases, columns=FAILURE_COLUMNS)


def _xheader_payloads(frame: pd.DataFrame) -> list[Payload]:
    columns = [c for c in XHEADER_COLUMNS if c in frame.columns]
    return [
        {c: (str(v).strip() if _present(v) else "") for c, v in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _xheader_states(session: Session, keys: list[str]) -> dict[str, State | None]:
    # Read with the account's own key (listing accounts would need the master's).
    current = dict(session.get("accounts/xheaders"))
    return {key.lower(): current for key in keys}


@takes(WriteOptions)
def set_xheaders(
    frame: pd.DataFrame,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Set each account's X-header names from columns ``xheader1`` to ``xheader4``.

    Rows need an ``account`` column (usernames; the master key opens each account); an
    empty value clears a name, an absent column leaves it. A later row for the same
    account is skipped (and not sent). Options as :func:`mmframe.activate`.

    Parameters
    ----------
    frame
        One row per account: ``account`` and any of ``xheader1`` to ``xheader4``.
    {write_options}

    {write_result}

    See Also
    --------
    read_xheaders, upsert_accounts
    """
    require_kind(frame, options.get("kind"), ("xheaders",), "set_xheaders", unknown_ok=True)
    if "account" not in frame.columns:
        raise KeyError("set_xheaders needs an 'account' column: the username of each row")
    if not any(c in frame.columns for c in XHEADER_COLUMNS):
        raise KeyError("set_xheaders needs at least one of the columns xheader1..xheader4")
    operation = Operation(
        "set_xheaders", "accounts/xheaders", lambda _keys, payload: dict(payload), multi=False
    )
    write = Write(
        operation,
        "account",
        _xheader_states,
        states.holds,
        payloads=_xheader_payloads,
        check=_xheader_problems,
    )
    return execute(frame, write, Options.of(options))


def rotate_apikey(
    username: str, *, confirm: bool | int | None = None, session: Session | None = None
) -> ApiKey:
    """Give ``username`` a new API key; the old key stops working at once.

    Every session of this master that holds the old key (the master's own included)
    switches to the new one. The request is sent once, never retried: if its answer is
    lost, the account list is read again to learn whether the rotation happened.

    Parameters
    ----------
    username
        The account whose key to rotate (compared without case).
    confirm
        ``True`` (or ``1``, the one key): a rotation breaks every client of the old key.
    session
        A master key's session (default: the last ``connect()``).

    Returns
    -------
    ApiKey
        The new key; its repr shows only the last four characters, ``.reveal()`` all.

    Raises
    ------
    ConfirmationRequired
        Without ``confirm=True`` (or ``confirm=1``, the one key, as every write counts).
    KeyError
        When ``username`` is not an account of this master (nothing is sent).
    TransportError, APIError
        When the request failed and the key was not rotated (safe to call again), or
        when it cannot be told whether it was.
    """
    # confirm= as every write takes it: True, or the number of rows, here the one key.
    if not (confirm is True or (type(confirm) is int and confirm == 1)):
        raise ConfirmationRequired(
            f"rotating the API key of {username} breaks every client using the old key: "
            "pass confirm=True",
            summary={"operation": "rotate_apikey", "username": username},
        )
    if not isinstance(username, str):
        raise TypeError(f"username must be text, not {type(username).__name__}")
    master = resolve(session)
    master.account_keys(refresh=True)  # also learns the master's own username
    name, old = master.directory.entry(username)
    try:
        reply = master.call(
            "POST", "accounts", {"username": name, "generatenewapikey": 1}, once=True
        )
        new = str(reply.data["apikey"])
    except (TransportError, APIError) as lost:
        if isinstance(lost, APIError) and lost.status < 500:
            raise
        new = _after_lost_answer(master, name, old, lost)
    register(new)
    master.switch_key(name, new, old=old)
    return ApiKey(new)


def _after_lost_answer(master: Session, name: str, old: str, lost: MMError) -> str:
    """The new key if the rotation happened despite ``lost``; else raise, saying which."""
    try:
        now = master.account_keys(refresh=True)
    except InvalidAPIKey:
        raise type(lost)(
            f"{lost}; the master's key now answers 451, so it WAS rotated, but the answer "
            "with the new key was lost: set a new key in the provider's console",
        ) from None
    except MMError:
        raise type(lost)(f"{lost}; could not tell whether the key of {name} was rotated") from None
    current = now.get(name.lower(), (name, old))[1]
    if current == old:
        raise type(lost)(f"{lost}; the key of {name} was not rotated: safe to call again") from None
    warn(
        UserWarning(
            f"the answer to the rotation of {name}'s key was lost, but the rotation "
            "happened: the new key was read back from the account list"
        )
    )
    return current
