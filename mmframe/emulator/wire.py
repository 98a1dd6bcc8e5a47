"""Wire-level rules of the MM API: parameters, dates, address lists and the envelope."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Parameters as received: every name maps to all the values sent under it.
Params = Mapping[str, list[str]]

MESSAGES = {
    200: "OK",
    404: "Not Found",
    429: "Too Many Requests",
    451: "Missing or Invalid API Key",
    452: "Missing or Invalid Required Fields",
    453: "Object Already Exists",
    454: "Feature Not Enabled",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class ApiError(Exception):
    """A request the API refuses; becomes an error envelope with ``status``."""

    status: int
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status}: {'; '.join(self.messages) or MESSAGES.get(self.status, '')}"


@dataclass(frozen=True)
class RawJSON:
    """JSON text made elsewhere (by SQLite, for big pages), spliced into the envelope as is."""

    text: str


def envelope(status: int, data: Any) -> dict[str, Any]:
    """Wrap ``data`` in the MM response envelope."""
    return {"response": {"status": status, "message": MESSAGES.get(status, ""), "data": data}}


def envelope_bytes(status: int, data: Any) -> bytes:
    """The envelope as compact UTF-8 JSON; a :class:`RawJSON` ``data`` is not re-encoded."""
    if isinstance(data, RawJSON):
        head = json.dumps(envelope(status, None), separators=(",", ":"))
        return (head[: -len("null}}")] + data.text + "}}").encode()
    return json.dumps(envelope(status, data), ensure_ascii=False, separators=(",", ":")).encode()


def invalid(*messages: str) -> ApiError:
    """A 452 naming what is wrong."""
    return ApiError(452, list(messages))


# --- parameters -------------------------------------------------------------------------

_INDEXED = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)\[\d*\]$")


def collect_params(*sources: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Merge multi-item sources; ``name[]`` and ``name[N]`` fold into ``name``.

    A later source replaces an earlier one's values for the same name, so the POST body
    wins over the query string (SPEC A2).
    """
    merged: dict[str, list[str]] = {}
    for source in sources:
        seen: dict[str, list[str]] = {}
        for raw_name, value in source:
            match = _INDEXED.match(raw_name)
            name = match["name"] if match else raw_name
            seen.setdefault(name, []).append(value)
        merged.update(seen)
    return merged


def optional(params: Params, name: str) -> str | None:
    """The last value sent for ``name``, or None."""
    values = params.get(name)
    return values[-1] if values else None


def required(params: Params, name: str) -> str:
    """The last non-blank value sent for ``name``; 452 when missing."""
    value = optional(params, name)
    if value is None or not value.strip():
        raise invalid(f"The field '{name}' is required.")
    return value.strip()


def flag(params: Params, name: str) -> int | None:
    """A 0/1 field; 452 for anything else."""
    value = optional(params, name)
    if value is None:
        return None
    if value.strip() not in ("0", "1"):
        raise invalid(f"The field '{name}' must be 0 or 1, not {value!r}.")
    return int(value)


def start_index(params: Params) -> int:
    """The 0-based ``startindex`` offset (SPEC A4)."""
    value = optional(params, "startindex")
    if value is None or value == "":
        return 0
    if not re.fullmatch(r"\d{1,12}", value.strip()):
        raise invalid(f"The field 'startindex' must be a non-negative integer, not {value!r}.")
    return int(value)


# --- dates ------------------------------------------------------------------------------

_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_time(value: str, name: str) -> int:
    """Parse an accepted date form (SPEC A5) into whole UTC epoch seconds."""
    text = value.strip()
    if not _DATE.match(text):
        raise invalid(f"The field '{name}' is not a valid ISO 8601 date: {value!r}.")
    # fromisoformat rejects more than 6 fractional digits; seconds precision is all we keep.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(f"The field '{name}' is not a valid date: {value!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() // 1)


#: The times the API's clients can hold (epoch seconds, ``[1678-01-01, 2262-01-01)``):
#: pandas' nanosecond timestamps. What a replay loads stays inside, so every replica can be
#: read back; equal to mmframe.answers.MIN_TIME and MAX_TIME (a test holds them equal).
MIN_EPOCH, MAX_EPOCH = -9_214_560_000, 9_214_646_400


def format_time(epoch: int) -> str:
    """Render epoch seconds as ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    return datetime.fromtimestamp(epoch, UTC).isoformat()


#: :func:`format_time` in SQL, of the epoch column ``{}``: ``datetime()`` and two string
#: edits cost SQLite a fifth less than ``strftime`` with its format, on every time of
#: every page it renders (two a report row).
SQL_TIME = "replace(datetime({}, 'unixepoch'), ' ', 'T') || '+00:00'"


def date_range(params: Params) -> tuple[int | None, int | None]:
    """The half-open ``[start, end)`` range; ``starttime``/``endtime`` are aliases."""
    bounds: list[int | None] = []
    for name, alias in (("startdate", "starttime"), ("enddate", "endtime")):
        value = optional(params, name)
        used = name
        if value is None:
            value, used = optional(params, alias), alias
        bounds.append(parse_time(value, used) if value not in (None, "") else None)
    start, end = bounds
    if start is not None and end is not None and start > end:
        raise invalid("The start date must not be after the end date.")
    return start, end


# --- addresses --------------------------------------------------------------------------

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{0,58}[A-Za-z0-9])"  # letters, or a punycode TLD
_ADDRESS = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+{_TLD}")
#: A whole list of well-formed addresses, one regex pass for a request (the common case);
#: a list it refuses is checked address by address, to name the bad ones.
_ADDRESSES = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+{_TLD}(?:\n{_LOCAL}@(?:{_LABEL}\.)+{_TLD})*")


def is_address(text: str) -> bool:
    """Whether ``text`` is a syntactically valid address (docs/emulator.md: one address grammar).

    ASCII; an RFC 5321 dot-atom local part of at most 64 characters; two or more LDH
    labels, the last letters or an ``xn--`` label; 254 characters in all.
    """
    if len(text) > 254 or "@" not in text:
        return False
    local = text.rsplit("@", 1)[0]
    return len(local) <= 64 and _ADDRESS.fullmatch(text) is not None


def all_addresses(items: list[str]) -> bool:
    """Whether every item is an address, in one regex pass and one length pass."""
    longest = max(map(len, items))  # an address of 65 characters has a local part of 64 at most
    if longest > 65 and any(len(i) > 254 or len(i.rsplit("@", 1)[0]) > 64 for i in items):
        return False
    joined = "\n".join(items)
    if joined.count("\n") != len(items) - 1:  # an item holding a line break is no address
        return False
    return _ADDRESSES.fullmatch(joined) is not None


def address(params: Params, name: str = "emailaddress") -> str:
    """One required, valid address."""
    value = required(params, name)
    if not is_address(value):
        raise invalid(f"The address {value!r} is not a valid email address.")
    return value


def address_list(params: Params, limit: int, name: str = "emailaddress") -> list[str]:
    """A comma-separated address list (SPEC A7, A8): trimmed, de-duplicated, checked.

    The limit is checked before syntax; one invalid address rejects the whole request.
    """
    found: dict[str, str] = {}
    for value in params.get(name, []):
        for item in value.split(","):
            item = item.strip()
            if item:
                found.setdefault(item.lower(), item)
    if not found:
        raise invalid(f"The field '{name}' is required.")
    if len(found) > limit:
        raise invalid(f"At most {limit} addresses may be sent in one request; got {len(found)}.")
    items = list(found.values())
    if all_addresses(items):
        return items
    bad = [item for item in items if not is_address(item)]
    if bad:
        raise invalid(*(f"The address {item!r} is not a valid email address." for item in bad))
    return list(found.values())
