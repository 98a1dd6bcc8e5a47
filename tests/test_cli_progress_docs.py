"""docs/cli.md tells the report's progress bars as they are (adversarial review of issue 33,
item 12): every bar a report draws is listed, and no bar is said to know its total from
the start when it begins at a guess and grows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from mmframe import progress
from mmframe.reporting import build

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"


def _progress_section() -> str:
    text = DOCS.read_text()
    section = text[text.index("### Progress") :].split("\n#", 1)[0]
    return re.sub(r"\s+", " ", section)  # a bar's name may break across lines


def test_every_bar_a_report_draws_is_in_the_docs(demo_session, monkeypatch, tmp_path):
    drawn: list[dict[str, Any]] = []

    class Recorder:
        """A tqdm stand-in that remembers each bar's name, first total and last total."""

        def __init__(self, total: float | None = None, desc: str = "", **_: Any) -> None:
            self.total, self.n = total, 0
            self.seen = {"desc": desc, "first": total}
            drawn.append(self.seen)

        def update(self, n: float = 1) -> None:
            self.n += n

        def refresh(self) -> None:
            self.seen["last"] = self.total

        def close(self) -> None:
            self.seen["last"] = self.total

    monkeypatch.setattr(progress, "_tqdm", lambda: Recorder)
    build(
        demo_session, tmp_path / "r", "2026-06-01", "2026-06-15",
        as_of=pd.Timestamp("2026-10-31", tz="UTC"), progress=True, stream=None,
    )  # fmt: skip
    section = _progress_section()
    listed = set(re.findall(r"`([^`]+)`", section))
    missing = sorted({bar["desc"] for bar in drawn} - listed)
    assert drawn and not missing, (missing, section)
    grew = [bar for bar in drawn if bar.get("last") not in (None, bar["first"])]
    if grew:  # some bars start at a guess: the docs may not say each knows its total
        assert "knowing its total" not in section
        assert "grow" in section


def test_the_progress_section_says_each_thing_once():
    # Issue 33b, item 19: "--no-progress (or MMFRAME_PROGRESS=0, ...) draws none" and the
    # percentage that "can step back" were each said twice.
    sentences = [s.strip() for s in re.split(r"(?<=[.:])\s", _progress_section()) if s.strip()]
    twice = sorted({s for s in sentences if sentences.count(s) > 1})
    assert not twice, twice
    assert _progress_section().count("no terminal) draws none") == 1
    assert _progress_section().count("never steps back") == 1
