"""Values the command line took silently or told wrongly (ninth review, F17 and F21):
``all`` beside usernames, an empty username, an empty ``--out``, a ``--cache`` folder
that cannot be made."""

from __future__ import annotations

import pytest

from mmframe import cli
from tests.conftest import usage_error


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    monkeypatch.setenv("MMFRAME_PROGRESS", "0")
    emulator.reset_stats()
    return emulator


def _one_error_line(capsys, argv) -> str:
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("error: ") and err.count("\n") == 1, err
    return err


RANGE = ["--start", "2026-01-01", "--end", "2026-01-02"]


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize("given", ["all,retail@acme.io", "retail@acme.io, ALL"])
def test_all_beside_usernames_is_told_to_stand_alone(capsys, tmp_path, command, given):
    # "--accounts all,retail@acme.io" said "unknown account 'all'".
    words = ["export", "suppressions"] if command == "export" else ["report"]
    line = usage_error(capsys, [*words, *RANGE, "--accounts", given, "--out", str(tmp_path)])
    assert f"argument --accounts: {given!r}" in line and "all stands alone" in line, line
    assert "unknown account" not in line, line


@pytest.mark.parametrize(
    "given", ["retail@acme.io,", ",retail@acme.io", "a@x.io,,b@x.io", "a@x.io, "]
)
def test_an_empty_username_is_refused_with_a_hint(capsys, tmp_path, given):
    # "--accounts 'retail@acme.io,'" was taken silently.
    line = usage_error(capsys, ["report", *RANGE, "--accounts", given, "--out", str(tmp_path)])
    assert f"argument --accounts: {given!r}" in line, line
    assert "empty" in line and "comma" in line, line


@pytest.mark.parametrize("command", ["report", "export", "demo"])
def test_an_empty_out_is_refused_like_an_empty_url(capsys, env, tmp_path, monkeypatch, command):
    # "--out ''" wrote ./report.html into the current folder.
    monkeypatch.chdir(tmp_path)
    words = {"export": ["export", "suppressions", *RANGE], "report": ["report", *RANGE]}
    err = _one_error_line(capsys, [*words.get(command, ["demo"]), "--out", " "])
    assert err.startswith("error: --out is empty (an unset shell variable?): give it a folder")
    assert list(tmp_path.iterdir()) == [] and env.stats()["totals"]["requests"] == 0


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_cache_folder_that_cannot_be_made_is_refused(capsys, env, tmp_path, command):
    # "--cache /proc/nope" ran and exited 0, with no word that nothing was cached.
    words = ["export", "suppressions"] if command == "export" else ["report"]
    argv = [*words, *RANGE, "--out", str(tmp_path / "r"), "--cache", "/proc/nope/x"]
    err = _one_error_line(capsys, argv)
    assert err.startswith("error: --cache /proc/nope/x: cannot make or write it ("), err
    assert "give --cache a folder that can be made and written" in err, err
    assert env.stats()["totals"]["requests"] == 0 and not (tmp_path / "r").exists()


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize("given", ["", " "])
def test_an_empty_cache_is_a_usage_error_like_an_empty_path(
    capsys, env, tmp_path, monkeypatch, command, given
):
    # `--cache "$UNSET"` was taken as the current folder, refused as "Permission denied".
    monkeypatch.chdir(tmp_path)
    words = ["export", "suppressions"] if command == "export" else ["report"]
    line = usage_error(capsys, [*words, *RANGE, "--out", str(tmp_path / "r"), "--cache", given])
    assert line.endswith(
        "argument --cache: give a folder (or --cache alone for the per-user one)"
    ), line
    assert list(tmp_path.iterdir()) == [] and env.stats()["totals"]["requests"] == 0


#: Each command's words, and the options it takes one value of (tenth review, F9).
_ONCE = {
    "report": (["report"], ["--accounts", "--start", "--end", "--out", "--as-of", "--cache"]),
    "export": (
        ["export", "suppressions"],
        [
            *("--accounts", "--start", "--end", "--out", "--as-of", "--cache", "--freq"),
            *("--url", "--max-requests", "--on-error"),
        ],
    ),
    "demo": (["demo"], ["--out"]),
    "cache clear": (["cache", "clear"], ["--account", "--path"]),
}
#: Two values each option takes (the first given, then the second).
_TWO = {
    "--accounts": ("news@acme.io", "shop@acme.io"),
    "--start": ("2026-01-01", "2026-01-02"),
    "--end": ("2026-02-01", "2026-02-02"),
    "--as-of": ("2026-02-01", "2026-02-02"),
    "--freq": ("MS", "D"),
    "--account": ("news@acme.io", "shop@acme.io"),
    "--url": ("http://127.0.0.1:1/rest/json", "http://127.0.0.1:2/rest/json"),
    "--max-requests": ("10", "20"),
    "--on-error": ("raise", "warn"),
}


@pytest.mark.parametrize(
    ("command", "option"),
    [(command, option) for command, (_w, options) in _ONCE.items() for option in options],
)
def test_an_option_given_twice_is_a_usage_error(
    capsys, env, tmp_path, monkeypatch, command, option
):
    # "--accounts news@acme.io --accounts shop@acme.io" reported on shop@acme.io alone,
    # without a word: argparse keeps an option's last value.
    monkeypatch.setenv("MMFRAME_CACHE", str(tmp_path / "cache"))  # never the user's own
    monkeypatch.chdir(tmp_path)  # nor the default --out in the current folder
    words, _options = _ONCE[command]
    first, second = _TWO.get(option, (str(tmp_path / "a"), str(tmp_path / "b")))
    line = usage_error(capsys, [*words, option, first, option, second])
    assert f"argument {option}: given twice: give {option} once" in line, line
    assert env.stats()["totals"]["requests"] == 0 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize("spelt", ["--accounts", "--acc", "--accounts="])
def test_accounts_given_twice_says_how_to_give_several(
    capsys, env, tmp_path, monkeypatch, command, spelt
):
    monkeypatch.chdir(tmp_path)
    words = ["export", "suppressions"] if command == "export" else ["report"]
    given = [f"{spelt}news@acme.io"] if spelt.endswith("=") else [spelt, "news@acme.io"]
    argv = [*words, *RANGE, *given, "--out", str(tmp_path / "r"), "--accounts", "shop@acme.io"]
    line = usage_error(capsys, argv)
    assert line.endswith(
        "argument --accounts: given twice: give --accounts once, usernames separated by "
        "commas (such as --accounts news@acme.io,shop@acme.io)"
    ), line
    assert env.stats()["totals"]["requests"] == 0 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_key_given_twice_is_refused_without_showing_it(
    capsys, env, tmp_path, monkeypatch, command
):
    monkeypatch.chdir(tmp_path)
    words = ["export", "suppressions"] if command == "export" else ["report"]
    keys = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"]
    argv = [*words, *RANGE, "--apikey", keys[0], "--apikey", keys[1], "--out", str(tmp_path)]
    from mmframe import cli as _cli

    with pytest.raises(SystemExit) as exited:
        _cli.main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.strip().splitlines()[-1].endswith(
        "argument --apikey: given twice: give --apikey once"
    ), err
    assert not any(key[:8] in err for key in keys), err
