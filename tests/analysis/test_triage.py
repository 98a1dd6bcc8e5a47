"""Bounce triage on a labelled set, per reason, and its frame contract."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.analysis.phrase_tables import phrases, status_reasons
from mmframe.analysis.triage import REASONS, classify
from tests.analysis.bounce_corpus import CORPUS

REASONS_IN_CORPUS = sorted({reason for _text, reason, _final in CORPUS})


@pytest.mark.parametrize("reason", REASONS_IN_CORPUS)
def test_every_labelled_text_of_a_reason(reason):
    texts = [(t, final) for t, r, final in CORPUS if r == reason]
    got = mm.triage(pd.Series([t for t, _ in texts], name="message"))
    wrong = [
        (text, found, final)
        for (text, final), found, is_final in zip(
            texts, got["reason"], got["permanent"], strict=True
        )
        if found != reason or bool(is_final) != final
    ]
    assert not wrong, wrong


def test_the_corpus_covers_most_of_the_taxonomy():
    assert set(REASONS_IN_CORPUS) <= set(REASONS)
    assert len(REASONS_IN_CORPUS) >= 25


def test_codes_and_evidence():
    out = mm.triage(
        pd.Series(
            [
                "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected"
                " volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com",
                "host mx.example.org[10.5.110.62] said: 550 5.1.1 <a@b.org>: User unknown",
                "Host or domain name not found. Name service error for name=x.test type=MX",
                "something nobody wrote before",
            ]
        )
    )
    assert out["status"].fillna("-").tolist() == ["4.7.0", "5.1.1", "-", "-"]
    assert out["reply"].fillna(0).tolist() == [421, 550, 0, 0]
    assert out["reason"].tolist() == ["badreputation", "userunknown", "hostunknown", "undefined"]
    assert out["permanent"].tolist() == [False, True, True, False]
    assert out["evidence"].tolist()[:3] == [
        "[TSS04]",
        "User unknown",
        "Host or domain name not found",
    ]
    assert out["evidence"].isna().tolist() == [False, False, False, True]
    assert out["decided_by"].tolist() == ["phrase", "phrase", "phrase", "none"]


def test_status_and_reply_codes_decide_when_no_phrase_does():
    out = classify(
        pd.array(["550 5.2.1", "452 4.2.2", "550 5.7.20 x", "551 x", "421 x"]).__arrow_array__()
    )
    assert out["reason"].tolist() == [
        "filtered",  # 5.2.1: Sisimai's reading (a mailbox that takes nothing, for now)
        "mailboxfull",
        "authfailure",
        "hasmoved",
        "systemerror",
    ]
    assert out["evidence"].tolist() == ["5.2.1", "4.2.2", "5.7.20", "551", "421"]
    assert out["decided_by"].tolist() == ["status", "status", "status", "reply", "reply"]


def test_frame_contract():
    frame = pd.DataFrame(
        {
            "message": ["550 5.1.1 User unknown", None, "550 5.1.1 User unknown"],
            "status": [1, 2, 3],
        },
        index=[10, 20, 30],
    )
    frame.attrs["mmframe"] = {"kind": "events:bounces"}
    out = mm.triage(frame)
    assert list(out.columns) == [
        "message",
        "input_status",
        "reason",
        "permanent",
        "status",
        "reply",
        "evidence",
        "decided_by",
    ]
    assert out.index.tolist() == [10, 20, 30] and out["input_status"].tolist() == [1, 2, 3]
    assert out["reason"].tolist() == ["userunknown", "undefined", "userunknown"]
    assert str(out["reason"].dtype) == "category" and str(out["permanent"].dtype) == "boolean"
    assert str(out["reply"].dtype) == "Int64" and out.attrs["mmframe"]["kind"] == "events:bounces"
    empty = mm.triage(pd.DataFrame({"message": pd.Series([], dtype="string")}))
    assert len(empty) == 0 and list(empty.columns)[-6:] == [
        "reason",
        "permanent",
        "status",
        "reply",
        "evidence",
        "decided_by",
    ]
    with pytest.raises(KeyError, match="column="):
        mm.triage(pd.DataFrame({"text": ["x"]}))


def test_rules_are_data():
    assert len(phrases()) > 30 and all(reason in REASONS for reason, _ in phrases())
    assert status_reasons()["1.1"] == "userunknown" and set(status_reasons().values()) <= set(
        REASONS
    )


@pytest.mark.clock
def test_the_demo_bounces_triage_as_made(demo_session):
    bounces = mm.read_bounces(
        "2026-06-01", "2026-06-15", accounts=["news@example.com"], session=demo_session
    )
    out = mm.triage(bounces)
    storm = out[
        (out["domain"] == "yahoo.com")
        & (out["bounced_at"].dt.day == 9)
        & (out["bounce_type"] == "soft")
    ]
    assert len(storm) >= 335 and set(storm["reason"]) == {"badreputation"}
    assert (out["permanent"] == (out["bounce_type"] == "hard")).all()


def test_input_columns_are_kept_once_and_a_triaged_frame_triages_again():
    # Issue 19.13: a frame with reason and input_reason came back with two input_reason.
    frame = pd.DataFrame(
        {"message": ["550 5.1.1 User unknown"], "reason": ["bounce"], "input_reason": ["x"]}
    )
    with pytest.raises(ValueError, match="input_reason"):
        mm.triage(frame)
    once = mm.triage(pd.DataFrame({"message": ["550 5.1.1 User unknown"], "reason": ["b"]}))
    twice = mm.triage(once)
    assert list(twice.columns) == list(once.columns) and twice.columns.is_unique
    pd.testing.assert_frame_equal(twice, once)


def test_texts_of_other_types_are_converted_or_refused():
    mixed = pd.Series([550, b"550 5.1.1 User unknown", None, "421 4.7.0 try later"])
    out = mm.triage(mixed)
    assert out["reason"].tolist()[1] == "userunknown"
    assert out["reply"].tolist()[0] == 550 and pd.isna(out["reply"].tolist()[2])
    with pytest.raises(TypeError, match=r"rows \[1\]"):
        mm.triage(pd.Series(["550 User unknown", {"text": "550"}]))
    with pytest.raises(TypeError, match="message"):
        mm.triage(pd.DataFrame({"message": [["550"], ["421"]]}))
