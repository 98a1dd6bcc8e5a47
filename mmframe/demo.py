"""The main job: the demo dataset on an embedded emulator, analysed into one HTML report.

It starts the emulator with the ``demo`` seed, reads accounts, senders and suppressions,
charts the trends, finds the bounce storm and the complaint climb, plans the storm's
remediation (a dry run), and writes the charts as PNG plus a self-contained
``report.html``. With ``apply=True`` it also performs the remediation and reports the
verified after-state.
"""

from __future__ import annotations

import base64
import html
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from . import charts
from .client import Session
from .loaders import (
    read_accounts,
    read_recipients,
    read_senders,
    read_suppression_counts,
    read_suppressions,
)
from .writes import activate

START, END = "2024-10-31", "2026-10-31"


@dataclass
class Climb:
    """A recipient domain whose complaints keep rising in one account."""

    account: str
    domain: str
    early: float  # complaints per month, six to three months before the end
    late: float  # complaints per month, the last three months


def find_climb(rows: pd.DataFrame, end: str = END) -> Climb:
    """The (account, domain) whose monthly complaints grew the most over the last half year."""
    complaints = rows[rows["reason"] == "complaint"]
    stop = pd.Timestamp(end, tz="UTC")
    late = complaints[complaints["suppressed_at"] >= stop - pd.DateOffset(months=3)]
    early = complaints[
        (complaints["suppressed_at"] >= stop - pd.DateOffset(months=6))
        & (complaints["suppressed_at"] < stop - pd.DateOffset(months=3))
    ]
    keys = ["account", "domain"]
    growth = pd.DataFrame(
        {
            "late": late.groupby(keys, observed=True).size() / 3,
            "early": early.groupby(keys, observed=True).size() / 3,
        }
    ).fillna(0)
    growth = growth[growth["late"] >= 10]
    best = (growth["late"] - growth["early"]).sort_values(ascending=False).index[0]
    account, domain = (str(part) for part in best)
    row = growth.loc[best]
    return Climb(account, domain, float(row["early"]), float(row["late"]))


def _png(figure: Any, path: Path) -> str:
    figure.savefig(path, dpi=110, bbox_inches="tight")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def _figure() -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(11, 4.5))


def _table(frame: pd.DataFrame | pd.Series) -> str:
    data = frame.to_frame() if isinstance(frame, pd.Series) else frame
    # In a box of its own that scrolls sideways, so a phone never scrolls the page.
    return f"<div class='table'>{data.to_html(index=False, border=0)}</div>"


def _count(n: float) -> str:
    return f"{int(n):,}"


def _share(x: float) -> str:
    return f"{x:.0%}"


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70em;margin:0 auto;padding:1em 1.2em;"
    "line-height:1.45;color:#222}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}"
    ".table{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse}td,th{padding:3px 10px;border:1px solid #ddd;"
    "text-align:right;white-space:nowrap}th{background:#f4f4f4}"
    "td:first-child,th:first-child{text-align:left}"
    "img{max-width:100%;height:auto}"
    ".asof{color:#555}"
    ".todo{background:#f6f8fa;border-left:4px solid #2a7ae2;padding:.6em 1em;margin:1em 0}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:.6em;"
    "border:1px solid #e3e3e3;font-size:.9em}"
)


class Report:
    """Sections of text, tables and charts, written out as one self-contained HTML page.

    The page works on a phone as on a desktop: a viewport, tables that scroll inside their
    own box, charts that scale; it loads nothing from anywhere (charts are embedded).
    """

    def __init__(self, out: Path, stream: TextIO) -> None:
        self.out, self.stream = out, stream
        self.parts: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def section(self, title: str, text: str = "", table: Any = None) -> None:
        self.parts.append(f"<h2>{html.escape(title)}</h2><p>{html.escape(text)}</p>")
        if table is not None:
            self.parts.append(_table(table))

    def line(self, text: str, css: str = "") -> None:
        self.parts.append(f"<p class='{css}'>{html.escape(text)}</p>")

    def todo(self, text: str, code: str) -> None:
        """A "what to do" block: what to do in words, then the exact code or command."""
        self.parts.append(
            f"<div class='todo'><b>What to do.</b> {html.escape(text)}"
            f"<pre><code>{html.escape(code.strip())}</code></pre></div>"
        )

    def chart(self, name: str, draw: Any, title: str) -> None:
        figure = _figure()
        ax = figure.subplots()
        draw(ax)
        ax.set_title(title)
        encoded = _png(figure, self.out / f"{name}.png")
        self.parts.append(f'<img alt="{html.escape(title)}" src="data:image/png;base64,{encoded}">')

    def write(self) -> Path:
        page = (
            "<!doctype html><html lang='en'><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>mmframe demo report</title><style>{STYLE}</style>"
            "<h1>mmframe demo report</h1>" + "".join(self.parts) + "</html>"
        )
        path = self.out / "report.html"
        path.write_text(page, encoding="utf-8")
        return path


STORM_FIX = """
import mmframe as mm

mm.connect(url, apikey="...")  # the master key
rows = mm.read_suppressions("{day}", "{next_day}", accounts=["{account}"])
storm = rows[(rows["domain"] == "{domain}") & (rows["reason"] == "bounce")]
storm.mm.activate(full=True, dry_run=True).mm.summary()  # planned: {rows:,}
storm.mm.activate(full=True, confirm=True, verify=True, journal="storm-fix.jsonl")
"""

CLIMB_LOOK = """
import mmframe as mm

rows = mm.read_suppressions("{start}", "{end}", accounts=["{account}"])
complaints = rows[(rows["reason"] == "complaint") & (rows["domain"] == "{domain}")]
complaints.groupby(complaints["suppressed_at"].dt.to_period("M")).size()  # the climb
# these recipients asked not to be mailed: keep them suppressed; fix what they got
"""


def run(
    out: Path, *, apply: bool = False, progress: bool | None = None, stream: TextIO = sys.stdout
) -> Path:
    """Run the demo into ``out``; returns the report's path."""
    from .emulator import Emulator

    out.mkdir(parents=True, exist_ok=True)
    report = Report(out, stream)
    report.say("starting the embedded emulator with the demo dataset ...")
    end = pd.Timestamp(END, tz="UTC")
    report.line(
        f"Data as of {end:%Y-%m-%d} (UTC): the demo dataset holds the two years from "
        f'{pd.Timestamp(START):%Y-%m-%d} to {end:%Y-%m-%d}; "now" below means that day.',
        "asof",
    )
    with Emulator("demo") as emulator, Session(emulator.url, emulator.master_apikey) as s:
        report.say("reading accounts and senders ...")
        accounts = read_accounts(session=s, progress=progress)
        senders = read_senders(details=True, accounts="all", session=s, progress=progress)
        health = senders.groupby("account", observed=True)[["spf", "dkim", "ready"]].mean()
        shown = accounts[["username", "account_name", "user_type", "emails_sent"]].copy()
        shown["emails_sent"] = shown["emails_sent"].map(_count)
        report.section("Accounts", f"{len(accounts)} accounts under the master key.", shown)
        report.section(
            "Sender health",
            "Share of each account's approved senders with SPF, with DKIM, and ready to send.",
            health.map(_share).reset_index(),
        )
        report.say("reading two years of daily counts ...")
        counts = read_suppression_counts(
            START, END, freq="D", accounts="all", session=s, progress=progress, as_of=END
        )
        report.chart(
            "trend_by_account",
            lambda ax: charts.plot_suppression_trend(counts, by="account", ax=ax, as_of=END),
            f"Suppressions per day, every account, {START} to {END}",
        )
        spikes = charts.find_spikes(counts)
        storm = spikes.iloc[0]
        account, day = str(storm["group"]), pd.Timestamp(storm["start"])
        rows = read_suppressions(
            day, day + pd.Timedelta(days=1), accounts=[account], session=s, progress=progress
        )
        domain = str(rows["domain"].value_counts().index[0])
        bad = rows[(rows["domain"] == domain) & (rows["reason"] == "bounce")]
        table = pd.DataFrame(
            {
                "day": spikes["start"].dt.strftime("%Y-%m-%d"),
                "account": spikes["group"].astype(str),
                "suppressions": spikes["count"].map(_count),
                "usual day": spikes["baseline"].map(_count),
                "times usual": spikes["ratio"].map(lambda r: f"{r:.1f}x"),
            }
        ).head(5)
        report.section(
            "Incident 1: a bounce storm",
            f"{account} on {day:%Y-%m-%d}: {int(storm['count']):,} suppressions, "
            f"{storm['ratio']:.1f} times its usual day ({int(storm['baseline']):,}); "
            f"{len(bad):,} of them are bounces at {domain}.",
            table,
        )
        report.todo(
            f"Those {len(bad):,} addresses at {domain} were suppressed by a one-day storm, "
            "not by their own mailboxes: take them off the list and reactivate them. Dry-run "
            "first, then apply with a journal (a re-run skips what is done). Or run "
            "`mmframe demo --apply` to do it on the demo.",
            STORM_FIX.format(
                day=f"{day:%Y-%m-%d}",
                next_day=f"{day + pd.Timedelta(days=1):%Y-%m-%d}",
                account=account,
                domain=domain,
                rows=len(bad),
            )
            + "\n# or, on the demo:  mmframe demo --apply",
        )
        report.say(f"bounce storm: {account} on {day:%Y-%m-%d} at {domain} ({len(bad)} rows)")
        report.say("reading the last year's suppressions ...")
        year = read_suppressions("2025-10-31", END, accounts="all", session=s, progress=progress)
        climb = find_climb(year)
        mine = year[year["account"] == climb.account]
        late = end - pd.DateOffset(months=3)
        early = end - pd.DateOffset(months=6)
        report.section(
            "Incident 2: a climb of complaints",
            f"{climb.account}: complaints from {climb.domain} recipients rose from "
            f"{climb.early:.0f} a month ({early:%Y-%m-%d} to {late:%Y-%m-%d}) to "
            f"{climb.late:.0f} a month ({late:%Y-%m-%d} to {end:%Y-%m-%d}).",
        )
        report.chart(
            "reason_mix",
            lambda ax: charts.plot_reason_mix(mine, freq="MS", ax=ax),
            f"Why {climb.account}'s recipients were suppressed, per month",
        )
        complaints = mine[mine["reason"] == "complaint"]
        report.chart(
            "complaint_domains",
            lambda ax: charts.plot_domain_heatmap(complaints, freq="W", top=8, ax=ax),
            f"Complaints per week at {climb.account}, by recipient domain "
            f"({climb.domain} climbing)",
        )
        report.todo(
            f"Complaints are people asking not to be mailed: keep them suppressed. Find what "
            f"{climb.domain} recipients of {climb.account} were sent since {early:%Y-%m-%d} "
            "(the campaign), and slow or stop it there before the provider blocks the account.",
            CLIMB_LOOK.format(
                start=f"{early:%Y-%m-%d}", end=END, account=climb.account, domain=climb.domain
            ),
        )
        report.say(f"complaint climb: {climb.account} at {climb.domain}")
        plan = activate(bad, full=True, dry_run=True, session=s, progress=progress)
        planned = plan["status"].value_counts()
        report.section(
            "Remediation plan (dry run)",
            f"Activating the {len(bad):,} storm-bounced recipients of {account} at {domain} "
            f"would change {int(planned.get('planned', 0)):,} of them (removed from the "
            f"suppression list and reactivated); {int(planned.get('unchanged', 0)):,} already "
            "are. Nothing was written.",
        )
        if apply:
            mailbox = s.for_account(account)
            before = read_recipients(bad["email"], session=mailbox, progress=progress)
            journal = out / "remediation.jsonl"
            result = activate(
                bad,
                full=True,
                confirm=True,
                verify=True,
                journal=str(journal),
                session=s,
                progress=progress,
            )
            after = read_recipients(bad["email"], session=mailbox, progress=progress)
            report.section(
                "Remediation applied and verified",
                f"{int((result['status'] == 'ok').sum()):,} of {len(bad):,} rows ok, each "
                f"re-read afterwards; the journal is {journal.name} (next to this report): "
                "running the same fix again skips what it records.",
                _before_after(before, after),
            )
            report.say(f"remediation applied: {(result['status'] == 'ok').sum()} rows ok")
    path = report.write()
    report.say(f"wrote {path} (and the charts as PNG in {out})")
    return path


def _before_after(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Recipients on the list, and active, before and after: only what holds any row."""

    def tally(frame: pd.DataFrame) -> list[str]:
        listed = int((frame["suppression_status"] == "suppressed").sum())
        active = int((frame["status"] == "active").sum())
        return [_count(listed), _count(active)]

    return pd.DataFrame(
        {
            "recipients": ["on the suppression list", "active recipients"],
            "before": tally(before),
            "after": tally(after),
        }
    )
