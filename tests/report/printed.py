"""Run a report's printed fix as a reader pastes it: the URL and key in the environment
(its ``mm.connect()`` reads them), the session it opens closed afterwards."""

from __future__ import annotations

import os
from unittest import mock

from mmframe.client import resolve


def run_printed(code: str, url: str, apikey: str) -> dict[str, object]:
    """Run ``code`` (nothing but what is printed: it dry-runs, never applies) and return
    its variables."""
    names: dict[str, object] = {}
    with mock.patch.dict(os.environ, {"MMFRAME_URL": url, "MMFRAME_APIKEY": apikey}):
        exec(compile(code, "<fix>", "exec"), names)
    resolve(None).close()  # the default session the code opened
    return names
