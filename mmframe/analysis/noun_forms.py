"""English mailbox nouns read as the dead families are written: in the singular, and as the
nouns the families name. "Users unknown", "recipients do not exist" and "mailboxes are
disabled" say of each address what "User unknown" says of one (thirty-ninth review, B1: a
server answering for several recipients at once writes the plural, and the 4xx beside it
put the rows back); "inbox unknown", "mail box not exist", "subscriber unknown" and "the
rcpt is unknown" say what "mailbox unknown" or "recipient unknown" say (B2, B3). The other
languages' plurals are in ``data/mailbox_words.csv`` itself.

Only the dead families read this (:func:`~.bounce_words.dead_words`): a count of recipients
("Too many recipients", "exceeded the recipients limit") is read as written elsewhere."""

from __future__ import annotations

import re

import pyarrow as pa

from .encoded_words import each_where

#: Each mailbox noun the dead families do not name as written, and the one they name.
_NOUNS = {
    "users": "user", "usrs": "user", "usr": "user",
    "recipients": "recipient", "rcpts": "recipient", "rcpt": "recipient",
    "subscribers": "recipient", "subscriber": "recipient",
    "mailboxes": "mailbox", "mail boxes": "mailbox", "mail box": "mailbox",
    "inboxes": "mailbox", "inbox": "mailbox",
    "accounts": "account", "addresses": "address", "addressees": "addressee",
}  # fmt: skip
_FORMS = r"(?i)\b(?:" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + r")\b"
_NOUN = re.compile(_FORMS)
#: A plural verb within a few words after a mailbox noun ("Recipients you wrote to do not
#: exist", or a server's "user are unknown"), and its singular.
_VERBS = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't",
          "don\u2019t": "doesn\u2019t"}  # fmt: skip
_AGREEING = re.compile(
    r"(?i)\b(?P<noun>user|recipient|mailbox|account|address|addressee)"
    r"(?P<gap>(?: \S+){0,4}? )(?P<verb>are|were|have|do|don"
    "['\u2019]t)\\b"
)


def _singular(text: str) -> str:
    text = _NOUN.sub(lambda m: _NOUNS[m[0].lower()], text)
    return _AGREEING.sub(lambda m: f"{m['noun']}{m['gap']}{_VERBS[m['verb'].lower()]}", text)


def singular(words: pa.Array) -> pa.Array:
    """``words`` (as :func:`~.bounce_words.words_of` gives) with each English mailbox noun
    read as the dead families name it, in the singular, and a verb agreeing with a plural
    after it ("Users do not exist" reads "user does not exist", "Inbox unknown" reads
    "mailbox unknown"); texts without such a noun as they are."""
    return each_where(words, f"{_FORMS}|{_AGREEING.pattern}", _singular)
