"""mmframe.dask on a LocalCluster of separate worker processes."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm

pytestmark = [pytest.mark.slow, pytest.mark.clock]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        yield client


def test_dask_frame_matches_pandas_and_counts(cluster, demo_emulator):
    import mmframe.dask as mdd

    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        lazy = mdd.read_suppressions("2025-11-01", "2026-05-01", accounts="all", session=session)
        counts = mm.read_suppression_counts(
            "2025-11-01", "2026-05-01", freq="MS", accounts="all", session=session
        )
        eager = mm.read_suppressions("2025-11-01", "2026-05-01", accounts="all", session=session)
    assert lazy.npartitions == 5 * 6
    assert dict(lazy.dtypes) == dict(eager.dtypes)
    lazy = lazy.assign(month=lazy["suppressed_at"].dt.strftime("%Y-%m"))
    per_month = (
        lazy.groupby(["account", "month"], observed=True).size().compute(scheduler=cluster.get)
    )
    expected = {
        (str(row.account), row.start.strftime("%Y-%m")): int(row.count)
        for row in counts.reset_index().itertuples()
    }
    got = {(str(account), month): int(n) for (account, month), n in per_month.items()}
    assert got == {key: n for key, n in expected.items() if n}


def test_graph_reprs_hide_the_key(demo_emulator):
    import mmframe.dask as mdd

    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        lazy = mdd.read_suppressions("2026-01-01", "2026-02-01", session=session)
    assert demo_emulator.master_apikey not in repr(lazy) + str(lazy.dask)


def test_dask_reads_reports_like_pandas(cluster, demo_emulator):
    import mmframe.dask as mdd

    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        lazy = mdd.read_events(
            "bounces", "2026-05-01", "2026-07-01", accounts="all", domain="yahoo.com",
            session=session,
        )  # fmt: skip
        eager = mm.read_bounces(
            "2026-05-01", "2026-07-01", accounts="all", domain="yahoo.com", session=session
        )
    assert lazy.npartitions == 5 * 2
    assert dict(lazy.dtypes) == dict(eager.dtypes)
    assert "x_campaign" in lazy.columns
    got = lazy.compute(scheduler=cluster.get)
    key = ["account", "bounced_at", "email"]
    ordered = got.sort_values(key).reset_index(drop=True)
    expected = eager.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ordered, expected, check_categorical=False)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        pytest.param("on_error", "warn", id="on_error"),
        pytest.param("on_error", "raise", id="on_error-default"),
        pytest.param("progress", True, id="progress"),
    ],
)
@pytest.mark.parametrize("reader", ["read_suppressions", "read_events"])
def test_dask_readers_refuse_what_they_cannot_honour(demo_emulator, reader, option, value):
    import inspect

    import mmframe.dask as mdd

    function = getattr(mdd, reader)
    args = ("bounces",) if reader == "read_events" else ()
    assert option not in inspect.signature(function).parameters
    with (
        mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session,
        pytest.raises(TypeError, match=f"does not take {option}.*") as caught,
    ):
        function(*args, "2026-01-01", "2026-02-01", session=session, **{option: value})
    assert "compute" in str(caught.value)  # says what to do instead
