"""``mmframe demo --apply`` (adversarial review of issue 33, item 12): the journal the printed
fix names is the one the run wrote, and the fixes are numbered as the page shows them."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
from pathlib import Path

import pytest

from mmframe import demo
from mmframe.writes.journal import endpoint_of
from tests.client.test_progress_share import assert_honest, every_state, states


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo applied with its progress bars drawn: its folder, its page's text and the
    bars' every state (stderr)."""
    out = tmp_path_factory.mktemp("demo-apply")
    bars = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(bars):
        every_state(patch)
        page = demo.run(out, apply=True, progress=True, stream=io.StringIO()).read_text()
    return out, re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))), bars.getvalue()


@pytest.fixture(scope="module")
def applied(drawn: tuple[Path, str, str]) -> tuple[Path, str]:
    return drawn[0], drawn[1]


def test_the_fix_bar_never_steps_back_and_is_full_only_at_its_end(drawn):
    # The 31st review: "fix 1: recipients, activation" went 100 % (3/3) -> 60 % (3/5).
    seen = states(drawn[2])
    assert "fix 1: recipients, activation" in seen, sorted(seen)
    assert_honest(seen)


def test_the_printed_fix_names_the_journal_the_run_wrote(applied):
    out, text = applied
    named = re.findall(r"journal='([^']+)'", text)
    written = sorted(p.name for p in out.glob("*.jsonl"))
    assert named and written == sorted(set(named)), (named, written)
    for name in written:
        assert f"the journal is {name}" in text


def test_fixes_are_numbered_from_one_and_every_reference_has_its_section(applied):
    _out, text = applied
    sections = [int(n) for n in re.findall(r"Fix (\d+) applied and verified", text)]
    assert sections == list(range(1, len(sections) + 1)), sections
    referred = {int(n) for n in re.findall(r"Fix (\d+) below", text)}
    assert referred and referred <= set(sections), (referred, sections)


def test_an_applied_fix_is_told_as_done_not_as_a_dry_run_that_wrote_nothing(applied):
    # Second review: after --apply, "What to do. Reactivate ..." and "Dry run ... Nothing
    # was written." stood beside "Applied by this run".
    _out, text = applied
    assert "Applied by this run" in text
    for part in text.split("Applied by this run")[1:]:
        nearby = part[:3000].split("Fix 1 applied")[0]
        assert "Nothing was written" not in nearby, nearby[:600]
    assert "What was done." in text


def test_an_applied_fix_says_what_was_done_and_what_had_been_advised_truly(applied):
    # Fourth review A10: "The advice it followed: ... get it off the block list ... first",
    # though the run put every row back at once and did none of what was to come first.
    _out, text = applied
    assert "The advice it followed" not in text
    for part in text.split("What was done.")[1:]:
        done, _, advised = part.partition("What the report had advised")
        assert advised, part[:600]
        held = sum(
            int(n.replace(",", ""))
            for n in re.findall(
                r"(?:Of them,|;) ([\d,]+) (?:refused|deferred) for",
                advised.split("Before it was applied")[0],
            )
        )
        assert held, advised[:600]  # the demo's storm: refusals for the sender's sake
        assert f"{held:,} of them before" in done and "advised doing first" in done, done


def test_a_second_run_into_the_same_folder_starts_its_own_journals(applied):
    # Ninth review, F16: the second "mmframe demo --apply --out demo1" failed: "journal ...
    # records writes to another endpoint": each run's emulator is a new one.
    out, _text = applied
    earlier = {p.name: p.read_text().splitlines()[0] for p in out.glob("*.jsonl")}
    log = io.StringIO()
    page = demo.run(out, apply=True, progress=False, stream=log).read_text()
    assert "Applied by this run" in page
    for name, header in earlier.items():
        assert f"replacing {name}: it records an earlier demo run" in log.getvalue()
        now = (out / name).read_text().splitlines()
        assert now[0] != header and len(now) > 1  # its own header, then its batches


def test_a_journal_of_another_endpoint_is_left_alone_and_named(applied, tmp_path):
    out, _text = applied
    name = next(out.glob("*.jsonl")).name
    theirs = tmp_path / name
    endpoint = "https://api.example.com:443/rest/json"
    header = {"mmframe_journal": 3, "operation": "unsuppress", "endpoint": endpoint}
    theirs.write_text(json.dumps(header) + "\n")
    with pytest.raises(
        ValueError, match=r"records writes to https://api.example.com:443/rest/json"
    ):
        demo.run(tmp_path, apply=True, progress=False, stream=io.StringIO())
    assert theirs.read_text() == json.dumps(header) + "\n"


def _journal(folder: Path, name: str, endpoint: str, operation: str) -> str:
    """A journal header (and one batch) in ``folder``, as a write there leaves it."""
    header = {"mmframe_journal": 3, "operation": operation, "endpoint": endpoint}
    text = json.dumps(header) + "\n" + json.dumps({"account": "a@x", "done": []}) + "\n"
    (folder / name).write_text(text)
    return text


@pytest.mark.parametrize("operation", ["unsuppress", "remediate"])
def test_a_journal_of_a_live_loopback_endpoint_is_left_alone_and_named(
    make_emulator, tmp_path, operation
):
    # Tenth review, F17: a rehearsal on a replica at 127.0.0.1 (still running) had its
    # journal replaced, "it records an earlier demo run, whose emulator is gone".
    endpoint = endpoint_of(make_emulator("empty").url)
    theirs = _journal(tmp_path, "fix.jsonl", endpoint, operation)
    log = io.StringIO()
    with pytest.raises(ValueError, match=r"fix\.jsonl") as refused:
        demo._fresh_journal(tmp_path / "fix.jsonl", "http://127.0.0.1:1/rest/json", log)
    assert endpoint in str(refused.value) and "answers" in str(refused.value)
    assert (tmp_path / "fix.jsonl").read_text() == theirs and not log.getvalue()


def test_a_gone_loopback_endpoints_journal_of_another_operation_is_left_alone(nobody_url, tmp_path):
    # A loopback endpoint is no evidence of a demo run: the demo's fixes are "remediate".
    theirs = _journal(tmp_path, "fix.jsonl", endpoint_of(nobody_url), "unsuppress")
    with pytest.raises(ValueError, match=r"fix\.jsonl.*'unsuppress'"):
        demo._fresh_journal(tmp_path / "fix.jsonl", "http://127.0.0.1:1/rest/json", io.StringIO())
    assert (tmp_path / "fix.jsonl").read_text() == theirs


def test_a_gone_demo_emulators_journal_is_replaced_and_said(nobody_url, tmp_path):
    _journal(tmp_path, "fix.jsonl", endpoint_of(nobody_url), "remediate")
    log = io.StringIO()
    demo._fresh_journal(tmp_path / "fix.jsonl", "http://127.0.0.1:1/rest/json", log)
    assert not (tmp_path / "fix.jsonl").exists()
    assert "replacing fix.jsonl: it records an earlier demo run" in log.getvalue()


def test_a_journal_of_this_runs_own_endpoint_is_an_earlier_runs(make_emulator, tmp_path):
    # The new emulator may be given the port an earlier run's had: its endpoint answers,
    # but it is this run's, so the earlier one is gone.
    live = make_emulator("empty")
    _journal(tmp_path, "fix.jsonl", endpoint_of(live.url), "remediate")
    demo._fresh_journal(tmp_path / "fix.jsonl", live.url, io.StringIO())
    assert not (tmp_path / "fix.jsonl").exists()


def test_the_demo_refuses_a_live_endpoints_journal_in_one_line(
    applied, make_emulator, tmp_path, capsys
):
    from mmframe import cli

    out, _text = applied
    name = next(out.glob("*.jsonl")).name
    theirs = _journal(tmp_path, name, endpoint_of(make_emulator("empty").url), "unsuppress")
    assert cli.main(["demo", "--apply", "--no-progress", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    # The reviewer's case: another emulator still serving there, its "unsuppress" journal.
    assert name in err and "replacing" not in err and len(err.splitlines()) == 1, err
    assert (tmp_path / name).read_text() == theirs


def test_the_journals_checked_first_are_those_a_run_writes(applied):
    out, _text = applied
    assert sorted(path.name for path in out.glob("*.jsonl")) == sorted(demo.JOURNALS)


@pytest.mark.parametrize("where", ["live", "remote"])
def test_someones_journal_is_refused_before_the_emulator_starts(
    make_emulator, tmp_path, monkeypatch, where
):
    # Eleventh review, A5: the demo refused a live endpoint's journal only after seeding its
    # emulator and reading the report (15 s of work).
    name = "fix-news@example.com-2026-06-09.jsonl"  # the demo's fix, on its fixed seed
    url = make_emulator("empty").url if where == "live" else "https://mm.example.com/rest/json"
    theirs = _journal(tmp_path, name, endpoint_of(url), "unsuppress")

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the demo's emulator was started")

    monkeypatch.setattr(demo, "child_emulator", started)
    with pytest.raises(ValueError, match=re.escape(name)):
        demo.run(tmp_path, apply=True, progress=False, stream=io.StringIO())
    assert (tmp_path / name).read_text() == theirs


def test_a_gone_demo_runs_journal_is_no_reason_to_stop_before_the_run(
    nobody_url, tmp_path, monkeypatch
):
    name = "fix-news@example.com-2026-06-09.jsonl"
    _journal(tmp_path, name, endpoint_of(nobody_url), "remediate")

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the demo's emulator was started")

    monkeypatch.setattr(demo, "child_emulator", started)
    with pytest.raises(AssertionError, match="started"):
        demo.run(tmp_path, apply=True, progress=False, stream=io.StringIO())
    assert (tmp_path / name).exists()  # replaced by the run's fix, not before it
