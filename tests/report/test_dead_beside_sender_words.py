"""The report's fix on a storm whose rows include dead mailboxes said beside sender-side
words (issue 33, seventh review, 1): "550 5.1.1 Mailbox <p1@yahoo.com> unknown (rate
limited)" and its like were put back, two in the printed code's ``clear``, one in
``later``. Replayed through the documented way to load an outside history, the page's
verdicts, its storm split and its printed code keep every one of them out."""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from tests.report.printed import run_printed

pytestmark = [pytest.mark.slow, pytest.mark.clock]

ACCOUNT = "news@example.com"
DAY = pd.Timestamp("2026-06-09T10:00:00Z")
N = 60
DEFERRAL = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
    "or user complaints"
)
#: Dead mailboxes, each said beside a sender-side word, as the storm rows' own bounces.
DEAD = {
    "p0@yahoo.com": "550 5.2.1 Mailbox <p0@yahoo.com> disabled; too many connections",
    "p1@yahoo.com": "550 5.1.1 Mailbox <p1@yahoo.com> unknown (rate limited)",
    "p2@yahoo.com": "550 5.1.1 Recipient p2@yahoo.com unknown. Message rejected due to SPF failure",
    "p3@yahoo.com": "550 5.1.1 Rate limit exceeded, try again later",  # the status alone
}


def _history() -> dict[str, pd.DataFrame]:
    emails = [f"p{i}@yahoo.com" for i in range(N)]
    at = [DAY + pd.Timedelta(seconds=30 * i) for i in range(N)]
    background = [
        pd.DataFrame({"account": ACCOUNT, "email": [f"bg{d}.{i}@gmail.com" for i in range(50)],
                      "domain": "gmail.com", "sender": "m@example.com",
                      "sent_at": [DAY.normalize() + pd.Timedelta(days=d, hours=9, minutes=i)
                                  for i in range(50)]})
        for d in range(-40, 20)
    ]  # fmt: skip
    storm = pd.DataFrame({"account": ACCOUNT, "email": emails, "domain": "yahoo.com",
                          "sender": "m@example.com",
                          "sent_at": [x - pd.Timedelta(minutes=1) for x in at]})  # fmt: skip
    sent = pd.concat([*background, storm], ignore_index=True)
    suppressions = pd.DataFrame({"account": ACCOUNT, "email": emails, "domain": "yahoo.com",
                                 "suppressed_at": at, "reason": "bounce",
                                 "suppression_id": range(1, N + 1)})  # fmt: skip
    bounces = storm.assign(
        bounced_at=at,
        bounce_type=["hard" if e in DEAD else "soft" for e in emails],
        bounce_rule="hardbounce",
        message=[DEAD.get(e, DEFERRAL) for e in emails],
        notified=False,
    )
    return {"sent": sent, "suppressions": suppressions, "bounces": bounces}


def _printed_code(page: str) -> str:
    found = re.search(r"<pre><code>(.*?)</code></pre>", page, re.S)
    assert found, "no printed code on the page"
    return html.unescape(found.group(1))


def test_no_dead_mailbox_said_beside_a_sender_side_word_is_in_the_fix(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    emulator.replay(**_history())
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, path = build(
            session, tmp_path, "2026-05-15", "2026-07-01", accounts=[ACCOUNT],
            as_of="2026-07-01", progress=False, stream=io.StringIO(),
        )  # fmt: skip
    spike = next(f for f in evidence.findings if f.kind == "spike")
    assert spike.fix is not None and len(spike.fix) == N - len(DEAD)
    assert not set(spike.fix["email"]) & set(DEAD)
    page = path.read_text()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert f"Reactivate {N - len(DEAD)} " in text
    names = run_printed(_printed_code(page), emulator.url, emulator.master_apikey)
    clear, later, fix = names["clear"], names["later"], names["fix"]
    assert isinstance(clear, pd.DataFrame) and isinstance(later, pd.DataFrame)
    assert isinstance(fix, pd.DataFrame)
    assert not (set(clear["email"]) | set(later["email"])) & set(DEAD)
    judged = fix.set_index("email").loc[list(DEAD)]
    assert (judged["verdict"] != "reactivate").all(), judged[["verdict", "evidence"]]
    assert (judged.loc[["p0@yahoo.com", "p1@yahoo.com", "p2@yahoo.com"], "verdict"] == "keep").all()
