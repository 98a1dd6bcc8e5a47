"""Pages into columns: the Arrow road and the plain one give the same frame."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mmframe import page_parsing, schema
from mmframe.errors import InvalidArguments


def _decode(body):
    data = body["response"]
    if data["status"] != 200:
        raise InvalidArguments("refused", status=data["status"])
    return data["data"]


ROWS = [
    {"emailaddress": "A@X.com", "suppresstime": "2026-01-02T03:04:05+00:00",
     "suppressionid": "7", "reasontype": "bounce"},
    {"emailaddress": "b@y.org", "suppresstime": "2026-01-02T04:04:05+01:00",
     "suppressionid": "9", "reasontype": "manual"},
]  # fmt: skip


def _body(rows, status=200, **dump):
    return json.dumps(
        {"response": {"status": status, "message": "", "data": {"suppressions": rows}}}, **dump
    ).encode()


def test_both_roads_give_the_same_columns():
    fast = schema.suppressions(page_parsing.suppressions(_body(ROWS), _decode))
    plain = schema.suppressions(
        page_parsing.suppressions(_body(ROWS, indent=2), _decode)  # multi-line
    )
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["suppressed_at"].tolist() == [pd.Timestamp("2026-01-02 03:04:05", tz="UTC")] * 2
    assert fast["domain"].tolist() == ["x.com", "y.org"]
    assert fast["suppression_id"].tolist() == [7, 9]


def test_other_json_types_and_time_forms_take_the_plain_road():
    odd = [{**ROWS[0], "suppressionid": 7, "suppresstime": "2026-01-02T03:04:05.250Z"}]
    frame = schema.suppressions(page_parsing.suppressions(_body(odd), _decode))
    assert frame["suppression_id"].tolist() == [7]
    assert frame["suppressed_at"].tolist() == [pd.Timestamp("2026-01-02 03:04:05", tz="UTC")]


def test_an_error_envelope_raises_the_api_error():
    with pytest.raises(InvalidArguments):
        page_parsing.suppressions(_body([], status=452), _decode)
