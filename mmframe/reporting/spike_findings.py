"""A suppression spike's finding: the day's rows, their verdicts and causes in words, and
the fix as code (:mod:`.spike_code`)."""

from __future__ import annotations

import pandas as pd

from ..analysis.never_back import CONDEMNING
from ..analysis.sender_first import waits_for_sender
from ..spike_marks import usual_day
from . import retention
from .bounce_advice import fix_first
from .cause_words import counted, kinds
from .finding import Finding, and_
from .numbers import clock, count, domain_shown, isolate, plural, share
from .retention import Listing
from .review_words import held_back, review_advice, review_sentence, verdict_table
from .servers_said import servers_said
from .spike_code import spike_fix_code, spike_journal


def spike_finding(
    spike: pd.Series,
    fix: pd.DataFrame,
    bounces: pd.DataFrame,
    *,
    scope: list[str] | None,
    looked_back: str = "",
    until: pd.Timestamp | None = None,
    complaints_of: list[str] | None = None,
    since: pd.Timestamp | None = None,
    listing: Listing | None = None,
) -> Finding:
    """A day of suppressions far above its account's usual, explained by its causes.

    Parameters
    ----------
    spike
        One row of :func:`mmframe.find_spikes`.
    fix
        :func:`mmframe.remediation_candidates` of the account's suppressions of that day.
    bounces
        The account's triaged bounces read for it (every one it keeps, until now).
    scope
        The ``accounts=`` the printed fix reads with (None: the key's own account).
    looked_back
        How far back complaints and bounces were looked for, in words.
    until
        Where the day's rows were read to (default the day's end), as the printed fix does.
    complaints_of
        The accounts whose complaints, opt-outs and bounces the fix reads (every one the
        key reads; None with no ``scope``: a sub-account's key, its own account only).
    since
        Where the day's rows were read from, when the range starts inside the day (as
        ``until``: only what is in the range is judged, and the printed fix reads it).
    listing
        What the server lists of the account's rows, where not all (:mod:`.retention`).
    """
    account, day, total = str(spike["group"]), pd.Timestamp(spike["start"]), len(fix)
    domains = fix["domain"].astype(str).value_counts()
    top, at_top = (str(domains.index[0]), int(domains.iloc[0])) if total else ("", 0)
    said = _where_and_verdicts(spike, fix, day, domains, (since, until), listing=listing)
    said += [servers_said(bounces, day, fix, since=since, until=until, listing=listing)]
    said += [looked_back] if looked_back else []
    where_ = _concentration(top, at_top, total, len(domains))
    blind = not scope and complaints_of is None  # a sub-account's key: see _spike_advice
    finding = Finding(
        kind="spike",
        title=f"Suppression spike: {account} on {day:%Y-%m-%d}, {where_}",
        account=account,
        weight=int(spike["count"] - spike["baseline"]),
        summary=_summary(account, day, spike, fix, where_, blind=blind),
        said=said,
        tables=[("Verdicts and their causes", verdict_table(fix))],
        day=day,
        verdicts={str(v): int(n) for v, n in fix["verdict"].astype(str).value_counts().items()},
    )
    _spike_advice(
        finding, fix, day, scope=scope, until=until, complaints_of=complaints_of, since=since
    )
    return finding


def unchecked(n: int) -> str:
    """That ``n`` rows to reactivate were not checked against the other accounts (a
    sub-account's key reads its own only), in words; no semicolon (see :func:`mark_applied`)."""
    which = f"none of the {count(n)}" if n != 1 else "not"
    return (
        f"{which} checked against the sender's other accounts, whose complaints, opt-outs "
        "and dead mailboxes this key cannot read"
    )


def _summary(
    account: str,
    day: pd.Timestamp,
    spike: pd.Series,
    fix: pd.DataFrame,
    where_: str,
    *,
    blind: bool = False,
) -> str:
    """The summary's line: the day's size against its usual, where, and the verdicts
    (``blind``: the rows to reactivate unchecked against other accounts, said so)."""
    return (
        f"{account}, {day:%Y-%m-%d}: {count(len(fix))} suppressions "
        f"({_usual(spike, short=True)}), {where_}; {_verdict_counts(fix, blind=blind)}."
    )


def _where_and_verdicts(
    spike: pd.Series,
    fix: pd.DataFrame,
    day: pd.Timestamp,
    domains: pd.Series,
    span: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None),
    *,
    listing: Listing | None = None,
) -> list[str]:
    """The day's size and reasons, where it concentrates, and the verdicts there; ``span``
    is where the day's rows were read from and to (None: the day's start or end)."""
    total = len(fix)
    top, at_top = (str(domains.index[0]), int(domains.iloc[0])) if total else ("", 0)
    rest = (
        f"; the rest spread over {plural(len(domains) - 1, 'other domain')}."
        if len(domains) > 2
        else f"; the rest at one other domain, {isolate(str(domains.index[1]))}."
        if len(domains) == 2
        else "."
    )
    said = [
        f"{count(total)} suppressions on {day:%Y-%m-%d}{_cut(day, *span)}, {_usual(spike)}; "
        f"by reason: {_reasons(fix['reason'])}.",
        f"{count(at_top)} of them ({share(at_top / total)}) at {isolate(domain_shown(top))}" + rest,
    ]
    said += _verdict_sentences(fix, listing)
    if len(domains) > 1 and at_top:
        there = fix[fix["domain"].astype(str) == top]["verdict"].astype(str).value_counts()
        said.append(
            f"At {isolate(domain_shown(top))}: "
            + and_([f"{count(n)} {verdict}" for verdict, n in there.items() if n])
            + f" of its {count(at_top)}."
        )
    return said


def _cut(day: pd.Timestamp, since: pd.Timestamp | None, until: pd.Timestamp | None) -> str:
    """Where the range cuts the day, in words (its count, ratio and verdicts are of the part
    in it): `` from 13:40 UTC (the range's start)``, `` until 10:10 UTC (the range's end)``,
    both, or nothing for the whole day; no "where" clause, as :func:`_usual` may follow."""
    end = day + pd.Timedelta(days=1)
    stop = end if until is None else until
    ends = stop < end
    if since is not None and ends:
        return f" from {clock(since)} to {clock(stop)} UTC, the range's part of it"
    if since is not None:
        return f" from {clock(since)} UTC (the range's start)"
    return f" until {clock(stop)} UTC (the range's end)" if ends else ""


def _verdict_counts(fix: pd.DataFrame, *, blind: bool = False) -> str:
    """``335 to reactivate, 82 to keep and 35 to review (13 who ...)``: every verdict with
    rows, so they add up, and what holds the rows to review back (:func:`_held_back`);
    ``blind``: the rows to reactivate unchecked against other accounts (:func:`unchecked`)."""
    verdicts = fix["verdict"].astype(str).value_counts()
    review = fix[fix["verdict"].astype(str) == "review"]
    held = held_back(review)
    why = {"review": f" ({and_(held)})" if held else ""}
    back = fix[fix["verdict"].astype(str) == "reactivate"]
    # As What to do says them: those refused for the sender's sake go back after its fix
    # (thirty-first review, 3: "300 to reactivate" above "0 now, 300 later").
    waiting = int(waits_for_sender(back).sum()) if len(back) else 0
    notes = [unchecked(len(back))] if blind and len(back) else []
    if waiting:
        which = f"all {count(waiting)}" if waiting == len(back) else f"{count(waiting)} of them"
        notes.append(f"{which} once the sender has fixed what their servers refused: What to do")
    if notes:
        why["reactivate"] = f" ({'; '.join(notes)})"
    return (
        and_(
            [
                f"{count(verdicts[v])} to {v}" + why.get(v, "")
                for v in ("reactivate", "keep", "review")
                if v in verdicts
            ]
        )
        or "no rows"
    )


def _usual(spike: pd.Series, *, short: bool = False) -> str:
    """The day against the account's usual day, in words: a ratio means nothing over 0."""
    baseline = float(spike["baseline"])
    if short:  # the chart's label says the same
        return usual_day(spike)
    if baseline < 1:
        return f"against {'none' if baseline == 0 else 'fewer than one'} on the account's usual day"
    return f"{spike['ratio']:.1f} times the account's usual day ({count(baseline)})"


def _concentration(top: str, at_top: int, total: int, domains: int) -> str:
    """Where a day's suppressions are: mostly at one domain, or spread."""
    if total and at_top / total >= 0.5:
        return f"mostly at {isolate(domain_shown(top))} ({count(at_top)} of {count(total)})"
    return f"spread over {count(domains)} domains"


def _verdict_sentences(fix: pd.DataFrame, listing: Listing | None = None) -> list[str]:
    """Each verdict with every cause it counts: the counts reconcile to the day's total."""
    out = []
    for verdict, meaning in (
        ("reactivate", " (refusals that pass, or say nothing of the mailbox)"),
        ("keep", ""),
        ("review", " (the evidence missing or mixed: it neither clears nor condemns them)"),
    ):
        rows = fix[fix["verdict"] == verdict]
        if not len(rows):
            continue
        held = rows["cause"].astype(str).isin(CONDEMNING)
        if verdict == "review" and held.any():  # each group named by what holds it
            out.append(review_sentence(rows, held))
            continue
        out.append(f"{verdict.capitalize()} {count(len(rows))}{meaning}: {_causes(rows)}.")
    return out + retention.no_reason(fix, listing)


#: The suppressions' reasons (the API's) in words, as a count reads them.
_REASONS = {"bounce": ("bounce", "bounces"), "complaint": ("complaint", "complaints"),
            "unsubscribe": ("unsubscribe", "unsubscribes"),
            "manual": ("added by hand", "added by hand")}  # fmt: skip


def _reasons(reasons: pd.Series) -> str:
    """``480 bounces, 20 complaints and 1 added by hand``: the day's suppressions by the
    reason the API gives, in words."""
    tally = reasons.astype(str).value_counts()
    return and_(
        [
            f"{count(n)} {_REASONS.get(str(r), (str(r), str(r)))[int(n) != 1]}"
            for r, n in tally.items()
        ]
    )


def _causes(rows: pd.DataFrame) -> str:
    """The rows' causes, each counted, in the page's one vocabulary (:mod:`.cause_words`)."""
    evidence = rows["evidence"] if "evidence" in rows.columns else None
    return and_(counted(kinds(rows["cause"], evidence)))


def _spike_advice(
    finding: Finding,
    fix: pd.DataFrame,
    day: pd.Timestamp,
    *,
    scope: list[str] | None,
    until: pd.Timestamp | None = None,
    complaints_of: list[str] | None = None,
    since: pd.Timestamp | None = None,
) -> None:
    """What to do with every row of the day: reactivate, keep (each cause said) or review."""
    reactivate = fix[fix["verdict"] == "reactivate"]
    parts = []
    blind = not scope and complaints_of is None  # a sub-account's key: its own account only
    if len(reactivate):
        finding.fix = reactivate
        parts.append(
            f"Reactivate the {plural(len(reactivate), 'address', 'addresses')} suppressed for "
            "refusals that pass (a deferral, a full mailbox, a block of the sender) or that "
            "say nothing of their mailboxes: dry run first, then apply with a journal."
        )
        if blind:
            parts.append(
                f"This key reads its own account only: {unchecked(len(reactivate))}, so "
                "someone who complained to, unsubscribed from or was called dead on one of "
                "them could be among them: run the report with the master account's key "
                "first, which reads them all."
            )
        first = fix_first(reactivate)
        if first:  # the printed code holds them back: its `later` step
            parts.append(
                f"{first} The code below holds them back from its first step, in later: "
                "put them back only once that is done."
            )
    parts += _keep_advice(fix[fix["verdict"] == "keep"], len(fix), bool(len(reactivate)))
    parts += review_advice(fix[fix["verdict"] == "review"])
    finding.advice = " ".join(parts) or "Nothing here is safe to reactivate."
    if finding.fix is not None:
        finding.code = spike_fix_code(
            finding.account, day, scope, reactivate, until, complaints_of, since=since,
            blind=blind,
        )  # fmt: skip
        finding.journal = spike_journal(finding.account, day, scope)


def _keep_advice(keep: pd.DataFrame, total: int, others: bool) -> list[str]:
    """The kept rows in words, every cause counted (they add up to the verdict's count)."""
    if not len(keep):
        return []
    evidence = keep["evidence"] if "evidence" in keep.columns else None
    dead = keep[(kinds(keep["cause"], evidence) == "dead").to_numpy()]
    many = len(keep) > 1
    who = ("others" if many else "other") if others else ("addresses" if many else "address")
    said = [f"Keep the {count(len(keep))} {who}: {_causes(keep)}."]
    domains = dead["domain"].astype(str).nunique()
    if len(dead) >= total / 2 and domains >= 3:
        said.append(
            f"The mailboxes a server called dead are most of the day and span "
            f"{plural(domains, 'domain')}, which points at the list (where these addresses "
            "came from), not at a receiving server. Clean the list before mailing it again; "
            "do not reactivate them."
        )
    if not others and len(keep) == total:
        said.insert(0, "Nothing here is safe to reactivate.")
    return said


def mark_applied(finding: Finding, ok: int, section: int) -> None:
    """Say in the finding's summary and advice that this run applied its fix: ``ok`` rows
    reactivated, as Fix ``section`` below reports."""
    if finding.fix is None:
        return
    judged = finding.verdicts
    done = [f"{count(ok)} reactivated"]
    if len(finding.fix) - ok:
        done.append(f"{count(len(finding.fix) - ok)} failed")
    done += [f"{count(judged[v])} {word}" for v, word in (("keep", "kept"),
             ("review", "left to review")) if judged.get(v)]  # fmt: skip
    # The verdicts are the summary's last clause, before the sentence after them (kept:
    # thirty-first review, 2, the bounce rate dropped from the summary once applied).
    head = finding.summary.removesuffix(f" {finding.after}").rsplit(";", 1)[0]
    after = f" {finding.after}" if finding.after else ""
    finding.summary = f"{head}; fix applied (Fix {section} below): {and_(done)}.{after}"
    held = int(waits_for_sender(finding.fix).sum())
    finding.applied = (
        f"Applied by this run: {count(ok)} of {count(len(finding.fix))} reactivated and "
        f"verified (Fix {section} below), all at once, to show the write"
        + (
            f"; {count(held)} of them before what their servers refused was fixed, which the "
            "report advised doing first (the demo's sender cannot be fixed): on an account "
            "of yours, follow the steps."
            if held
            else "."
        )
    )
