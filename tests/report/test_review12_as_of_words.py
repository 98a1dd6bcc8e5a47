"""The twelfth review: cli.md quotes, for an ``--as-of`` not after the range's start, "--as-of
2026-05-01 is not after --start 2026-06-01: nothing had happened yet; ...", but without
``--end`` the line printed was "empty range: --start ... is not before --end, which defaults
to --as-of ...": the documented line is the one printed, with or without ``--end``."""

from __future__ import annotations

import pytest

from tests.conftest import usage_error

SAID = (
    "--as-of 2026-05-01 is not after --start 2026-06-01: nothing had happened yet; give a "
    "later --as-of, or an earlier --start"
)


@pytest.mark.parametrize("end", [[], ["--end", "2026-07-01"]])
def test_an_as_of_before_the_start_is_told_as_cli_md_quotes_it(capsys, monkeypatch, end):
    monkeypatch.setenv("MMFRAME_URL", "http://127.0.0.1:9/rest/json")  # nothing is asked
    argv = ["report", "--start", "2026-06-01", *end, "--as-of", "2026-05-01"]
    line = usage_error(capsys, argv)
    assert line == f"mmframe report: error: {SAID}", line
