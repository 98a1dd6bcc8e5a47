"""What the command line suggests when it cannot use a URL or a key (eighth review, 7 and
14): the URL to try, never a path doubled, and nothing silently taken instead."""

from __future__ import annotations

import pytest

from mmframe import cli
from mmframe.cli_connect import api_url


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    return emulator


def _one_error_line(capsys, argv) -> str:
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("error: ") and err.count("\n") == 1, err
    return err


RANGE = ["--start", "2026-01-01", "--end", "2026-01-02"]


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("http://h:1/rest", "http://h:1/rest/json"),
        ("http://h:1/rest/", "http://h:1/rest/json"),
        ("http://h:1/", "http://h:1/rest/json"),
        ("http://h:1", "http://h:1/rest/json"),
        ("http://h:1/mm", "http://h:1/mm/rest/json"),
        ("https://h/mm/rest/", "https://h/mm/rest/json"),
        ("http://h:1/rest/json/accounts", "http://h:1/rest/json"),
        ("http://h:1/rest/json/", None),
        ("http://h:1/rest/json", None),
    ],
)
def test_the_url_to_try_never_doubles_a_path(given, suggested):
    # "--url http://h:1/rest" suggested "http://h:1/rest/rest/json".
    assert api_url(given) == suggested


@pytest.mark.parametrize("path", ["/rest", "/rest/"])
def test_a_url_ending_in_rest_is_told_to_end_in_rest_json(capsys, env, tmp_path, path):
    base = env.url.removesuffix("/rest/json")
    argv = ["report", "--url", base + path, *RANGE, "--out", str(tmp_path / "r")]
    err = _one_error_line(capsys, argv)
    assert f"try --url {base}/rest/json\n" in err and "/rest/rest" not in err, err
