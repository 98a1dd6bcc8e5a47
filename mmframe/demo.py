"""The main job: the demo dataset on an embedded emulator, analysed into one HTML report.

It starts the emulator with the ``demo`` seed, reads accounts, senders and suppressions,
charts the trends, finds the bounce storm and the complaint climb, and explains each from
the reports: the bounce texts behind the storm (triaged), the campaign behind the climb,
complaint rates against the providers' limits. It builds the storm's fix from
:func:`~mmframe.analysis.remediation_candidates` (the evidence, not knowledge of how the
data was made), plans it (a dry run), and writes the charts as PNG plus a self-contained
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
from .analysis import read_rates, remediation_candidates, triage
from .client import Session
from .loaders import (
    read_accounts,
    read_bounces,
    read_complaints,
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
who = dict(accounts=["{account}"])
rows = mm.read_suppressions("{day}", "{next_day}", **who)
bounces = mm.read_bounces("{week_before}", "{next_day}", **who)  # the causes, with their text
fix = mm.remediation_candidates(rows, bounces=bounces)
storm = fix[fix["verdict"] == "reactivate"]  # {rows:,} rows: the deferrals, no hard bounce
storm.mm.activate(full=True, dry_run=True).mm.summary()
storm.mm.activate(full=True, confirm=True, verify=True, journal="storm-fix.jsonl")
"""

CLIMB_LOOK = """
import mmframe as mm

rates = mm.read_rates("{start}", "{end}", freq="MS", by="X-Campaign", accounts=["{account}"])
rates[rates["above_limit"]]  # {campaign} above 0.3 %
complaints = mm.read_complaints("{start}", "{end}", accounts=["{account}"], domain="{domain}")
complaints.value_counts("x_campaign")  # the climb is one campaign
# these recipients asked not to be mailed: keep them suppressed; fix or stop {campaign}
"""


@dataclass
class _Job:
    """What every section of the demo reads with and writes into."""

    report: Report
    session: Session
    progress: bool | None
    out: Path
    end: pd.Timestamp


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
        job = _Job(report, s, progress, out, end)
        _overview(job)
        account, bad = _storm(job)
        _climb(job)
        _plan(job, account, bad, apply=apply)
    path = report.write()
    report.say(f"wrote {path} (and the charts as PNG in {out})")
    return path


def _overview(job: _Job) -> None:
    """Accounts, sender health and the daily trend of every account."""
    s, progress, report = job.session, job.progress, job.report
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


def _storm(job: _Job) -> tuple[str, pd.DataFrame]:
    """The largest suppression spike, what the servers said, and its candidates."""
    s, progress, report = job.session, job.progress, job.report
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
    next_day = day + pd.Timedelta(days=1)
    rows = read_suppressions(day, next_day, accounts=[account], session=s, progress=progress)
    domain = str(rows["domain"].value_counts().index[0])
    report.say("reading the bounces behind the storm ...")
    week = (day - pd.Timedelta(days=7), next_day)
    bounces = triage(read_bounces(*week, accounts=[account], session=s, progress=progress))
    fix = remediation_candidates(rows, bounces=bounces)
    bad = fix[fix["verdict"] == "reactivate"]
    report.section(
        "Incident 1: a bounce storm",
        f"{account} on {day:%Y-%m-%d}: {int(storm['count']):,} suppressions, "
        f"{storm['ratio']:.1f} times its usual day ({int(storm['baseline']):,}); "
        f"{(rows['domain'] == domain).sum():,} of them at {domain}.",
        _spikes_table(spikes),
    )
    that_day = bounces[bounces["bounced_at"].dt.floor("D") == day]
    report.section(
        "What the receiving servers said",
        f"The bounces of {account} on {day:%Y-%m-%d}, triaged (reason in Sisimai's names; "
        f"permanent means the server refused for good). {_said(that_day, domain)}",
        _evidence(that_day),
    )
    _candidates(job, fix, bad, account, day)
    report.say(f"bounce storm: {account} on {day:%Y-%m-%d} at {domain} ({len(bad)} rows)")
    return account, bad


def _said(bounces: pd.DataFrame, domain: str) -> str:
    """What the servers at ``domain`` said most, in words computed from the bounces."""
    there = bounces[bounces["domain"] == domain]
    if not len(there):
        return f"No bounce from {domain} that day."
    replies = there["reply"].astype("Int64").astype(object).fillna(0)
    pairs = there["reason"].astype(str) + "|" + replies.astype(str)
    reason, reply = str(pairs.value_counts().index[0]).split("|")
    share = int((pairs == f"{reason}|{reply}").sum())
    code = "no reply code" if reply == "0" else f"a {reply} reply"
    return f"At {domain}: {share:,} of {len(there):,} bounces were {reason} with {code}."


def _candidates(
    job: _Job, fix: pd.DataFrame, bad: pd.DataFrame, account: str, day: pd.Timestamp
) -> None:
    """The verdicts of the day's suppressions, and the storm's fix."""
    verdicts = fix.groupby(["verdict", "cause"], observed=True).size().reset_index()
    verdicts.columns = pd.Index(["verdict", "cause", "suppressions"])
    verdicts["suppressions"] = verdicts["suppressions"].map(_count)
    kept = fix.loc[fix["verdict"] == "keep", "cause"].value_counts()
    job.report.section(
        "Remediation candidates",
        f"Each of the day's suppressions joined to the event that caused it: "
        f"{len(bad):,} to reactivate (evidence: {', '.join(sorted(set(bad['cause'])))} at "
        f"{', '.join(sorted(set(bad['domain'])))}), {int(kept.sum()):,} to keep ("
        + ", ".join(f"{n:,} {cause}" for cause, n in kept.items())
        + f"), {(fix['verdict'] == 'review').sum():,} to review.",
        verdicts,
    )
    job.report.todo(
        f"The {len(bad):,} addresses the evidence clears were suppressed for refusals that "
        "say nothing of their own mailboxes: take them off the list and reactivate them. "
        "Dry-run first, then apply with a journal (a re-run skips what is done). Or run "
        "`mmframe demo --apply` to do it on the demo.",
        STORM_FIX.format(
            day=f"{day:%Y-%m-%d}",
            next_day=f"{day + pd.Timedelta(days=1):%Y-%m-%d}",
            week_before=f"{day - pd.Timedelta(days=7):%Y-%m-%d}",
            account=account,
            rows=len(bad),
        )
        + "\n# or, on the demo:  mmframe demo --apply",
    )


def _spikes_table(spikes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": spikes["start"].dt.strftime("%Y-%m-%d"),
            "account": spikes["group"].astype(str),
            "suppressions": spikes["count"].map(_count),
            "usual day": spikes["baseline"].map(_count),
            "times usual": spikes["ratio"].map(lambda r: f"{r:.1f}x"),
        }
    ).head(5)


def _climb(job: _Job) -> None:
    """The account and domain whose complaints climbed, its campaign and its rates."""
    s, progress, report, end = job.session, job.progress, job.report, job.end
    report.say("reading the last year's suppressions ...")
    year = read_suppressions("2025-10-31", END, accounts="all", session=s, progress=progress)
    climb = find_climb(year)
    mine = year[year["account"] == climb.account]
    late, early = end - pd.DateOffset(months=3), end - pd.DateOffset(months=6)
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
        f"Complaints per week at {climb.account}, by recipient domain ({climb.domain} climbing)",
    )
    report.say("reading the complaints and rates behind the climb ...")
    half = f"{early:%Y-%m-%d}"
    said = read_complaints(
        half, END, accounts=[climb.account], domain=climb.domain, session=s, progress=progress
    )
    per_campaign = said.value_counts("x_campaign")
    campaign = str(per_campaign.index[0])
    report.section(
        "The campaign behind the climb",
        f"Complaints from {climb.domain} recipients of {climb.account} since {half}, by "
        f"the X-Campaign of the message complained about: {per_campaign.iloc[0]:,} of "
        f"{len(said):,} are {campaign}.",
        per_campaign.head(5).map(_count).rename("complaints").reset_index(),
    )
    _climb_rates(job, climb, campaign, half)


def _climb_rates(job: _Job, climb: Climb, campaign: str, half: str) -> None:
    """The climb's complaint rates against the providers' limits, and what to do."""
    rates = read_rates(
        "2025-10-01", END, freq="MS", by="domain", top=5, accounts=[climb.account],
        session=job.session, progress=job.progress, as_of=END,
    )  # fmt: skip
    over = rates[rates["above_limit"].fillna(False).astype(bool)]
    job.report.chart(
        "complaint_rates",
        lambda ax: charts.plot_rates(rates, ax=ax),
        f"Complaint rate per month at {climb.account}, by recipient domain, against "
        "the providers' limits",
    )
    months = ", ".join(
        f"{r.domain} {r.start:%Y-%m} ({r.complaint_rate:.2%})" for r in over.itertuples()
    )
    job.report.line(
        f"Months at or above the 0.3 % limit of Gmail and Yahoo: {months or 'none'}. "
        "(Complaint rate = complaints / delivered messages.)"
    )
    job.report.todo(
        f"Complaints are people asking not to be mailed: keep them suppressed. The climb "
        f"is one campaign, {campaign}: slow it down or stop it for {climb.domain} "
        "recipients before the provider blocks the account.",
        CLIMB_LOOK.format(
            start=half, end=END, account=climb.account, domain=climb.domain, campaign=campaign
        ),
    )
    job.report.say(f"complaint climb: {climb.account} at {climb.domain}")


def _plan(job: _Job, account: str, bad: pd.DataFrame, *, apply: bool) -> None:
    """The storm's fix as a dry run; with ``apply``, carried out and verified."""
    s, progress = job.session, job.progress
    plan = activate(bad, full=True, dry_run=True, session=s, progress=progress)
    planned = plan["status"].value_counts()
    job.report.section(
        "Remediation plan (dry run)",
        f"Activating the {len(bad):,} candidates of {account} "
        f"would change {int(planned.get('planned', 0)):,} of them (removed from the "
        f"suppression list and reactivated); {int(planned.get('unchanged', 0)):,} already "
        "are. Nothing was written.",
    )
    if not apply:
        return
    mailbox = s.for_account(account)
    before = read_recipients(bad["email"], session=mailbox, progress=progress)
    journal = job.out / "remediation.jsonl"
    result = activate(
        bad, full=True, confirm=True, verify=True, journal=str(journal), session=s,
        progress=progress,
    )  # fmt: skip
    after = read_recipients(bad["email"], session=mailbox, progress=progress)
    job.report.section(
        "Remediation applied and verified",
        f"{int((result['status'] == 'ok').sum()):,} of {len(bad):,} rows ok, each "
        f"re-read afterwards; the journal is {journal.name} (next to this report): "
        "running the same fix again skips what it records.",
        _before_after(before, after),
    )
    job.report.say(f"remediation applied: {(result['status'] == 'ok').sum()} rows ok")


def _evidence(bounces: pd.DataFrame) -> pd.DataFrame:
    """Triaged bounces grouped by what the servers said: domain, reason, codes, an example."""
    keys = ["domain", "bounce_type", "reason", "permanent", "status", "reply"]
    grouped = (
        bounces.astype({"status": object, "reply": object, "permanent": object})
        .fillna({"status": "-", "reply": "-"})
        .groupby(keys, observed=True, dropna=False)
        .agg(bounces=("email", "size"), example=("message", "first"))
        .reset_index()
        .sort_values("bounces", ascending=False)
        .head(8)
    )
    grouped["bounces"] = grouped["bounces"].map(_count)
    grouped["example"] = grouped["example"].astype(str).str.slice(0, 110)
    return grouped


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
