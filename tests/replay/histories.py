"""Small histories built in code, shaped like mmframe's loaders' frames."""

from __future__ import annotations

import pandas as pd

SUB = "ops@example.com"


def when(*stamps: str) -> pd.Series:
    """UTC timestamps as the loaders give them."""
    return pd.Series(pd.to_datetime(list(stamps), utc=True), dtype="datetime64[ns, UTC]")


def text(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=pd.StringDtype("pyarrow"))


def small() -> dict[str, pd.DataFrame]:
    """One sub-account: two suppressions, three sends (one bounced), two opens of one message."""
    return {
        "xheaders": pd.DataFrame(
            {
                "account": [SUB],
                "xheader1": ["X-Campaign"],
                "xheader2": ["X-MessageId"],
                "xheader3": [""],
                "xheader4": [""],
            }
        ),
        "suppressions": pd.DataFrame(
            {
                "account": text(SUB, SUB),
                "email": text("gone@example.org", "Left@Example.org"),
                "suppressed_at": when("2026-03-01T10:00:00Z", "2026-03-02T11:00:00Z"),
                "reason": pd.Categorical(["bounce", "unsubscribe"]),
                "suppression_id": pd.array([501, 502], dtype="Int64"),
            }
        ),
        "sent": pd.DataFrame(
            {
                "account": text(SUB, SUB, SUB),
                "email": text("gone@example.org", "amy@example.org", "bob@example.net"),
                "sender": text(
                    "news@ops.example.com", "news@ops.example.com", "news@ops.example.com"
                ),
                "sent_at": when(
                    "2026-03-01T09:59:00Z", "2026-03-01T08:00:00Z", "2026-03-01T08:00:01Z"
                ),
                "x_campaign": text("spring", "spring", "spring"),
                "x_messageid": text("m1", "m2", "m3"),
            }
        ),
        "bounces": pd.DataFrame(
            {
                "account": text(SUB),
                "email": text("gone@example.org"),
                "sender": text("news@ops.example.com"),
                "bounced_at": when("2026-03-01T10:00:00Z"),
                "sent_at": when("2026-03-01T09:59:00Z"),
                "bounce_type": pd.Categorical(["hard"], categories=["hard", "soft"]),
                "bounce_rule": text("hardbounce"),
                "message": text("550 5.1.1 user unknown"),
                "notified": pd.array([True], dtype="boolean"),
                "x_campaign": text("spring"),
                "x_messageid": text("m1"),
            }
        ),
        "opens": pd.DataFrame(
            {
                "account": text(SUB, SUB),
                "email": text("amy@example.org", "amy@example.org"),
                "opened_at": when("2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"),
                "ip": text("192.0.2.1", "192.0.2.9"),
                "stage": pd.Categorical(["read", "seen"], categories=["read", "skimmed", "seen"]),
                "x_campaign": text("spring", "spring"),
                "x_messageid": text("m2", "m2"),
            }
        ),
    }
