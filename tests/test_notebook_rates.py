"""What the notebooks say a rate is over is what their code divides by (issue 33: notebook
04 said the complaint rate is over delivered mail, as the providers count it, and then
divided the complaints by the mail sent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: Complaints divided by something: the denominator.
DIVIDED = re.compile(r"complaints[\"']?\]?\s*/\s*([\w\[\]\"'.]+)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_complaint_rate_is_over_delivered_mail(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    over = DIVIDED.findall(code)
    assert [d for d in over if "delivered" not in d] == []
