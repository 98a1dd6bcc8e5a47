"""X-header filter values, any Unicode text: a filter finds exactly the mail carrying that
value, and ``read_rates(by=)`` rates it (adversarial review of issue 33, item 7: SQLite's
ASCII-only ``lower()`` against Python's ``str.lower`` lost 'İ', 'ǅ' and 'ÉTÉ').

The rule (docs/emulator.md): a value filter matches the stored value exactly, case and all,
the way ``read_rates`` groups values, so each value's rate counts its own mail only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

DAY = ("2026-09-01", "2026-09-03")
SENT_AT = pd.Timestamp("2026-09-02", tz="UTC")
ADVERSARIAL = ["été", "ÉTÉ", "Müller", "müller", "ß", "SS", "İ", "i̇", "ǅ", "ǆ", "Ünïcødé 🚀"]
_accounts = itertools.count()


@pytest.fixture(scope="module")
def replica() -> Iterator[Emulator]:
    with Emulator(seed="empty", port=0) as emulator:
        yield emulator


def _replay(emulator: Emulator, values: list[str], complaints: bool = False) -> str:
    """A fresh account that sent one message per value (two for the first), each with its
    X-Campaign value; its name."""
    account = f"a{next(_accounts)}@corp.example"
    rows = [*values[:1], *values]
    sent = pd.DataFrame(
        {
            "account": account,
            "email": [f"r{i}@gmail.com" for i in range(len(rows))],
            "domain": "gmail.com",
            "sender": "s@corp.example",
            "sent_at": [SENT_AT + pd.Timedelta(minutes=i) for i in range(len(rows))],
            "x_campaign": rows,
        }
    )
    headers = pd.DataFrame(
        {"account": [account], "xheader1": ["X-Campaign"], "xheader2": [""]}
        | {"xheader3": [""], "xheader4": [""]}
    )
    frames = {"sent": sent}
    if complaints:
        complained = sent.assign(complained_at=sent["sent_at"] + pd.Timedelta(hours=1))
        frames["complaints"] = complained
    emulator.replay(xheaders=headers, **frames)
    return account


def _found(emulator: Emulator, account: str, value: str) -> list[str]:
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        rows = mm.read_sent(
            *DAY, accounts=[account], xheaders={"X-Campaign": value}, session=session
        )
    return rows["x_campaign"].tolist()


def test_each_adversarial_value_finds_its_own_mail_only(replica):
    account = _replay(replica, ADVERSARIAL)
    for value in ADVERSARIAL:
        expected = [value] * (2 if value == ADVERSARIAL[0] else 1)
        assert _found(replica, account, value) == expected, value


#: Any text but NUL, which no header can carry (RFC 5322) and the client refuses (below).
VALUES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
)


ONE_EMULATOR = [HealthCheck.function_scoped_fixture]  # module-scoped; each example a new account


@settings(max_examples=60, deadline=None, suppress_health_check=ONE_EMULATOR)
@given(st.lists(VALUES, min_size=1, max_size=4, unique=True))
def test_any_text_value_finds_exactly_its_mail(replica, values):
    account = _replay(replica, values)
    for value in values:
        expected = [value] * (2 if value == values[0] else 1)
        assert _found(replica, account, value) == expected


def test_a_value_holding_nul_is_refused(replica):
    # SQLite's JSON functions end a text at NUL, so the emulator could not match it; no
    # header carries one anyway (RFC 5322).
    with (
        mm.Session(replica.url, replica.master_apikey) as session,
        pytest.raises(ValueError, match="NUL"),
    ):
        mm.read_sent(*DAY, xheaders={"X-Campaign": "a\x00b"}, session=session)


def test_read_rates_rates_a_non_ascii_value(replica):
    value = 'Ünïcødé "Black Friday" \\ 🚀 \u202eevil\u202c <b>x</b> ' + "y" * 400
    account = _replay(replica, [value, "plain"], complaints=True)
    with mm.Session(replica.url, replica.master_apikey) as session:
        rates = mm.read_rates(*DAY, freq="D", by="X-Campaign", accounts=[account], session=session)
    sent = rates.groupby("x_campaign")["sent"].sum().to_dict()
    assert sent == {value: 2, "plain": 1}
