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


@pytest.mark.parametrize("from_env", [False, True], ids=["option", "environment"])
def test_a_url_without_its_scheme_is_shown_with_it(capsys, env, monkeypatch, tmp_path, from_env):
    # "--url 127.0.0.1:18082/rest/json" was "not shown, in case it is a key": a host, a
    # port and a path are no key.
    bare = env.url.removeprefix("http://")
    if from_env:
        monkeypatch.setenv("MMFRAME_URL", bare)
    url = [] if from_env else ["--url", bare]
    err = _one_error_line(capsys, ["report", *url, *RANGE, "--out", str(tmp_path / "r")])
    given = "MMFRAME_URL=" if from_env else "--url "
    assert f"try {given}http://{bare}" in err and "in case it is a key" not in err, err
    assert env.stats()["totals"]["requests"] == 0


def test_a_value_that_may_be_a_key_is_still_not_shown(capsys, env, tmp_path):
    key = "0123456789abcdef0123456789abcdef"
    err = _one_error_line(capsys, ["report", "--url", key, *RANGE, "--out", str(tmp_path / "r")])
    assert key not in err and "not shown" in err, err


def test_the_library_shows_a_url_without_its_scheme_with_it():
    import mmframe as mm

    with pytest.raises(ValueError, match=r"try 'http://127\.0\.0\.1:8025/rest/json'"):
        mm.Session("127.0.0.1:8025/rest/json", "k" * 32)


def test_https_to_a_plain_http_server_asks_whether_it_is_http(capsys, env, monkeypatch, tmp_path):
    # "cannot reach 127.0.0.1:18082 (the connection broke before the answer)".
    import logging

    # The emulator, in this process, logs the TLS hello it cannot read: not the command's.
    monkeypatch.setattr(logging.getLogger("uvicorn.error"), "disabled", True)
    url = env.url.replace("http://", "https://")
    err = _one_error_line(capsys, ["report", "--url", url, *RANGE, "--out", str(tmp_path / "r")])
    assert "is it http://?" in err and f"try --url {env.url}\n" in err, err


@pytest.mark.parametrize("option", ["--apikey", "--url"])
def test_an_empty_option_is_an_error_not_the_environments_value(capsys, env, tmp_path, option):
    # "--apikey ''" (an unset shell variable) silently used MMFRAME_APIKEY instead.
    argv = ["report", option, "", *RANGE, "--out", str(tmp_path / "r")]
    err = _one_error_line(capsys, argv)
    assert f"{option} is empty" in err, err
    assert env.stats()["totals"]["requests"] == 0 and not (tmp_path / "r").exists()
