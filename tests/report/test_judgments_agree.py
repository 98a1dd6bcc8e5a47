"""The report's judgments agree with its own charts and headline (issue 33's adversarial
review, defects 1 to 3): a spike the suppressions chart marks is told in the text; an
account the headline shows over a line is explained when no finding covers it; a period
over the bounce line that holds no spike day is its own finding.

The histories are generated here, modelled on the tester's builders, and replayed into a
fresh emulator per module.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe import charts
from mmframe.emulator import Emulator
from mmframe.reporting import Evidence, build

pytestmark = pytest.mark.clock  # the reports are written as of a fixed moment

OLD, SPIKY = "oldsends@corp.example", "spiky@corp.example"
TENANTS = [f"tenant{k:02d}@many.example" for k in range(3)]
AS_OF = pd.Timestamp("2026-10-02", tz="UTC")


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


class _Rows:
    """Sent mail, hard bounces and the suppressions they caused, framed for a replay."""

    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []
        self.bounces: list[dict[str, object]] = []
        self.suppressions: list[dict[str, object]] = []
        self.complaints: list[dict[str, object]] = []

    def send(self, account: str, email: str, at: pd.Timestamp) -> dict[str, object]:
        row = {"account": account, "email": email, "sender": f"news@{account.split('@')[1]}",
               "sent_at": at}  # fmt: skip
        self.sent.append(row)
        return row

    def bounce(self, sent: dict[str, object], at: pd.Timestamp) -> None:
        self.bounces.append(
            {**sent, "bounced_at": at, "bounce_type": "hard", "bounce_rule": "hardbounce",
             "message": "550 5.1.1 The email account that you tried to reach does not exist."}
        )  # fmt: skip
        self.suppressions.append(
            {"account": sent["account"], "email": sent["email"], "suppressed_at": at,
             "reason": "bounce"}
        )  # fmt: skip

    def complain(self, sent: dict[str, object], at: pd.Timestamp) -> None:
        self.complaints.append({**sent, "complained_at": at})
        self.suppressions.append(
            {"account": sent["account"], "email": sent["email"], "suppressed_at": at,
             "reason": "complaint"}
        )  # fmt: skip

    def frames(self) -> dict[str, pd.DataFrame]:
        out = {
            "sent": pd.DataFrame(self.sent),
            "bounces": pd.DataFrame(self.bounces),
            "suppressions": pd.DataFrame(self.suppressions),
        }
        if self.complaints:
            out["complaints"] = pd.DataFrame(self.complaints)
        out["suppressions"]["suppression_id"] = range(1, len(out["suppressions"]) + 1)
        return out


def _late_bounces() -> dict[str, pd.DataFrame]:
    """oldsends@ mails 440 people in August; 40 of them bounce hard on 2026-09-05, after it
    stopped mailing. Three small accounts mail 60 people each in September, 2 a day, 3, 2
    and 1 of them bouncing hard, one on 2026-09-05: over the 2 % line (in September the
    first two, on 2026-09-05 all three) on too few bounces to judge a period on."""
    rows = _Rows()
    for i in range(440):
        sent = rows.send(OLD, f"old{i}@gmail.com", _t("2026-08-20") + pd.Timedelta(days=i % 10,
                         hours=9, seconds=i))  # fmt: skip
        if i < 40:
            rows.bounce(sent, _t("2026-09-05T10:00") + pd.Timedelta(minutes=i))
    for k, (account, dead) in enumerate(zip(TENANTS, (3, 2, 1), strict=True)):
        for i in range(60):
            day = _t("2026-09-01") + pd.Timedelta(days=(i // 2 + 4) % 30, hours=9, seconds=i)
            sent = rows.send(account, f"t{k}-{i}@yahoo.com", day)
            if i in (0, 21, 41)[:dead]:  # one each on 2026-09-05, -15 and -25
                rows.bounce(sent, day + pd.Timedelta(minutes=1))
            elif k == 2 and i == 30:  # 1 of 59 delivered: over the 0.3 % limit
                rows.complain(sent, day + pd.Timedelta(hours=2))
    return rows.frames()


def _spike_then_a_month_over() -> dict[str, pd.DataFrame]:
    """spiky@ sends 50 a day in August and September, one hard bounce a day (to
    outlook.com), and 39 more hard bounces on 2026-08-31: August holds the spike, September
    is over the 2 % line at outlook.com on 29 bounces of its own."""
    rows = _Rows()
    for d in range(60):
        day = _t("2026-08-01") + pd.Timedelta(days=d)
        for k in range(50):
            email = f"r{d}-{k}@{'gmail.com' if k % 2 else 'outlook.com'}"
            sent = rows.send(SPIKY, email, day + pd.Timedelta(hours=9, seconds=k))
            if k == 0 or (d == 30 and k < 40):
                rows.bounce(sent, day + pd.Timedelta(hours=9, minutes=2, seconds=k))
    return rows.frames()


def _report(
    history: dict[str, pd.DataFrame], ranges: list[tuple[str, str]], out: Path
) -> list[tuple[Evidence, Path]]:
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**history)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            return [
                build(session, out / start, start, end, as_of=AS_OF, progress=False)
                for start, end in ranges
            ]


def _text(path: Path) -> str:
    """The page's words as a reader sees them (tags out, entities decoded, spaces folded)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", path.read_text())))


@pytest.fixture(scope="module")
def late(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Evidence, str]]:
    """The late-bounce history's reports: September, and 2026-09-05 alone."""
    made = _report(
        _late_bounces(),
        [("2026-09-01", "2026-10-01"), ("2026-09-05", "2026-09-06")],
        tmp_path_factory.mktemp("late"),
    )
    return [(evidence, _text(path)) for evidence, path in made]


def _told(evidence: Evidence, account: str, day: str) -> bool:
    """Whether a finding, or a sentence on what could not be judged, names both."""
    titles = [f.title for f in evidence.findings]
    return any(account in line and day in line for line in titles + evidence.unjudged)


def test_every_spike_the_chart_marks_is_told_in_the_text(late):
    evidence, text = late[0]
    marked = charts.find_spikes(
        evidence.counts.rename_axis("start").reset_index().pivot_table(
            index="start", columns="account", values="count", aggfunc="sum", observed=True
        )
    ).head(5)  # fmt: skip
    assert (OLD, "2026-09-05") in [
        (str(s["group"]), f"{s['start']:%Y-%m-%d}") for _i, s in marked.iterrows()
    ]  # the chart's own marks (find_spikes on the daily counts it draws)
    for _i, spike in marked.iterrows():
        assert _told(evidence, str(spike["group"]), f"{spike['start']:%Y-%m-%d}")
    said = next(line for line in evidence.unjudged if "2026-09-05" in line)
    assert OLD in said and "40 suppressions" in said and said in text
    assert "no mail in the period holding that day" in said  # why, from its rates


def test_what_could_not_be_judged_is_headed_beside_findings(tmp_path: Path):
    history = _late_bounces()
    extra = _spike_then_a_month_over()  # a finding on the same page
    both = {k: pd.concat([v, extra[k]], ignore_index=True) if k in extra else v
            for k, v in history.items()}  # fmt: skip
    both["suppressions"]["suppression_id"] = range(1, len(both["suppressions"]) + 1)
    [(evidence, path)] = _report(both, [("2026-09-01", "2026-10-01")], tmp_path)
    assert evidence.findings and evidence.unjudged
    text = _text(path)
    assert f"What could not be judged: {evidence.unjudged[0]}" in text


def test_an_account_shown_over_a_line_without_a_finding_is_explained(late):
    for evidence, text in late:
        assert not evidence.findings
        # Eleventh review, A5: such a rate is "too few to judge" in the table (no red edge),
        # as the summary says, not over its line.
        few = [
            (h.account, f.label) for h in evidence.headlines for f in h.figures
            if f.state == "few"
        ]  # fmt: skip
        assert few  # the data makes small accounts' rates over a line on few events
        assert not any(f.state == "over" for h in evidence.headlines for f in h.figures)
        for account, label in few:
            said = [line for line in evidence.unjudged if line.startswith(f"{account}: {label}")]
            line, least = ("2% line", 20) if label == "bounce rate" else ("0.3% limit", 5)
            assert said and f"over the {line}" in said[0], (account, label)
            assert f"fewer than the {least} a period is judged on" in said[0]
            assert said[0] in text
        assert "Nothing wrong found." not in text  # never without its caveat
    day, day_text = late[1]
    assert [h.account for h in day.headlines if h.figures[2].state == "few"] == TENANTS
    assert f"{TENANTS[2]}: complaint rate 1.69% over the range" in late[0][1]
    assert f"{TENANTS[2]}: bounce rate 50.00%" in day_text


def test_a_month_over_the_line_after_a_spike_is_its_own_finding(tmp_path: Path):
    [(evidence, path)] = _report(
        _spike_then_a_month_over(), [("2026-08-01", "2026-10-01")], tmp_path
    )
    kinds = sorted(f.kind for f in evidence.findings)
    assert kinds == ["bounces", "spike"]
    spike = next(f for f in evidence.findings if f.kind == "spike")
    assert spike.day == _t("2026-08-31")
    assert any("In August, which holds this spike" in s for s in spike.said)
    assert not any("2026-09-01" in s for s in spike.said)
    bounces = next(f for f in evidence.findings if f.kind == "bounces")
    starts = {str(v)[:10] for _name, table in bounces.tables for v in table["from"]}
    # August is told within the spike; the finding, of September, covers every period of
    # its group the page shows (seventh review, D8: "up to 9.5%" beside a 100% period told
    # in a spike), August named as the spike's too.
    assert starts == {"2026-08-01", "2026-09-01"}
    said = " ".join(bounces.said)
    assert "August, over the line at" in said, said
    assert "holds the suppression spike of 2026-08-31" in said, said
    table = bounces.tables[0][1]
    top = max(float(r.rstrip("%")) for r in table["rate"])
    assert "domain outlook.com" in bounces.title and f"up to {top:.1f}%" in bounces.summary
    assert bounces.summary in _text(path)
