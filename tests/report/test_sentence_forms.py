"""How the page writes a sentence and a domain (issue 33, ninth review, F13): "this key's
account's complaints were looked for ..." started a sentence in lower case, and the
complaint chart and sentences named ``xn--bcher-kva.de``, not ``bücher.de``, the name an
analyst knows and searches for."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from mmframe.reporting.findings import Finding
from mmframe.reporting.group_names import where
from mmframe.reporting.numbers import capital, domain_shown
from mmframe.reporting.plans import _complaint_series
from mmframe.reporting.spike_findings import _concentration


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        pytest.param("this key's account's complaints were looked for", "This key's account's"),
        pytest.param("retail@acme.io's complaints were looked for", "retail@acme.io's"),
        pytest.param("gmail.com: 3 of them", "gmail.com: 3"),
        pytest.param("421-4.7.28 said", "421-4.7.28 said"),
        pytest.param("", ""),
    ],
)
def test_a_sentence_starts_with_a_capital_unless_it_starts_with_a_name(said, shown):
    assert capital(said).startswith(shown)


def test_an_idna_domain_is_shown_in_unicode_with_its_ascii_form():
    assert domain_shown("xn--bcher-kva.de") == "bücher.de (xn--bcher-kva.de)"
    assert domain_shown("gmail.com") == "gmail.com"
    assert domain_shown("xn--a.de") == "xn--a.de"  # not a valid IDNA label: as it is
    assert where("domain", "xn--bcher-kva.de") == "domain bücher.de (xn--bcher-kva.de)"
    assert "bücher.de (xn--bcher-kva.de)" in _concentration("xn--bcher-kva.de", 9, 10, 2)


def test_the_complaint_chart_names_an_idna_domain_in_unicode():
    rates = pd.DataFrame(
        {"account": "alerts@acme.io", "by": "domain", "group": ["xn--bcher-kva.de", "web.de"],
         "complaint_rate": [0.01, 0.002]}
    )  # fmt: skip

    found = Finding(kind="complaints", title="", account="alerts@acme.io", weight=1, summary="")
    evidence = SimpleNamespace(findings=[found], rates=rates)
    _over, shown = _complaint_series(evidence)  # type: ignore[arg-type]
    assert shown["series"].tolist() == ["bücher.de (xn--bcher-kva.de)", "web.de"]


def _one_send(sent: int, delivered: int, hard: int, complaints: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        [{"account": "tiny@acme.io", "by": "account", "group": "tiny@acme.io",
          "start": pd.Timestamp("2026-11-16", tz="UTC"), "sent": sent, "delivered": delivered,
          "hard_bounces": hard, "soft_bounces": 0, "complaints": complaints,
          "unique_opens": 0, "unique_clicks": 0}]
    )  # fmt: skip


def test_a_count_of_one_is_said_in_the_singular():
    # Tenth review F3: "on 1 bounce of 1 messages sent" (one send, one hard bounce).
    from mmframe.reporting.limits import Counted, _unrated, over_unfound

    said = over_unfound(SimpleNamespace(rates=_one_send(1, 0, 1), findings=[]))
    assert len(said) == 1 and "on 1 bounce of 1 message sent:" in said[0], said
    bounces, complaints = over_unfound(SimpleNamespace(rates=_one_send(3, 1, 2, 1), findings=[]))
    assert "on 2 bounces of 3 messages sent:" in bounces, bounces
    assert "on 1 complaint of 1 message delivered:" in complaints, complaints
    since = pd.Timestamp("2026-10-01", tz="UTC")
    bounce, complaint = ("bounces", "sent", "bounce"), ("complaints", "delivered", "complaint")
    (said,) = _unrated("tiny@acme.io", Counted(1, 0), Counted(0, 0), since, bounce)
    assert said.startswith("tiny@acme.io: 1 bounce against 0 messages sent in this range"), said
    (said,) = _unrated("tiny@acme.io", Counted(2, 1), Counted(0, 0), since, complaint)
    assert said.startswith("tiny@acme.io: 2 complaints against 1 message delivered"), said
    (said,) = _unrated("tiny@acme.io", Counted(2, 1), Counted(0, 1), since, bounce)
    assert "2 bounces of 2 messages sent" in said, said
