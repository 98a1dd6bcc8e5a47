"""What the command line says (adversarial review of issue 33, item 12): one line a failure,
naming the command's options rather than Python's names, with its plurals right."""

from __future__ import annotations

import socket

import pandas as pd
import pytest

from mmframe import cli
from tests.conftest import usage_error


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    monkeypatch.setenv("MMFRAME_PROGRESS", "0")
    return emulator


def _one_error_line(capsys, argv, code=1) -> str:
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == code, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


def test_a_taken_port_is_named_with_the_way_out(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = _one_error_line(capsys, ["emulator", "--seed", "empty", "--port", str(port)], 2)
    assert f"port {port}" in err and "--port 0" in err, err


def test_a_taken_port_is_named_before_seeding(capsys, monkeypatch):
    # Eighth review, 14: "seeding the demo dataset ..." took its seconds, then the port
    # was found taken.
    import mmframe.emulator.__main__ as emulator_main

    def seeding(*args, **kwargs):
        raise AssertionError("seeded though the port is taken")

    monkeypatch.setattr(emulator_main, "emulator_from_args", seeding)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = _one_error_line(capsys, ["emulator", "--port", str(port)], 2)  # the demo seed
    assert f"port {port}" in err and "seeding" not in err, err


def test_a_remote_host_names_the_option_not_the_argument(capsys):
    err = _one_error_line(capsys, ["emulator", "--seed", "empty", "--host", "192.0.2.1"], 2)
    assert "--allow-remote" in err and "allow_remote" not in err, err


def test_an_unknown_account_is_the_only_line(capsys, env, tmp_path):
    argv = ["report", "--accounts", "nobody@x.com", "--start", "2026-01-01"]
    _one_error_line(capsys, [*argv, "--end", "2026-01-02", "--out", str(tmp_path / "r")])


def test_a_key_in_the_url_names_the_option(capsys, env, tmp_path):
    url = f"{env.url}?apikey=0123456789abcdef"
    argv = ["report", "--url", url, "--start", "2026-01-01", "--end", "2026-01-02"]
    err = _one_error_line(capsys, [*argv, "--out", str(tmp_path / "r")])
    assert "--apikey" in err and "apikey=" not in err.replace("?apikey=", ""), err


def test_as_of_before_the_range_names_the_options(capsys, env, tmp_path):
    argv = ["report", "--as-of", "2026-01-01", "--start", "2026-02-01", "--end", "2026-03-01"]
    err = usage_error(capsys, [*argv, "--out", str(tmp_path / "r")])
    assert "--as-of" in err and "--start" in err and "as_of" not in err, err


@pytest.mark.parametrize("option", ["--start", "--end", "--as-of"])  # --as-of: issue 33b, 14
def test_a_date_that_is_no_date_is_a_usage_error(capsys, option):
    bounds = {"--start": "2026-01-01", "--end": "2026-02-01"} | {option: "2026-13-01"}
    argv = ["report", *(word for pair in bounds.items() for word in pair)]
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and option in err and "2026-13-01" in err, err


def test_one_partition_is_singular(capsys, env, tmp_path):
    argv = ["export", "suppressions", "--start", "2026-01-01", "--end", "2026-01-02"]
    assert cli.main([*argv, "--out", str(tmp_path / "x")]) == 0
    assert "wrote 0 rows in 1 partition to" in capsys.readouterr().out


def test_one_replayed_row_is_singular():
    from mmframe.emulator.__main__ import replayed

    assert replayed("h", {"suppressions": 1, "sent": 2}) == "replayed h: 1 suppression, 2 sent"
    assert replayed("h", {"complaints": 1}) == "replayed h: 1 complaint"


def test_as_of_before_the_default_start_names_the_options(capsys, env, tmp_path):
    argv = ["report", "--as-of", "2025-01-01", "--end", "2026-03-01"]
    err = usage_error(capsys, [*argv, "--out", str(tmp_path / "r")])
    assert "--as-of" in err and "--end" in err and "as_of" not in err, err


def test_export_as_of_before_the_range_is_refused(capsys, env, tmp_path):
    argv = ["export", "suppressions", "--as-of", "2026-01-01", "--start", "2026-02-01"]
    out = tmp_path / "x"
    err = usage_error(capsys, [*argv, "--end", "2026-03-01", "--out", str(out)])
    assert "--as-of" in err and "--start" in err and "as_of" not in err, err
    assert not out.exists()


@pytest.mark.parametrize("named", [False, True], ids=["unnamed", "named"])
def test_a_sub_account_report_names_no_key_material(capsys, env, monkeypatch, tmp_path, named):
    # Issue 33b, item 10: a sub-account key's report named its account "key:<sha256 of the
    # key>" everywhere. The API tells no key its username: the report says "this key's
    # account", or the username given with --accounts.
    import hashlib
    import html
    import re

    from tests.report.scenarios import ACCOUNT, END, START, history

    key = env.replay(**history("storm")).created[ACCOUNT]
    monkeypatch.setenv("MMFRAME_APIKEY", key)
    argv = ["report", "--start", START, "--end", END, "--as-of", END]
    argv += ["--out", str(tmp_path / "r")] + (["--accounts", ACCOUNT.upper()] if named else [])
    assert cli.main(argv) == 0, capsys.readouterr().err
    page = html.unescape((tmp_path / "r" / "report.html").read_text())
    text = re.sub(r"<[^>]+>", " ", page)
    digest = hashlib.sha256(key.encode()).hexdigest()
    assert "key:" not in text and digest[:8] not in page and key not in page
    name = ACCOUNT if named else "this key's account"
    assert f"accounts: {name}." in re.sub(r"\s+", " ", text), text[:600]
    # Tenth review, F7: the name is the user's, never checked (the API tells no key its
    # username), and the page says so.
    assert ("name given" in text) is named and ("cannot check" in text) is named, text[:900]


def test_any_name_given_to_a_sub_account_key_is_said_unverified(capsys, env, monkeypatch, tmp_path):
    # Tenth review, F7: with news@'s key, "--accounts shop@acme.io" wrote a page on
    # shop@acme.io of news@'s mail (its headline, findings and fix), without a word that
    # the name was only the one typed. The key's approved senders, what the key's data
    # shows of the account, are named beside it (eleventh review, A4: not compared with it).
    import html
    import re

    from tests.report.scenarios import ACCOUNT, DEALS, END, NEWS, START, history

    frames = history("storm")
    frames["senders"] = pd.DataFrame({"account": [ACCOUNT] * 2, "email": [NEWS, DEALS]})
    monkeypatch.setenv("MMFRAME_APIKEY", env.replay(**frames).created[ACCOUNT])
    argv = ["report", "--start", START, "--end", END, "--as-of", END]
    assert cli.main([*argv, "--accounts", "shop@acme.io", "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    page = html.unescape((tmp_path / "r" / "report.html").read_text())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert (
        "shop@acme.io is the name given to this key's account (by --accounts, accounts= or "
        "username=), which this key cannot check: the API tells a sub-account key no "
        "username, and nothing it reads names its account. What its data shows of the "
        f"account: its 2 approved senders, {NEWS} and {DEALS} (senders are not usernames)."
    ) in text, text[:1200]


def test_export_reads_every_account_by_default_as_report_does(capsys, env, tmp_path):
    # Issue 33b, item 12: export without --accounts read the master's account only (0 rows
    # where the sub-accounts held 637) while report read every account.
    from tests.report.scenarios import END, START, history

    env.replay(**history("storm"))
    argv = ["export", "suppressions", "--start", START, "--end", END]
    assert cli.main([*argv, "--out", str(tmp_path / "default")]) == 0
    default = capsys.readouterr().out
    assert cli.main([*argv, "--accounts", "all", "--out", str(tmp_path / "all")]) == 0
    every = capsys.readouterr().out
    assert default.split(" in ")[0] == every.split(" in ")[0] != "wrote 0 rows", default
    helped = cli.build_parser(["export"])._subparsers._group_actions[0].choices["export"]
    assert "default: every account the key sees" in " ".join(helped.format_help().split())


def test_demo_takes_no_progress(monkeypatch, tmp_path):
    # Issue 33b, item 13: docs/cli.md says demo draws bars and --no-progress draws none,
    # but demo refused the option ("unrecognized arguments").
    import mmframe.demo

    given: dict[str, object] = {}
    monkeypatch.setattr(mmframe.demo, "run", lambda out, **options: given.update(options))
    assert cli.main(["demo", "--no-progress", "--out", str(tmp_path / "d")]) == 0
    assert given["progress"] is False
    assert cli.main(["demo", "--out", str(tmp_path / "d")]) == 0
    assert given["progress"] is None  # bars in a terminal, as report draws them


def test_a_frequency_that_is_none_says_so_once_with_examples(capsys, tmp_path):
    # Issue 33b, item 15: pandas' own message, quoted twice over with Python reprs.
    argv = ["export", "suppressions", "--start", "2026-01-01", "--end", "2026-02-01"]
    line = usage_error(capsys, [*argv, "--out", str(tmp_path / "x"), "--freq", "XYZ"])
    assert "--freq" in line and "not a pandas frequency" in line, line
    assert line.count("XYZ") == 1 and "Error" not in line and "(" in line, line
    assert all(f" {example} " in line for example in ("MS", "W", "D")), line


@pytest.mark.parametrize("command", ["report", "export"])
def test_an_out_folder_that_cannot_be_made_names_the_option(capsys, env, command):
    # Issue 33b, item 16: "error: [Errno 2] No such file or directory: '/proc/nope'".
    words = ["export", "suppressions"] if command == "export" else ["report"]
    argv = [*words, "--start", "2026-01-01", "--end", "2026-01-02", "--out", "/proc/nope/x"]
    err = _one_error_line(capsys, argv)
    assert "--out /proc/nope/x" in err and "Errno" not in err and "cannot" in err, err
    assert "give --out a folder" in err, err


def _help_of(command: str, option: str) -> str:
    """The help text of one option of a sub-command, on one line."""
    parser = cli.build_parser([command])._subparsers._group_actions[0].choices[command]
    action = next(a for a in parser._actions if option in a.option_strings)
    return " ".join(str(action.help).split())


def test_the_default_end_is_what_the_run_reads(capsys, env, tmp_path):
    # Issue 33b, item 18: --help said the default end is "end of today, UTC"; the run read
    # up to now ("reading 2026-09-07 to 2026-12-05 03:50 UTC").
    argv = ["report", "--as-of", "2026-06-10T12:30", "--out", str(tmp_path / "r")]
    assert cli.main(argv) == 0
    assert "to 2026-06-10 12:30" in capsys.readouterr().err
    said = _help_of("report", "--end")
    assert "end of today" not in said and "now" in said and "--as-of" in said, said


def test_as_of_says_what_it_does():
    # Issue 33b, taste: "'now' for partial periods" left the reader guessing.
    said = _help_of("report", "--as-of")
    assert "partial periods" not in said and "as if" in said, said


@pytest.mark.parametrize("option", ["--start", "--as-of"])
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01"])
def test_a_date_that_is_no_date_is_told_in_one_line_with_an_example(capsys, option, value):
    # Fourth review B13: pandas' words ("Unknown datetime string format, unable to parse",
    # "month must be in 1..12") and no example of a date that would do.
    line = usage_error(capsys, ["report", option, value])
    assert option in line and line.count(value) == 1, line
    assert "such as 2026-" in line and "unable to parse" not in line, line
    assert "must be in" not in line, line


def test_a_start_after_the_default_end_names_the_options_and_the_end_now(capsys, monkeypatch):
    # Fourth review B13: "empty range: start 2027-01-01 is not before end 2026-12-06", the
    # end of today though the end defaults to (and is at most) now.
    monkeypatch.setattr("mmframe.dates._clock", lambda: pd.Timestamp("2026-12-05T07:05:09Z"))
    line = usage_error(capsys, ["report", "--start", "2027-01-01"])
    assert "--start 2027-01-01 is not before --end" in line, line
    assert "defaults to now" in line and "2026-12-05 07:05" in line, line
    assert "2026-12-06" not in line, line


@pytest.mark.parametrize("command", [["report"], ["export", "suppressions", "--out", "x"]])
def test_an_inverted_range_is_a_usage_error_with_a_hint(capsys, monkeypatch, command):
    # Eleventh review, A5: "--start 2026-12-01 --end 2026-11-01" exited 1 ("error: empty
    # range ..."), where a date that is no date exits 2 with the usage.
    monkeypatch.setenv("MMFRAME_URL", "http://127.0.0.1:9/rest/json")  # nothing is asked
    argv = [*command, "--start", "2026-12-01", "--end", "2026-11-01"]
    line = usage_error(capsys, argv)
    name = command[0]
    assert line.startswith(f"mmframe {name}: error: empty range: --start 2026-12-01 is not "), line
    assert "before --end 2026-11-01: give a --start before --end (are the two swapped?)" in line
    line = usage_error(capsys, ["report", "--start", "2026-12-01", "--as-of", "2026-11-01"])
    # Twelfth review: the --as-of's own line, as cli.md quotes it, with or without --end.
    assert "--as-of 2026-11-01 is not after --start 2026-12-01" in line, line
    assert line.endswith("or an earlier --start"), line


def test_demo_out_that_cannot_be_made_suggests_the_demos_folder(capsys):
    # Fourth review B13: the demo suggested ./mmframe-report, the report's folder.
    err = _one_error_line(capsys, ["demo", "--out", "/proc/nope/x"])
    assert "./mmframe-demo" in err and "mmframe-report" not in err, err


@pytest.mark.parametrize("command", ["report", "demo", "export"])
def test_every_default_that_is_a_value_is_in_the_help(command):
    # Fourth review B13: report --help did not give --out's default (mmframe-report).
    parser = cli.build_parser([command])._subparsers._group_actions[0].choices[command]
    for action in parser._actions:
        if isinstance(action.default, str) and action.default != "==SUPPRESS==":
            assert action.default in " ".join(action.help.split()), action.option_strings


@pytest.mark.parametrize("command", ["report", "demo", "emulator"])
def test_every_option_says_what_it_does(command):
    # Fourth review B14: --fault-mode had no description on the CLI page or in --help.
    parser = cli.build_parser([command])._subparsers._group_actions[0].choices[command]
    for action in parser._actions:
        if action.option_strings:
            assert action.help and action.help.strip(), action.option_strings


@pytest.mark.parametrize("command", ["report", "export"])
def test_an_as_of_after_now_is_a_usage_error_naming_now(capsys, monkeypatch, tmp_path, command):
    # Fifth review D6: --as-of 2027-01-01 on 2026-12-05 was taken, and the page said "data
    # as of 2027-01-01" with December, 5 days in, not marked partial.
    monkeypatch.setattr("mmframe.dates._clock", lambda: pd.Timestamp("2026-12-05T07:05:09Z"))
    bounds = ["--start", "2026-11-01", "--end", "2026-12-01"]
    words = ["export", "suppressions", *bounds] if command == "export" else []
    out = tmp_path / "x"
    line = usage_error(capsys, [*(words or ["report"]), "--as-of", "2027-01-01", "--out", str(out)])
    assert "--as-of" in line and line.count("2027-01-01") == 1, line
    assert "after now (2026-12-05 07:05 UTC)" in line, line
    assert not out.exists()


def test_an_as_of_up_to_now_is_taken(monkeypatch):
    # Now itself has happened: only a later moment is refused.
    monkeypatch.setattr("mmframe.dates._clock", lambda: pd.Timestamp("2026-12-05T07:05:09Z"))
    parser = cli.build_parser(["report"])
    args = parser.parse_args(["report", "--as-of", "2026-12-05T07:05:09"])
    assert args.as_of == "2026-12-05T07:05:09"
    args = parser.parse_args(["report", "--as-of", "2026-12-05T08:05:09+01:00"])
    assert args.as_of == "2026-12-05T08:05:09+01:00"
