"""The demo's report as a reader reads it: headline figures first, sender authentication,
and every sentence plain, computed and consistent with every other on the page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe import demo
from mmframe.emulator import Emulator
from mmframe.reporting.findings import complaint_finding
from tests.report.conftest import scenario_report


def _text(page: str) -> str:
    """The page's words as a reader sees them (tags out, entities decoded, spaces single)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, ident: str) -> str:
    found = re.search(rf'<section[^>]*id="{ident}".*?</section>', page, flags=re.S)
    assert found, f"no section {ident}"
    return _text(found.group(0))


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``mmframe demo --apply``'s page."""
    out = tmp_path_factory.mktemp("demo")
    with (out / "log.txt").open("w") as log:
        return demo.run(out, apply=True, progress=False, stream=log).read_text()


def _spike(page: str) -> str:
    found = [s for s in re.findall(r'<section class="finding".*?</section>', page, flags=re.S)
             if "Suppression spike" in s]  # fmt: skip
    assert len(found) == 1
    return _text(found[0])


def test_what_to_do_accounts_for_every_row_the_summary_keeps(applied):
    spike = _spike(applied)
    todo = spike[spike.index("What was done.") :]  # the fix was applied: what it followed
    # The summary and the verdicts keep 82: 31 userunknown, 26 unsubscribe, 9 manual,
    # 7 suspend, 6 complaint, 3 hostunknown. The advice says what becomes of each.
    assert "Keep 82" in spike
    assert "82" in todo
    for words in ("41", "26", "unsubscribe", "9", "by hand", "6", "complain"):
        assert words in todo, words


def test_after_the_fix_is_applied_the_summary_says_it_was_done(applied):
    summary = _section(applied, "summary")
    # 3 of the storm's 335 complained to promo@example.org (fourth review, A6), 20 more
    # opted out on another account (fifth review, 1), and another account's servers called
    # 12 more dead (sixth review, 1): review.
    assert "300 to reactivate" not in summary
    assert "300 reactivated, 82 kept and 35 left to review" in summary


def test_a_rise_of_a_quarter_is_called_a_rise_with_its_size():
    starts = pd.to_datetime(["2026-09-01", "2026-10-01"], utc=True)
    periods = pd.DataFrame({
        "account": "promo@example.org", "by": "domain", "group": "hotmail.com",
        "start": starts, "end": starts + pd.offsets.MonthBegin(1),
        "complaints": [239, 296], "delivered": [20_096, 20_382],
        "complaint_rate": [239 / 20_096, 296 / 20_382], "is_complete": True,
        "span": "period", "sent": [20_500, 20_800], "hard_bounces": 0, "soft_bounces": 0,
    })  # fmt: skip
    finding = complaint_finding("promo@example.org", periods, pd.DataFrame(), scope=None)
    trend = next(s for s in finding.said if s.startswith("The complaint rate"))
    assert "held" not in trend
    assert "rose 22%" in trend  # the rate, 1.19% to 1.45% (the counts rose 24%)


def test_no_jargon_and_no_placeholder_plurals(applied):
    text = _text(applied)
    assert "robust deviation" not in text
    assert "(s)" not in text


def test_x_headers_are_named_as_the_accounts_name_them(applied):
    text = _text(applied)
    assert "x_campaign" not in text
    assert "mail with X-Campaign promo-daily-deals" in text


def test_chart_titles_name_what_the_chart_shows(applied):
    titles = re.findall(r'<img alt="([^"]*)"', applied)
    complaints = [t for t in titles if t.startswith("Complaint rate")]
    assert complaints, titles
    # Only promo@example.org is over the limit: one account drawn, named.
    assert all("by account" not in t and "promo@example.org" in t for t in complaints)
    assert any(t.startswith("Bounce rate") for t in titles), titles


def _headline_rows(page: str) -> dict[str, str]:
    found = re.search(r'<section[^>]*id="headline".*?</section>', page, flags=re.S)
    assert found
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), flags=re.S)
    # A name's parts are inline spans with break points between: one word as read.
    rows = [re.sub(r"</?span[^>]*>|<wbr>", "", r) for r in rows]
    return {_text(r).split(" ")[0]: _text(r) for r in rows[1:]}


def test_headline_figures_come_first_each_against_its_limit(applied):
    body = applied[applied.index("<body>") :]
    assert body.index('id="headline"') < body.index('id="summary"')
    assert re.search(r"<section", body).start() == body.index('<section class="headline"')
    rows = _headline_rows(applied)
    assert set(rows) == {"admin@example.com", "ops@example.com", "news@example.com",
                         "promo@example.org", "billing@example.net"}  # fmt: skip
    promo = rows["promo@example.org"]
    assert "0.3% limit" in promo and "bounce" in _section(applied, "headline").lower()
    # The previous 183 days hold mail in the demo seed: a change, never "no previous data".
    assert "no previous data" not in promo and "previous" in promo


def test_headline_figures_are_computed_from_the_counts(applied):
    with Emulator("demo") as emulator, mm.Session(emulator.url, emulator.master_apikey) as s:
        now = mm.read_rates(demo.START, demo.END, freq="MS", session=s, progress=False,
                            accounts="all")  # fmt: skip
        before = mm.read_rates("2025-10-30", demo.START, freq="MS", session=s, progress=False,
                               accounts="all")  # fmt: skip
    rows = _headline_rows(applied)
    for account, mine in now.groupby("account", observed=True):
        sent, delivered = int(mine["sent"].sum()), int(mine["delivered"].sum())
        bounced = int(mine["hard_bounces"].sum() + mine["soft_bounces"].sum())
        row = rows[str(account)]
        assert f"{sent:,}" in row and f"{delivered:,}" in row
        assert f"{bounced / sent:.2%}" in row
        assert f"{int(mine['complaints'].sum()) / delivered:.2%}" in row
        old = before[before["account"] == account]
        change = sent / int(old["sent"].sum()) - 1
        assert f"{change:+.0%}" in row


def test_no_previous_data_is_said_not_invented(tmp_path: Path):
    _evidence, path = scenario_report("storm", tmp_path)
    rows = _headline_rows(path.read_text())
    assert rows and all("no previous data" in row for row in rows.values())


def test_sender_authentication_counts_each_sender_and_gives_the_fix(applied):
    with Emulator("demo") as emulator, mm.Session(emulator.url, emulator.master_apikey) as s:
        senders = mm.read_senders(details=True, accounts="all", session=s, progress=False)
    section = _section(applied, "senders")
    broken = senders[~senders["ready"] | ~senders["spf"] | ~senders["dkim"]]
    assert f"{len(senders)} senders" in section
    assert f"{int((~senders['ready']).sum())} not ready" in section
    assert f"{int((~senders['spf']).sum())} without SPF" in section
    assert f"{int((~senders['dkim']).sum())} without DKIM" in section
    for email in broken["email"]:
        assert email in section
    assert "set_dkim" in section


def test_a_chart_for_a_phone_is_drawn_at_two_pixels_with_no_text_under_12_css_px():
    from mmframe.reporting.render import chart

    def draw(ax):
        ax.plot([0, 1], [0, 1], label="a rather long series name, one a row")
        ax.annotate("a small note", (0.5, 0.5), fontsize="x-small")  # under the floor

    drawn = chart("probe", "A title long enough to be wrapped on a phone's screen", draw, None)
    import base64
    import struct

    png = base64.b64decode(drawn.narrow)
    width = struct.unpack(">I", png[16:20])[0]  # the IHDR width, in device pixels
    assert width == 576  # 288 CSS px (a 320 px phone's column) at 2 device pixels each
    # Image pixels at 2 a CSS pixel: shown whole on every phone, never shrunk.
    assert drawn.narrow_text_px / 2 >= 12


def test_a_headline_under_the_limit_points_at_the_finding_over_it(applied):
    # promo@example.org as a whole is under the 0.3% limit, its hotmail.com mail over it.
    headline = _section(applied, "headline")
    assert "promo@example.org's complaint rate over the range as a whole is 0.15%" in headline
    assert "see finding 1" in headline
