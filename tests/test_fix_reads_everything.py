"""Every example that judges a fix reads every bounce and complaint the account keeps
(issue 33, fourth review B2: notebook 04 passed ``read_bounces(day - 7 days, day + 1 day)``
to ``remediation_candidates``, which put back addresses called dead months before), and
every suppression list, for the opt-outs (fifth review, 1: an address that unsubscribed
from another account was put back).

Each code example (notebooks, guide pages, README, the quickstart) is parsed; the frames
given to ``remediation_candidates`` as ``bounces=``, ``complaints=`` and ``opt_outs=`` are
traced back to their assignment, which must read from ``None`` to ``None``; none of them
may be left out."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READS = {
    "bounces": "read_bounces",
    "complaints": "read_complaints",
    "opt_outs": "read_suppressions",
}


def _sources() -> dict[str, str]:
    """Each example's code, by file: a notebook's code cells or a page's python blocks."""
    found: dict[str, str] = {}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        found[notebook.name] = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "code"
        )
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for page in pages:
        if "_generated" in page.parts:
            continue
        blocks = re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
        if blocks:
            found[str(page.relative_to(ROOT))] = "\n".join(blocks)
    found["docs/quickstart.py"] = (ROOT / "docs" / "quickstart.py").read_text()
    return found


SOURCES = _sources()


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _reads_everything(value: ast.expr, read: str) -> bool:
    """Whether ``value`` holds a ``read`` call from None to None (a wrapper such as
    ``mm.triage`` around it counts)."""
    calls = [n for n in ast.walk(value) if isinstance(n, ast.Call) and _name(n) == read]
    if not calls:
        return False
    for call in calls:
        bounds = list(call.args[:2]) + [k.value for k in call.keywords if k.arg in ("start", "end")]
        if len(bounds) != 2 or not all(
            isinstance(b, ast.Constant) and b.value is None for b in bounds
        ):
            return False
    return True


def _windowed(code: str) -> list[str]:
    """The ``bounces=``/``complaints=``/``opt_outs=`` given to remediation_candidates that
    were not read whole, or not given, as ``line: what``."""
    tree = ast.parse(code)
    assigned: dict[str, ast.expr] = {}
    wrong = []
    for statement in _statements(tree):
        for call in [n for n in ast.walk(statement) if isinstance(n, ast.Call)]:
            if _name(call) != "remediation_candidates":
                continue
            given = {k.arg for k in call.keywords}
            wrong += [f"{call.lineno}: no {name}=" for name in READS if name not in given]
            for keyword in call.keywords:
                if keyword.arg not in READS:
                    continue
                value = keyword.value
                if isinstance(value, ast.Name):
                    value = assigned.get(value.id, value)
                if not _reads_everything(value, READS[keyword.arg]):
                    wrong.append(f"{call.lineno}: {keyword.arg}={ast.unparse(keyword.value)}")
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = statement.value
    return wrong


def _statements(tree: ast.Module) -> list[ast.stmt]:
    """Every statement, nested ones too, in source order."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def test_the_examples_are_found():
    judged = [name for name, code in SOURCES.items() if "remediation_candidates(" in code]
    assert "04_deliverability.ipynb" in judged and "docs/quickstart.py" in judged, judged


@pytest.mark.parametrize(
    "name", sorted(n for n, code in SOURCES.items() if "remediation_candidates(" in code)
)
def test_a_fix_is_judged_on_every_bounce_and_complaint_the_account_keeps(name):
    assert _windowed(SOURCES[name]) == [], name
