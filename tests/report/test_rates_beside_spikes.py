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


def test_a_failure_while_judging_the_spikes_stops_the_counts_read_meanwhile(
    demo_emulator, tmp_path, monkeypatch
):
    """Ctrl-C (or any error) while the spikes are judged ends the report then: the counts
    read beside them stop after the scan under way, not after the last of sixteen."""
    import threading

    import pytest

    from mmframe.reporting import evidence as gathering
    from mmframe.reporting import rating

    read, started = [], threading.Event()
    real = rating.rates_of

    def counted(*args, **kwargs):
        read.append(kwargs["by"])
        if len(read) > 1:
            started.set()  # the thread beside the spikes is reading
        return real(*args, **kwargs)

    def judged(*_args, **_kwargs):
        assert started.wait(timeout=60)
        raise KeyboardInterrupt

    monkeypatch.setattr(rating, "rates_of", counted)
    monkeypatch.setattr(gathering.spiking, "judge_all", judged)
    with (
        mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session,
        pytest.raises(KeyboardInterrupt),
    ):
        build(session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=False)
    # The per-account scan, the one under way when the spikes failed (one more at most,
    # had it just begun): of the demo's sixteen.
    assert 2 <= len(read) <= 3, read


def test_a_server_failing_beside_the_spikes_fails_the_report_in_a_few_requests(
    make_emulator, tmp_path, monkeypatch
):
    """The 48th review: a server failing every request once the counts beside the spikes
    began made the report fail after minutes (82 to 138 s), each of its thousands of
    doomed counts retried. Every count read now stops sending at its first failure."""
    import pytest

    from mmframe.reporting import rating

    emulator = make_emulator("demo")
    real, read, at = rating.rates_of, [], []

    def counted(*args, **kwargs):
        read.append(kwargs["by"])
        if len(read) == 2:  # the per-account scan is in: fail everything from now on
            at.append(emulator.stats()["totals"]["requests"])
            emulator.configure(fault_rate=1.0, fault_mode="error-before")
        return real(*args, **kwargs)

    monkeypatch.setattr(rating, "rates_of", counted)
    with (
        mm.Session(emulator.url, emulator.master_apikey, retries=2) as session,
        pytest.raises(mm.MMError),  # a count read's, or a lookup's (the X-header names)
    ):
        build(session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=False)
    sent = emulator.stats()["totals"]["requests"] - at[0]
    # Two count reads fail (the counts beside, the spikes' own), each with about its 16
    # workers' requests under way, each sent 3 times: 96 here. Reading on past each
    # failure, 261 were sent (with the default 6 retries and their shared throttle, the
    # review's minutes).
    assert sent <= 150, sent


def test_ctrl_c_beside_the_counts_reaches_the_caller_before_their_scan_ends(
    make_emulator, tmp_path, monkeypatch
):
    """The 49th review: Ctrl-C during the counts beside the spikes took seconds (844
    requests) to act: the report waited for the scan under way. It now raises at once;
    the scan stops as the caller's session closes (the command's does then)."""
    import threading

    import pytest

    from mmframe.reporting import evidence as gathering
    from mmframe.reporting import rating
    from tests.waiting import wait_for

    emulator = make_emulator("demo", latency_ms=20)  # a scan of counts takes a while
    started, real = threading.Event(), rating.rates_of

    def counted(*args, **kwargs):
        if kwargs["by"] != "account":
            started.set()  # the thread beside the spikes is reading
        return real(*args, **kwargs)

    def judged(*_args, **_kwargs):
        assert started.wait(timeout=60)
        raise KeyboardInterrupt

    def beside() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name.startswith("mmframe-rates")]

    monkeypatch.setattr(rating, "rates_of", counted)
    monkeypatch.setattr(gathering.spiking, "judge_all", judged)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        with pytest.raises(KeyboardInterrupt):
            build(session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=False)
        assert beside(), "the report waited for the counts beside to end"
    wait_for(lambda: not beside(), timeout=60)  # the session closed: they stop
