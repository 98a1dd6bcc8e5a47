"""``mmframe demo --apply`` (adversarial review of issue 33, item 12): the journal the printed
fix names is the one the run wrote, and the fixes are numbered as the page shows them."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from mmframe import demo


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo-apply")
    page = demo.run(out, apply=True, progress=False, stream=io.StringIO()).read_text()
    return out, re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


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
