"""An empty ``--out`` is refused as the empty ``--url`` and ``--apikey`` are (issue 33, ninth
review, F21): ``report --out ""`` wrote report.html into the current folder, silently."""

from __future__ import annotations

import pytest

from mmframe import cli


@pytest.mark.parametrize(
    "argv",
    [["report", "--out", ""], ["demo", "--out", "  "], ["export", "suppressions", "--start",
     "2026-01-01", "--end", "2026-02-01", "--out", ""]],
)  # fmt: skip
def test_an_empty_out_is_a_usage_error(capsys, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert "argument --out: it is empty (an unset shell variable?)" in err, err
    assert not list(tmp_path.iterdir())
