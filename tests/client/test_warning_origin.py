"""Every warning mmframe issues points at the caller's line, not at mmframe's own code."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mmframe as mm
from mmframe.errors import find_stack_level
from tests.hostile import Rewriting, failing

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _read_suppressions(session):
    return mm.read_suppressions("2026-01-01", "2026-02-01", session=session, on_error="warn")


def _iter_suppressions(session):
    return list(mm.iter_suppressions("2026-01-01", "2026-02-01", session=session, on_error="warn"))


def _read_bounces(session):
    return mm.read_bounces("2026-01-01", "2026-02-01", session=session, on_error="warn")


def _counts(session):
    return mm.read_suppression_counts("2026-01-01", "2026-01-03", session=session, on_error="warn")


def _export(session, tmp_path):
    return mm.export_suppressions(
        tmp_path / "out", "2026-01-01", "2026-02-01", session=session, on_error="warn"
    )


def _suppress(session):
    frame = pd.DataFrame({"email": ["a@example.com"]})
    return mm.suppress(frame, session=session, on_error="warn")


def _accessor(session):
    frame = pd.DataFrame({"email": ["a@example.com"]})
    return frame.mm.suppress(session=session, on_error="warn")


@pytest.mark.parametrize(
    ("call", "category"),
    [
        pytest.param(_read_suppressions, mm.PartialLoadWarning, id="read_suppressions"),
        pytest.param(_iter_suppressions, mm.PartialLoadWarning, id="iter_suppressions"),
        pytest.param(_read_bounces, mm.PartialLoadWarning, id="read_bounces"),
        pytest.param(_counts, mm.PartialLoadWarning, id="read_suppression_counts"),
        pytest.param(_export, mm.PartialLoadWarning, id="export_suppressions"),
        pytest.param(_suppress, mm.BatchWriteWarning, id="suppress"),
        pytest.param(_accessor, mm.BatchWriteWarning, id="df.mm.suppress"),
    ],
)
def test_a_warning_points_at_the_callers_line(emulator, tmp_path, call, category):
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as session:
        # Every count and write fails; what a read needs first (the directory) answers.
        session.transport.http.mount("http://", Rewriting(failing("count", "suppressions")))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if call is _export:
                call(session, tmp_path)
            else:
                call(session)
    found = [w for w in caught if issubclass(w.category, category)]
    assert found, [str(w.message) for w in caught]
    assert {w.filename for w in found} == {__file__}, [w.filename for w in found]


def test_the_stack_level_walks_out_of_the_package():
    assert find_stack_level() == 1  # called from here: this frame is the caller's
