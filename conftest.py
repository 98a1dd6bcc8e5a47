"""Settings every test run shares, notebooks included (their kernels inherit the environment)."""

from __future__ import annotations

import os

os.environ.setdefault("MMFRAME_PROGRESS", "0")  # nbval compares no outputs, bars are noise
os.environ.setdefault("MPLBACKEND", "Agg")  # headless charts
