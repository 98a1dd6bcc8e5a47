"""The layout shows the architecture: small modules with one job, short functions (issue
31's targets, held here so that they cannot slide back unnoticed)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mmframe"
#: Lines a module outside the emulator holds at most (the emulator's seed and models are
#: data-heavy by nature).
MODULE_LINES = 450
#: Lines a function holds at most, its docstring included.
FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_outside_the_emulator_is_over_450_lines():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in _modules()
        if "emulator" not in path.parts and (n := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = lines
    assert long == {}
