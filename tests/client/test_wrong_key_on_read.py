"""A wrong key on a read says the key was refused (seventeenth review, W-17d): it raised
``PartialLoadError("1 of 1 chunks incomplete: account (from the first row, ...): failed:
GET suppressions/count -> 451 ...")``, a story of chunks and accounts for a key the server
never took. Every read of a key refused on every chunk raises :class:`mmframe.InvalidAPIKey`
instead, ``on_error="warn"`` too (there is nothing partial to keep), saying how to set
the key and never showing it."""

from __future__ import annotations

import pytest

import mmframe as mm

WRONG = "Zz9-not-a-key-of-this-server-0000"
READS = {
    "suppressions": lambda **o: mm.read_suppressions(None, None, **o),
    "suppressions by day": lambda **o: mm.read_suppressions("2026-06-01", "2026-06-20", **o),
    "bounces": lambda **o: mm.read_bounces(None, None, **o),
    "complaints": lambda **o: mm.read_complaints("2026-06-01", "2026-06-20", **o),
    "counts": lambda **o: mm.read_suppression_counts("2026-06-01", "2026-06-20", **o),
}


def _lazy(**options):
    from mmframe import dask as lazy

    options.pop("on_error")  # a lazy read has no on_error: a partition raises
    return lazy.read_suppressions("2026-06-01", "2026-06-10", **options).compute()


def _export(tmp_path):
    def export(**options):
        return mm.export_suppressions(tmp_path / "out", "2026-06-01", "2026-06-10", **options)

    return export


@pytest.mark.parametrize("on_error", ["raise", "warn"])
@pytest.mark.parametrize("how", ["export", "dask"])
def test_a_wrong_key_on_an_export_or_a_lazy_read_is_said_refused(
    demo_emulator, tmp_path, how, on_error
):
    read = _export(tmp_path) if how == "export" else _lazy
    with mm.Session(demo_emulator.url, WRONG) as wrong, pytest.raises(mm.InvalidAPIKey) as refused:
        read(session=wrong, on_error=on_error)
    text = f"{refused.value!s} {refused.value!r}"
    assert "refused" in text and "MMFRAME_APIKEY" in text and WRONG not in text, text
    assert "partition" not in text and "resume" not in text, text


@pytest.mark.parametrize("on_error", ["raise", "warn"])
@pytest.mark.parametrize("read", list(READS.values()), ids=list(READS))
def test_a_wrong_key_is_said_refused_not_a_partial_load(demo_emulator, read, on_error):
    with mm.Session(demo_emulator.url, WRONG) as wrong, pytest.raises(mm.InvalidAPIKey) as refused:
        read(session=wrong, on_error=on_error)
    text = f"{refused.value!s} {refused.value!r}"
    assert "refused" in text and "MMFRAME_APIKEY" in text, text
    assert "chunk" not in text and WRONG not in text, text


def test_a_right_key_still_reads(demo_session):
    assert len(mm.read_suppressions("2026-06-09", "2026-06-10", session=demo_session)) >= 0
