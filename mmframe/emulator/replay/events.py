"""Report frames as rows of ``mail_events``: one row per event, in the store's own terms.

A replayed event keeps every X-header it carries in ``headers`` (a JSON object by
lower-cased name, written the same way for every kind), which is also how events of one
message are told apart: opens and clicks take their sender and send time from the latest
send before them to the same recipient with the same headers, and the first of a
message's opens (clicks) is its unique open, counting them all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .columns import ReplayError, rows_named

#: The store's kind of event for each report frame, and the frame's time column.
STORED = {
    "sent": ("send", "sent_at"),
    "delivered": ("send", "sent_at"),
    "bounces": ("bounce", "bounced_at"),
    "complaints": ("complaint", "complained_at"),
    "issues": ("issue", "issued_at"),
    "opens": ("open", "opened_at"),
    "clicks": ("click", "clicked_at"),
}
#: ``mail_events`` columns a replay writes, in order.
COLUMNS = (
    "account_id",
    "kind",
    "t",
    "sent",
    "email",
    "email_key",
    "domain",
    "sender",
    "campaign",
    "message_id",
    "delivered",
    "bouncetype",
    "bouncerule",
    "detail",
    "notified",
    "headers",
    "ip",
    "user_id",
    "is_first",
    "repeats",
)
_KEY = ["account_id", "email_key", "headers"]


def headers_json(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.Series:
    """Each row's X-headers as one JSON object text, keys (lower-cased names) sorted.

    ``names`` maps an X-header column to the header's name; a missing value is left out
    (a send without that header, such as a transactional one: ``{}`` when it has none).
    """
    parts = []
    for column, name in sorted(names.items(), key=lambda item: item[1].lower()):
        # Quote each distinct value once, its comma before it; a row takes its value's text
        # by code, and "" where it has none (code -1). Not null_handling="skip": Arrow's
        # join drops a row whose parts are all null, and the column comes out short.
        codes, distinct = pd.factorize(frame[column])
        members = pc.binary_join_element_wise(",", _quoted(name, distinct), "")
        parts.append(pc.fill_null(pc.take(members, pa.array(codes, mask=codes < 0)), ""))
    if not parts:
        return pd.Series("{}", index=frame.index, dtype=object)
    # The first member's comma (one byte) becomes the "{"; a row with none is "" -> "{".
    opened = pc.binary_replace_slice(pc.binary_join_element_wise(*parts, ""), 0, 1, "{")
    text = pc.binary_join_element_wise(opened, "}", "")
    return pd.Series(text.to_pylist(), index=frame.index, dtype=object)


def _quoted(name: str, values: pd.Index) -> pa.Array:
    """``"name":"value"`` JSON members; most values need no escape, so JSON quotes the rest."""
    text = pa.array(values, pa.string())
    plain = pc.match_substring_regex(text, r'^[^"\\\x00-\x1f\x7f-\x{10ffff}]*$')
    key = json.dumps(name.lower()) + ':"'
    fast = pc.binary_join_element_wise(key, text, '"', "")
    if pc.all(plain).as_py() is not False:
        return fast
    slow = [json.dumps(name.lower()) + ":" + json.dumps(v) for v in values]
    return pc.if_else(plain, fast, pa.array(slow, pa.string()))


def event_rows(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The ``mail_events`` rows of one checked report frame (``account_id`` and ``headers``
    already set), without the links between kinds (see :func:`link`)."""
    stored, time = STORED[kind]
    n = len(frame)
    t = frame[time].astype(np.int64)
    email = frame["email"].astype(object)
    key = pc.utf8_lower(pa.array(email, pa.string()))
    rows = pd.DataFrame(
        {
            "account_id": frame["account_id"].astype(np.int64),
            "kind": stored,
            "t": t,
            "sent": frame["sent_at"].astype(np.int64) if "sent_at" in frame else t,
            "email": email,
            "email_key": _objects(key),
            "domain": _objects(pc.replace_substring_regex(key, pattern="^.*@", replacement="")),
            "sender": _text(frame, "sender"),
            "campaign": "",
            "message_id": "",
            "delivered": 1,
            "bouncetype": _text(frame, "bounce_type"),
            "bouncerule": _text(frame, "bounce_rule"),
            "detail": _text(
                frame,
                {
                    "bounces": "message",
                    "issues": "issue_type",
                    "opens": "stage",
                    "clicks": "link",
                }.get(kind, ""),
            ),
            "notified": _numbers(frame, "notified", 0),
            "headers": frame["headers"],
            "ip": frame.get("ip"),
            "user_id": frame["user_id"].map(lambda v: None if v is None else str(v))
            if "user_id" in frame
            else None,
            "is_first": 0,
            "repeats": 0,
        },
        index=frame.index,
    )
    if kind in ("bounces", "complaints"):
        early = rows.index[rows["sent"] > rows["t"]]
        if len(early):
            raise ReplayError(
                f"{kind}: {time} before sent_at in {rows_named(list(early))}: an event "
                "cannot come before the message it is about was sent"
            )
    assert len(rows) == n
    return rows


def _objects(values: pa.Array) -> np.ndarray:
    """Arrow strings as a NumPy array of Python strings (the store's plain columns)."""
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)


def _text(frame: pd.DataFrame, column: str) -> pd.Series | str:
    if column not in frame:
        return ""
    return frame[column].where(frame[column].notna(), "")


def _numbers(frame: pd.DataFrame, column: str, default: int) -> pd.Series | int:
    if column not in frame:
        return default
    return frame[column].where(frame[column].notna(), default).astype(np.int64)


def mark_delivered(
    sends: pd.DataFrame, delivered: pd.DataFrame | None, bounces: pd.DataFrame
) -> pd.DataFrame:
    """The sends with their ``delivered`` flag, plus the delivered rows that have no send.

    With a delivered frame, a send is delivered when a delivered row matches it (same
    account, recipient, time, sender and headers; each row matches once); a delivered row
    with no send is a send of its own, unless its account's sends were given (then it is
    refused). Without one, a send is delivered unless a bounce names it (recipient and
    send time).
    """
    key = ["account_id", "email_key", "t", "sender", "headers"]
    if delivered is None:
        bounced = bounces[["account_id", "email_key", "sent"]].rename(columns={"sent": "t"})
        hit = sends[["account_id", "email_key", "t"]].merge(
            bounced.drop_duplicates(), how="left", indicator=True
        )
        sends["delivered"] = (hit["_merge"] == "left_only").astype(np.int64).to_numpy()
        return sends
    # One code per distinct message over both sides (one pass over the text keys), then the
    # n-th send of a message meets its n-th delivery on two integer columns.
    message = (
        pd.concat([sends[key], delivered[key]], ignore_index=True)
        .groupby(key, sort=False)
        .ngroup()
        .to_numpy()
    )
    code = pd.Series(message[: len(sends)], index=sends.index)
    left = pd.DataFrame({"code": code, "nth": code.groupby(code).cumcount(), "row": sends.index})
    code = pd.Series(message[len(sends) :], index=delivered.index)
    right = pd.DataFrame(
        {"code": code, "nth": code.groupby(code).cumcount(), "other": delivered.index}
    )
    both = left.merge(right, how="outer", on=["code", "nth"], indicator=True)
    sends["delivered"] = 0
    matched = both.loc[both["_merge"] == "both", "row"]
    sends.loc[matched.to_numpy(), "delivered"] = 1
    alone = both.loc[both["_merge"] == "right_only", "other"].to_numpy()
    orphans = delivered.loc[alone]
    with_sends = orphans["account_id"].isin(sends["account_id"].unique())
    if with_sends.any():
        raise ReplayError(
            "delivered: no sent row matches "
            f"{rows_named(list(orphans.index[with_sends]))} (recipient, time, sender and "
            "X-headers): a delivered message is one of the account's sent messages"
        )
    return pd.concat([sends, orphans.assign(delivered=1)])


def link(engagement: pd.DataFrame, sends: pd.DataFrame) -> pd.DataFrame:
    """Opens or clicks with the sender and send time of their message, and the first of
    each message's events marked with how many it has."""
    if engagement.empty:
        return engagement
    order = engagement.assign(_pos=np.arange(len(engagement))).sort_values(["t", "_pos"])
    # One integer per message over both sides (one pass over the text keys; rows read back
    # from SQLite infer pandas' str, so each key gets one dtype first).
    keys = {"account_id": np.int64, "email_key": object, "headers": object}
    both = pd.concat([order[_KEY].astype(keys), sends[_KEY].astype(keys)], ignore_index=True)
    message = both.groupby(_KEY, sort=False).ngroup().to_numpy()
    order["_message"] = message[: len(order)]
    if not sends.empty:
        source = pd.DataFrame(
            {
                "_message": message[len(order) :],
                "sent_t": sends["t"].astype(np.int64).to_numpy(),
                "s": sends["sender"].to_numpy(),
            }
        )
        merged = pd.merge_asof(
            order[["t", "_message"]].reset_index(),
            source.sort_values("sent_t"),
            left_on="t",
            right_on="sent_t",
            by="_message",
            direction="backward",
        ).set_index("index")
        found = merged["sent_t"].notna()
        order.loc[found[found].index, "sent"] = merged.loc[found, "sent_t"].astype(np.int64)
        order.loc[found[found].index, "sender"] = merged.loc[found, "s"]
    groups = order.groupby("_message", sort=False)
    order["is_first"] = (groups.cumcount() == 0).astype(np.int64)
    order["repeats"] = groups["t"].transform("size").astype(np.int64)
    order = order.drop(columns="_message")
    return order.drop(columns="_pos").loc[engagement.index]
