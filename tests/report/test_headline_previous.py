"""The headline's change from the previous range says when that range holds mail only from
part-way in (fifth review: "previous 90 days: 1,085 (+217%)" compared with a range mostly
before the account's history began, and read as growth)."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting import headline
from mmframe.reporting.scope import Scope

NOW = pd.Timestamp("2026-12-01", tz="UTC")
START = pd.Timestamp("2026-09-02", tz="UTC")


def _sends(first: str, last: str, per_day: int) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D", tz="UTC", inclusive="left")
    rows = [
        {"email": f"u{d:03d}{i:03d}@example.com", "sender": "mail@sender.example",
         "sent_at": day + pd.Timedelta(hours=9)}
        for d, day in enumerate(days) for i in range(per_day)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _headline(
    make_emulator, first: str, freq: str = "MS", last: str = "2026-12-01"
) -> headline.Headline:
    emulator = make_emulator("empty", clock=lambda: NOW.timestamp())
    emulator.replay(sent=_sends(first, last, 3))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        scope = Scope(session, None, False)
        before = headline.read_previous(scope, START, NOW, freq, NOW)
        rates = mm.read_rates(START, NOW, freq=freq, session=session, progress=False)
    now = headline.totals(rates)
    (head,) = headline.headlines(now, before, list(now.index), START, NOW, rates=rates)
    return head


def test_a_previous_range_with_mail_only_from_part_way_says_from_when(make_emulator):
    head = _headline(make_emulator, "2026-08-01")
    sent = head.figures[0]
    # 2026-06-04 to 2026-09-02: mail only from August (the month it began). The range is
    # named once above the table (sixth review: "previous 89 days and part of another,
    # nothing counted before ...: 300 (+1350%)" wrapped over 8 lines in each cell).
    # Eleventh review, A5: no change against a range counted only from part-way in
    # (it said "+181%", and "+25233%" on another account).
    assert sent.before == "previous: 96 (from part-way in: no % change)", sent.before
    said = "previous range: its first counts fall from 2026-08-01 to 2026-08-31 inclusive"
    assert head.begun == said, head.begun


def test_a_previous_range_begun_mid_week_names_the_week_not_a_day_with_no_mail(make_emulator):
    # Ninth review, F21: "previous range: nothing counted before 2026-09-28" of an account
    # whose first mail was on 10-01: the Monday of its week, told as a fact of the data.
    head = _headline(make_emulator, "2026-08-06", freq="W-MON")  # a Thursday
    said = "previous range: its first counts fall from 2026-08-03 to 2026-08-09 inclusive"
    assert head.begun == said, head.begun


def test_a_previous_range_with_mail_throughout_says_nothing_more(make_emulator):
    head = _headline(make_emulator, "2026-05-01")
    assert head.figures[0].before.startswith("previous: ") and head.begun == "", head
    assert head.ended == "", head


def test_a_range_whose_mail_stops_part_way_says_when_and_gives_no_change(make_emulator):
    """Thirty-first review (the pages), 4: the demo's mail ends on 2026-10-31, a default
    range ran to 2026-12-06, and every account showed "previous: 731,161 (-39%)" with no
    word that nothing was sent after October: a drop the data does not show."""
    head = _headline(make_emulator, "2026-05-01", last="2026-10-15")
    said = "this range: its last counts fall from 2026-10-01 to 2026-10-31 inclusive; none after"
    assert head.ended == said, head.ended
    for figure in head.figures[:2]:
        assert figure.before.endswith("(this range's mail stops part-way: no % change)"), figure


def test_a_change_under_one_percent_is_not_rounded_to_a_signed_zero():
    # Fifth review's rep_safe_a: "previous 31 days: 2,466 (-0%)".
    counted = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
    now = pd.DataFrame([[2464, 2456, 8, 0, 1]], columns=counted, index=["b@x.example"])
    before = pd.DataFrame([[2466, 2452, 14, 0, 0]], columns=counted, index=["b@x.example"])
    (head,) = headline.headlines(now, before, ["b@x.example"], START, NOW)
    sent, delivered = head.figures[0].before, head.figures[1].before
    assert sent.endswith("2,466 (-0.1%)"), sent
    assert delivered.endswith("2,452 (+0.2%)"), delivered
    same = headline.headlines(before, before, ["b@x.example"], START, NOW)[0].figures[0]
    assert same.before.endswith("2,466 (the same)"), same.before
    tiny = pd.DataFrame([[10001, 9990, 0, 0, 0]], columns=counted, index=["b@x.example"])
    big = pd.DataFrame([[10000, 9990, 0, 0, 0]], columns=counted, index=["b@x.example"])
    up = headline.headlines(tiny, big, ["b@x.example"], START, NOW)[0].figures[0]
    assert up.before.endswith("10,000 (up under 0.1%)"), up.before


def test_the_previous_range_is_named_once_with_its_moments():
    said = headline.previous_said(START, NOW)
    assert said == (
        # Its last day named as included (eighth review, 15: "to 2026-09-02" read inclusive).
        "Under each figure, the previous range of equal length: 90 days, from 2026-06-04 to "
        "2026-09-01 inclusive (UTC)."
    ), said


def test_a_previous_rate_over_its_line_is_marked_as_the_current_one_is():
    # Tenth review, F13: "previous: 0.32%" beside a current cell "over the 0.3% limit".
    counted = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
    now = pd.DataFrame([[10000, 10000, 250, 0, 35]], columns=counted, index=["b@x.example"])
    before = pd.DataFrame([[10000, 10000, 210, 0, 32]], columns=counted, index=["b@x.example"])
    (head,) = headline.headlines(now, before, ["b@x.example"], START, NOW)
    bounce, complaint = head.figures[2], head.figures[3]
    assert complaint.standing == "over the 0.3% limit", complaint
    assert complaint.before == "previous: 0.32%, over the 0.3% limit", complaint.before
    assert bounce.before == "previous: 2.10%, over the 2% line", bounce.before
    watch = pd.DataFrame([[10000, 10000, 10, 0, 12]], columns=counted, index=["b@x.example"])
    (head,) = headline.headlines(now, watch, ["b@x.example"], START, NOW)
    assert head.figures[3].before == "previous: 0.12%, over the 0.1% aim", head.figures[3]
    assert head.figures[2].before == "previous: 0.10%", head.figures[2].before


COUNTED = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]


def _one(sent: int, delivered: int, bounces: int, complaints: int) -> pd.DataFrame:
    return pd.DataFrame(
        [[sent, delivered, bounces, 0, complaints]], columns=COUNTED, index=["t@x.example"]
    )


def test_a_rate_on_too_few_events_is_too_few_to_judge_not_an_alarm():
    # Eleventh review, A5: tiny@ (1 bounce of 1 message sent) had a red bar and "100.00%
    # over the 2% line" in the table, and was ranked first, while the summary said no
    # finding is made of it (fewer than the 20 bounces a period is judged on).
    now, before = _one(1, 0, 1, 0), _one(5000, 4990, 10, 1)
    (head,) = headline.headlines(now, before, ["t@x.example"], START, NOW)
    bounce = head.figures[2]
    assert bounce.value == "100.00%" and bounce.state == "few", bounce
    assert bounce.standing == (
        "too few to judge: 1 bounce, fewer than the 20 a period is judged on"
    ), bounce.standing
    assert bounce.over_by == 0.0
    complaints = headline.headlines(_one(900, 800, 0, 4), before, ["t@x.example"], START, NOW)
    rate = complaints[0].figures[3]
    assert rate.state == "few" and "4 complaints, fewer than the 5" in rate.standing, rate
    # Enough events: judged as before, however small the account.
    (judged,) = headline.headlines(_one(40, 40, 20, 0), before, ["t@x.example"], START, NOW)
    assert judged.figures[2].state == "over", judged.figures[2]
    # Under the line on few events is no alarm either way: it stays "under".
    (quiet,) = headline.headlines(_one(900, 900, 1, 0), before, ["t@x.example"], START, NOW)
    assert quiet.figures[2].state == "ok", quiet.figures[2]


def test_a_previous_rate_on_too_few_events_is_not_marked_over_its_limit():
    # Eleventh review, A5: "previous: 100.00%, over the 0.3% limit" on 5 delivered.
    now = _one(10000, 10000, 250, 35)
    (head,) = headline.headlines(now, _one(5, 5, 0, 5), ["t@x.example"], START, NOW)
    assert head.figures[3].before == "previous: 100.00%, over the 0.3% limit"  # 5: judged
    (head,) = headline.headlines(now, _one(6, 4, 2, 4), ["t@x.example"], START, NOW)
    complaint, bounce = head.figures[3].before, head.figures[2].before
    assert complaint == "previous: 100.00%, too few to judge (4 complaints)", complaint
    assert bounce == "previous: 33.33%, too few to judge (2 bounces)", bounce


def test_no_percent_change_against_a_base_too_small_to_compare_with():
    # Eleventh review, A5: "previous: 15 (+25233%)", "previous: 5 (+75900%)".
    (head,) = headline.headlines(
        _one(3800, 3790, 0, 0), _one(15, 5, 0, 0), ["t@x.example"], START, NOW
    )
    sent, delivered = head.figures[0].before, head.figures[1].before
    assert sent == "previous: 15 (too few for a % change)", sent
    assert delivered == "previous: 5 (too few for a % change)", delivered
    (head,) = headline.headlines(
        _one(3800, 3790, 0, 0), _one(100, 100, 0, 0), ["t@x.example"], START, NOW
    )
    assert head.figures[0].before == "previous: 100 (+3700%)", head.figures[0].before


def test_an_account_too_small_to_judge_is_not_ranked_first():
    from mmframe.reporting.headline_fold import worst_first

    before = _one(5000, 4990, 10, 1)
    tiny = headline.headlines(_one(1, 0, 1, 0), before, ["t@x.example"], START, NOW)[0]
    big = pd.DataFrame([[9000, 8900, 100, 0, 2]], columns=COUNTED, index=["b@x.example"])
    busy = headline.headlines(big, before, ["b@x.example"], START, NOW)[0]
    assert [h.account for h in worst_first([tiny, busy])] == ["b@x.example", "t@x.example"]


def _periods(ends: list[str], sent: list[int]) -> pd.DataFrame:
    bounds = [pd.Timestamp("2026-11-30", tz="UTC"), *(pd.Timestamp(e, tz="UTC") for e in ends)]
    return pd.DataFrame({
        "account": "shop@example.com", "by": "account", "start": bounds[:-1], "end": bounds[1:],
        "sent": sent, "delivered": sent, "hard_bounces": 0, "soft_bounces": 0, "complaints": 0,
    })  # fmt: skip


def test_mail_up_to_the_running_period_does_not_stop_part_way():
    """Thirty-second review, W2: mail every day up to now, the range ending at now with a
    fraction of a second the periods' end does not hold: "stops part-way" was said, and the
    change held back, of mail that had not stopped."""
    end = pd.Timestamp("2026-12-06 23:23:50.734", tz="UTC")
    running = _periods(["2026-12-06 23:23:50"], [420])
    assert headline._ended(running, "shop@example.com", end) == ""
    stopped = _periods(["2026-12-03", "2026-12-06 23:23:50"], [180, 0])
    said = headline._ended(stopped, "shop@example.com", end)
    assert said.startswith("this range: its last counts fall from 2026-11-30"), said
