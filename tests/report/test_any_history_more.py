"""The other half of the histories of ``test_any_history.py`` (its module docstring says
what is checked): a second module, so that two workers draw and report on them at once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.report.generated import plans
from tests.report.test_any_history import HISTORIES, SETTINGS, check
from tests.report.test_any_history import replica as replica  # the module's own emulator

pytestmark = [pytest.mark.slow, pytest.mark.invariants, pytest.mark.clock]


@settings(max_examples=HISTORIES // 2, **SETTINGS)
@given(plan=plans())
def test_any_other_history_gives_a_true_page_that_puts_back_nobody_it_must_not(replica, plan):
    check(replica, plan)
