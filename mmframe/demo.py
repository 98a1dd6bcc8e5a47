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
    return frame.to_frame().to_html() if isinstance(frame, pd.Series) else frame.to_html()


class Report:
    """Sections of text, tables and charts, written out as one self-contained HTML page."""

    def __init__(self, out: Path, stream: TextIO) -> None:
        self.out, self.stream = out, stream
        self.parts: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def section(self, title: str, text: str = "", table: Any = None) -> None:
        self.parts.append(f"<h2>{html.escape(title)}</h2><p>{html.escape(text)}</p>")
        if table is not None:
            self.parts.append(_table(table))

    def chart(self, name: str, draw: Any) -> None:
        figure = _figure()
        draw(figure.subplots())
        encoded = _png(figure, self.out / f"{name}.png")
        self.parts.append(f'<img alt="{name}" src="data:image/png;base64,{encoded}">')

    def write(self) -> Path:
        page = (
            "<!doctype html><meta charset='utf-8'><title>mmframe demo report</title>"
            "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
            "table{border-collapse:collapse}td,th{padding:2px 8px;border:1px solid #ddd}"
            "img{max-width:100%}</style><h1>mmframe demo report</h1>" + "".join(self.parts)
        )
        path = self.out / "report.html"
        path.write_text(page, encoding="utf-8")
        return path


def run(
    out: Path, *, apply: bool = False, progress: bool | None = None, stream: TextIO = sys.stdout
) -> Path:
    """Run the demo into ``out``; returns the report's path."""
    from .emulator import Emulator

    out.mkdir(parents=True, exist_ok=True)
    report = Report(out, stream)
    report.say("starting the embedded emulator with the demo dataset ...")
    with Emulator("demo") as emulator, Session(emulator.url, emulator.master_apikey) as s:
        report.say("reading accounts and senders ...")
        accounts = read_accounts(session=s, progress=progress)
        senders = read_senders(details=True, accounts="all", session=s, progress=progress)
        health = senders.groupby("account", observed=True)[["spf", "dkim", "ready"]].mean()
        report.section(
            "Accounts",
            f"{len(accounts)} accounts under the master key.",
            accounts[["username", "account_name", "user_type", "emails_sent"]],
        )
        report.section("Sender health", "Share of senders with SPF, DKIM, ready.", health.round(2))
        report.say("reading two years of daily counts ...")
        counts = read_suppression_counts(
            START, END, freq="D", accounts="all", session=s, progress=progress
        )
        report.chart(
            "trend_by_account",
            lambda ax: charts.plot_suppression_trend(counts, by="account", ax=ax),
        )
        spikes = charts.find_spikes(counts)
        storm = spikes.iloc[0]
        account, day = str(storm["group"]), pd.Timestamp(storm["start"])
        rows = read_suppressions(
            day, day + pd.Timedelta(days=1), accounts=[account], session=s, progress=progress
        )
        domain = str(rows["domain"].value_counts().index[0])
        bad = rows[(rows["domain"] == domain) & (rows["reason"] == "bounce")]
        report.section(
            "Incident 1: a bounce storm",
            f"{account} on {day:%Y-%m-%d}: {int(storm['count']):,} suppressions, "
            f"{storm['ratio']:.0f}x its usual day; {len(bad):,} bounces at {domain}.",
            spikes.head(5),
        )
        report.say(f"bounce storm: {account} on {day:%Y-%m-%d} at {domain} ({len(bad)} rows)")
        report.say("reading the last year's suppressions ...")
        year = read_suppressions("2025-10-31", END, accounts="all", session=s, progress=progress)
        climb = find_climb(year)
        mine = year[year["account"] == climb.account]
        report.section(
            "Incident 2: a climb of complaints",
            f"{climb.account}: complaints at {climb.domain} rose from {climb.early:.0f} to "
            f"{climb.late:.0f} a month over the last six months.",
        )
        report.chart("reason_mix", lambda ax: charts.plot_reason_mix(mine, freq="MS", ax=ax))
        report.chart(
            "complaint_domains",
            lambda ax: charts.plot_domain_heatmap(
                mine[mine["reason"] == "complaint"], freq="W", top=8, ax=ax
            ),
        )
        report.say(f"complaint climb: {climb.account} at {climb.domain}")
        plan = activate(bad, full=True, dry_run=True, session=s, progress=progress)
        report.section(
            "Remediation plan (dry run)",
            f"Activate {len(bad):,} wrongly bounced recipients of {account} at "
            f"{domain}: removed from the suppression list and reactivated.",
            plan["status"].value_counts(),
        )
        if apply:
            result = activate(
                bad,
                full=True,
                confirm=True,
                verify=True,
                journal=str(out / "remediation.jsonl"),
                session=s,
                progress=progress,
            )
            after = read_recipients(bad["email"], session=s.for_account(account), progress=progress)
            report.section(
                "Remediation applied and verified",
                f"{(result['status'] == 'ok').sum():,} rows ok; the recipients now:",
                after[["status", "suppression_status"]].value_counts(),
            )
            report.say(f"remediation applied: {(result['status'] == 'ok').sum()} rows ok")
    path = report.write()
    report.say(f"wrote {path} (and the charts as PNG in {out})")
    return path
