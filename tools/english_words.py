"""Write ``mmframe/analysis/data/english_words.txt``: the 4,000 commonest words of the
English prose (docstrings and comments) of Python's standard library, one per line.

Run: ``python tools/english_words.py`` (Python 3.11). What the triage takes for English
when it looks for clauses in words it does not read (:mod:`mmframe.analysis.unread_words`):
a general vocabulary, not one gathered from bounce texts.
"""

from __future__ import annotations

import collections
import io
import re
import sys
import tokenize
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "mmframe" / "analysis" / "data" / "english_words.txt"
SKIP = {"site-packages", "test", "tests", "idlelib"}


def main() -> None:
    root = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    count: collections.Counter[str] = collections.Counter()
    for path in root.rglob("*.py"):
        if SKIP & set(path.parts):
            continue
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline))
        except (OSError, UnicodeDecodeError, SyntaxError, tokenize.TokenError):
            continue
        for token in tokens:
            quoted = token.string.lstrip("rbuRBU")[:3] in ('"""', "'''")
            prose = token.type == tokenize.COMMENT or (token.type == tokenize.STRING and quoted)
            if prose:
                count.update(w.lower() for w in re.findall(r"\b[A-Za-z][a-z]+\b", token.string))
    words = sorted(w for w, _n in count.most_common(4000))
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words written to {OUT}")


if __name__ == "__main__":
    main()
