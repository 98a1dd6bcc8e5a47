"""Suppression lists the write tests serve, and the demo's storm judged as the guide does."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest
import urllib3
from requests.adapters import HTTPAdapter

import mmframe as mm
from mmframe.emulator import Emulator

NEWS = "news@example.com"
#: The demo's storm day.
STORM = ("2026-06-09", "2026-06-10")


@contextmanager
def one_list(
    reasons: Sequence[str], account: str = NEWS
) -> Iterator[tuple[Emulator, mm.Session, pd.DataFrame]]:
    """An emulator whose ``account`` lists ``p{i}@yahoo.com`` for ``reasons[i]``, a minute
    apart; a master session; and the list as read."""
    at = pd.Timestamp("2026-06-09 10:00", tz="UTC")
    sup = pd.DataFrame({
        "account": account, "email": [f"p{i}@yahoo.com" for i in range(len(reasons))],
        "suppressed_at": [at + pd.Timedelta(minutes=i) for i in range(len(reasons))],
        "reason": list(reasons),
    })  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts=[account], session=session)
            yield emulator, session, rows


def judged_storm(session: mm.Session) -> pd.DataFrame:
    """The demo's storm day on news@, judged on every account's whole evidence."""
    every = {"accounts": "all", "session": session}
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=session)
    return mm.remediation_candidates(
        day,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )


#: When :func:`bounce_listed` lists its addresses (the demo's storm day).
BOUNCED_AT = pd.Timestamp("2026-06-09 10:00", tz="UTC")


def bounce_listed(
    emulator: Emulator, session: mm.Session, emails: list[str], at: pd.Timestamp = BOUNCED_AT
) -> None:
    """List ``emails`` for a bounce on the session key's own account, as the server's own
    bounce handling does (the emulator's replay of a history)."""
    rows = {"account": session.identity(), "email": emails, "suppressed_at": at}
    emulator.replay(suppressions=pd.DataFrame({**rows, "reason": "bounce"}))


class Down(HTTPAdapter):
    """Answers 503 to every POST to ``path`` (nothing applied); other requests reach the
    server."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def send(self, request: Any, **kwargs: Any) -> Any:
        if request.method == "POST" and request.path_url.split("?")[0].endswith(self.path):
            body = json.dumps({"response": {"status": 503, "message": "down", "data": {}}})
            raw = urllib3.HTTPResponse(
                body=io.BytesIO(body.encode()), preload_content=False, status=503,
                headers={"content-type": "application/json"},
            )  # fmt: skip
            return self.build_response(request, raw)
        return super().send(request, **kwargs)


def refused_both_ways(
    frame: pd.DataFrame, session: mm.Session, match: str, *named: str, still: str = NEWS
) -> None:
    """``frame``'s full activation is refused (``match``) as a dry run and for real, the
    refusal naming each of ``named``; the first of them stays on ``still``'s list."""
    for dry_run in (True, False):
        with pytest.raises(ValueError, match=match) as refused:
            frame.mm.activate(full=True, dry_run=dry_run, session=session, progress=False)
        for text in named:
            assert text in str(refused.value), str(refused.value)
    state = mm.read_recipients([named[0]], session=session.for_account(still))
    assert state["suppression_status"].tolist() == ["suppressed"]
