"""The panel's words agree with their numbers (issue 33, eighth review, 15: "1 of the rows
shown are rows to keep"; "2 whose mailbox a server called dead")."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.widgets import RemediationPanel
from tests.widgets.test_panel_condemned import candidates

pytestmark = pytest.mark.invariants

#: A count of more than one before a singular noun of the panel's.
PLURAL_BEFORE_ONE = re.compile(r"\b(?:[02-9]|\d[\d,]+) (?:whose mailbox a\b|row\b|is\b)")


def test_the_panel_counts_its_rows_to_keep_in_good_grammar():
    with (
        Emulator("empty", port=0) as emulator,
        mm.Session(emulator.url, emulator.master_apikey) as session,
    ):

        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(frame=candidates())
        def check(frame):
            panel = RemediationPanel(frame, session)
            kept = panel.kept_shown()
            why = panel.why.value
            if kept == 1:
                assert "1 of the rows shown is a row to keep" in why, why
            elif kept:
                assert f"{kept:,} of the rows shown are rows to keep" in why, why
            said = " ".join([why, panel.warning.value])
            assert not PLURAL_BEFORE_ONE.search(said), said
            assert not re.search(r"\b1 whose mailboxes\b", said), said

        check()
