"""The lines of one multi-line SMTP reply, read as the one sentence they are.

RFC 5321 (4.2.1) writes a reply over several lines, each opening with the reply's code
("452-4.2.2 ... Please direct\\n452-4.2.2 the recipient to\\n452 4.2.2 https://..."): a
line opening with the code of the line before goes on with its sentence, and is joined
to it. A line opening with another code is another reply, quoted ("...try again
later\\n550 5.1.1"), and stays a line of its own (forty-sixth review: Gmail's over-quota
reply, broken mid-sentence, read "the recipient to" as a statement of its own).
"""

from __future__ import annotations

import re

import pyarrow as pa

from .encoded_words import each_where

#: A reply's code where a line opens with it, its enhanced status after it.
_OPENING = re.compile(r"[ \t]*([245][0-9]{2})[- ](?:[245]\.[0-9]{1,3}\.[0-9]{1,3}(?:[ -]|$))?")
#: A reply's code inside a line ("host mx.x.com said: 452-4.2.2 ...").
_INSIDE = re.compile(r"(?:^|\s)([245][0-9]{2})[- ](?:[245]\.[0-9]{1,3}\.[0-9]{1,3})?")


def _joined(text: str) -> str:
    lines = re.split(r"\r?\n", text)
    out = [lines[0]]
    found = _INSIDE.search(lines[0])
    code = found.group(1) if found else None
    for line in lines[1:]:
        opening = _OPENING.match(line)
        if opening and code is not None and opening.group(1) == code:
            out[-1] = f"{out[-1].rstrip()} {line[opening.end() :].lstrip()}"
            continue
        out.append(line)
        found = opening or _INSIDE.search(line)
        code = found.group(1) if found else None
    return "\n".join(out)


def one_reply(texts: pa.Array) -> pa.Array:
    """``texts`` with each line of a multi-line reply joined to the line before where it
    opens with that line's code (see the module)."""
    return each_where(texts, r"\n[ \t]*[245][0-9]{2}[- ]", _joined)
