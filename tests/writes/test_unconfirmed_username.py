"""A session's ``username=`` is the user's word where the API cannot confirm it
(eighteenth review, W-18a): ``mm.Session(url, news_key, username="promo@...")`` wrote rows
labelled promo@ to news@'s list and said ``ok``, since the API tells a sub-account key no
username. Rows labelled by account are written with such a session only when the frame was
read by that session (its rows came from the key's own list, whatever it is named); a
frame another key read with a sub-account key's word for its ``account`` column is not
written with another session; a master key named other than its list says is refused.
Nothing is sent in each case, and each list is as it was."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm

NEWS, PROMO = "news@example.com", "promo@example.org"
FRESH = "fresh-person-x@example.net"
#: These rows are put back on purpose, never judged.
pytestmark = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")


def _listed(master, account: str, email: str) -> str:
    state = mm.read_recipients([email], session=master.for_account(account))
    return str(state["suppression_status"].iloc[0])


def _posts(emulator) -> int:
    methods = emulator.stats()["methods"]
    return sum(m["requests"] for name, m in methods.items() if name.startswith("POST"))


@pytest.mark.parametrize("write", ["suppress", "activate"])
def test_rows_labelled_by_a_sub_keys_claimed_name_are_refused(demo, write):
    emulator, master = demo
    liar = mm.Session(emulator.url, master.account_keys()[NEWS][1], username=PROMO)
    rows = pd.DataFrame({"account": [PROMO], "email": [FRESH]})
    before = {a: _listed(master, a, FRESH) for a in (NEWS, PROMO)}
    sent = _posts(emulator)
    options = {"kind": "suppressions", "verdicts": ("reactivate", "keep")}
    with pytest.raises(ValueError, match="username=") as refused:
        getattr(rows.mm, write)(session=liar, **(options if write == "activate" else {}))
    assert PROMO in str(refused.value) and "nothing was sent" in str(refused.value)
    assert _posts(emulator) == sent
    assert {a: _listed(master, a, FRESH) for a in (NEWS, PROMO)} == before


def test_a_frame_read_by_the_session_itself_is_written_back_to_its_own_list(demo):
    emulator, master = demo
    news = mm.Session(emulator.url, master.account_keys()[NEWS][1], username=NEWS)
    day = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[NEWS], session=news)
    rows = day[day["reason"] == "bounce"].head(1)
    done = rows.mm.activate(session=news, verdicts=("reactivate", "keep"))
    assert done["status"].tolist() == ["ok"]
    assert _listed(master, NEWS, str(rows["email"].iloc[0])) != "suppressed"


def test_a_frame_labelled_by_a_sub_keys_word_is_not_written_with_another_key(demo):
    emulator, master = demo
    liar = mm.Session(emulator.url, master.account_keys()[NEWS][1], username=PROMO)
    day = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[PROMO], session=liar)
    rows = day[day["reason"] == "bounce"].head(2)  # news@'s rows, labelled promo@
    sent = _posts(emulator)
    with pytest.raises(ValueError, match="sub-account key") as refused:
        rows.mm.activate(session=master, verdicts=("reactivate", "keep"), dry_run=True)
    assert "nothing was sent" in str(refused.value)
    assert _posts(emulator) == sent


def test_a_master_key_named_as_another_account_is_refused(demo):
    emulator, master = demo
    wrong = mm.Session(emulator.url, emulator.master_apikey, username=PROMO)
    rows = pd.DataFrame({"account": [PROMO], "email": [FRESH]})
    with pytest.raises(ValueError, match="username=") as refused:
        rows.mm.suppress(session=wrong)
    assert PROMO in str(refused.value)
    assert _listed(master, PROMO, FRESH) != "suppressed"
    assert _listed(master, "admin@example.com", FRESH) != "suppressed"
