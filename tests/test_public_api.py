"""The public surface: a sorted, pinned __all__, documented callables, and the CLI."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import mmframe
import mmframe.emulator

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_all_is_sorted_and_pinned():
    assert list(mmframe.__all__) == sorted(mmframe.__all__)
    assert set(mmframe.__all__) == {
        "APIError",
        "BatchWriteError",
        "ConfirmationRequired",
        "InvalidAPIKey",
        "InvalidArguments",
        "InvalidRowsError",
        "MMError",
        "PartialLoadError",
        "PartialLoadWarning",
        "Session",
        "TransportError",
        "__version__",
        "activate",
        "connect",
        "count_suppressions",
        "create_senders",
        "delete",
        "export_suppressions",
        "iter_suppressions",
        "read_accounts",
        "read_recipients",
        "read_senders",
        "read_suppression_counts",
        "read_suppressions",
        "read_xheaders",
        "rotate_apikey",
        "set_dkim",
        "set_seeding",
        "set_xheaders",
        "summary",
        "suppress",
        "upsert_accounts",
    }


def test_every_public_callable_is_documented_in_code_and_readme():
    for module in (mmframe, mmframe.emulator):
        for name in module.__all__:
            value = getattr(module, name)
            if callable(value):
                assert inspect.getdoc(value), f"{module.__name__}.{name} has no docstring"
                if inspect.isfunction(value) or inspect.isclass(value):
                    assert name in README, f"{name} is not in the README"


def test_demo_finds_the_storm(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mmframe.cli", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "summary.txt").read_text()
    assert "incident: news@example.com on 2026-06-09" in summary
    assert "yahoo.com" in summary
    for name in ("accounts", "senders", "counts", "storm_rows"):
        assert (tmp_path / f"{name}.parquet").exists()
