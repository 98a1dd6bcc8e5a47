"""How the page writes a sentence and a domain (issue 33, ninth review, F13): "this key's
account's complaints were looked for ..." started a sentence in lower case, and the
complaint chart and sentences named ``xn--bcher-kva.de``, not ``bücher.de``, the name an
analyst knows and searches for."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from mmframe.reporting.findings import Finding
from mmframe.reporting.numbers import capital, domain_shown
from mmframe.reporting.plans import _complaint_series
from mmframe.reporting.rate_findings import where
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
