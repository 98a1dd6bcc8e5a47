"""The report reads the rates of the domains, senders and X-header values while it judges
the spikes (one waits on the server, the other on this process): the rates, the findings
and the page are what reading them one after the other gives."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe import demo
from mmframe.reporting import build
from mmframe.reporting.rating import rates_for
from mmframe.reporting.scope import Scope, accounts_of


def test_the_rates_read_beside_the_spikes_are_the_rates_read_alone(demo_emulator, tmp_path):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        evidence, _page = build(
            session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=False
        )
        scope = Scope(session, accounts_of(session, None), False)
        lists = pd.concat([evidence.complaints, evidence.bounces], ignore_index=True)
        notes: list[str] = []
        alone = rates_for(
            evidence.start, evidence.end, evidence.freq, evidence.as_of, scope, lists,
            evidence.accounts, notes,
        )  # fmt: skip
    assert len(evidence.spikes) and evidence.findings  # the spikes were judged meanwhile
    assert set(alone["by"]) == {"account", "domain", "sender", "X-Campaign"}
    pd.testing.assert_frame_equal(evidence.rates, alone)
    assert all(note in evidence.notes for note in notes)
