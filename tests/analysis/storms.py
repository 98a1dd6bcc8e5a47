"""A storm of one day's suppressions at one domain, each row's own bounce given: the frame
the dead-word tests judge (the first row's words against the rest's)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mmframe.analysis.remediation import remediation_candidates

STORM = pd.Timestamp("2026-11-20T10:00:00Z")
#: Yahoo's rate deferral: the words of a storm that is put back.
RATE = "421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume"
ACCOUNT = "news@acme.example"


def judged_storm(
    first: str, rest: str, *, domain: str = "example.org", account: str = ACCOUNT, size: int = 60
) -> pd.DataFrame:
    """``size`` soft bounces at ``domain`` on one day, each suppressed a minute later, the
    first in the words ``first`` (``{e}`` its address) and the others in ``rest``, judged
    by :func:`~mmframe.remediation_candidates`; indexed by address."""
    emails = [f"s{i:03d}@{domain}" for i in range(size)]
    at = STORM + pd.Timedelta(minutes=1)
    sup = pd.DataFrame({"account": account, "email": emails, "reason": "bounce",
                        "domain": domain, "suppressed_at": at})  # fmt: skip
    bounces = sup.drop(columns=["suppressed_at", "reason"]).assign(
        bounced_at=STORM, message=[first.format(e=emails[0])] + [rest] * (size - 1),
        bounce_type="soft",
    )  # fmt: skip
    return remediation_candidates(sup, bounces=bounces).set_index("email")


def judged_targets(
    targets: list[str], rest: str, *, domain: str = "example.org", size: int = 60
) -> pd.DataFrame:
    """Each text of ``targets`` on its own address (``t000@``, ...) beside a storm of
    ``size`` bounces in the words ``rest``, all on one day at ``domain``, judged by
    :func:`~mmframe.remediation_candidates`; indexed by address (the targets first)."""
    emails = [f"t{i:03d}@{domain}" for i in range(len(targets))]
    emails += [f"s{i:03d}@{domain}" for i in range(size)]
    at = STORM + pd.Timedelta(minutes=1)
    sup = pd.DataFrame({"account": ACCOUNT, "email": emails, "reason": "bounce",
                        "domain": domain, "suppressed_at": at})  # fmt: skip
    bounces = sup.drop(columns=["suppressed_at", "reason"]).assign(
        bounced_at=STORM, message=[*targets, *[rest] * size], bounce_type="soft"
    )
    return remediation_candidates(sup, bounces=bounces).set_index("email")


def beside_a_storm(texts: Sequence[str], rest: str = RATE) -> pd.DataFrame:
    """The rows of ``texts`` (:func:`judged_targets` at web.example), each with its
    ``text``; the storm in the words ``rest`` must itself still be put back."""
    out = judged_targets(list(texts), rest, domain="web.example")
    assert (out["verdict"].iloc[len(texts) :] == "reactivate").all(), "the storm was held"
    return out.iloc[: len(texts)].assign(text=list(texts))


def none_put_back(texts: Sequence[str]) -> None:
    """Assert that no text of ``texts`` beside a storm (:func:`beside_a_storm`) is put back."""
    targets = beside_a_storm(texts)
    put_back = targets[targets["verdict"] == "reactivate"]
    assert put_back.empty, shown(put_back)


def all_put_back(texts: Sequence[str]) -> None:
    """Assert that every text of ``texts`` goes back with the storm beside it."""
    targets = beside_a_storm(texts)
    held = targets[targets["verdict"] != "reactivate"]
    assert held.empty, shown(held)


def shown(rows: pd.DataFrame) -> str:
    """``rows``' texts, causes and evidence, for an assertion's message."""
    return rows[["text", "cause", "evidence"]].to_string()
