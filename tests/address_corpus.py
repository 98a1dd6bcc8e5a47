"""Addresses the API accepts and refuses: one corpus that both the client and the emulator
are tested against (docs/emulator.md, "one address grammar")."""

from __future__ import annotations

VALID = [
    "a@x.com",
    "A.B@X.COM",
    "first.last+tag@mail.example.co.uk",
    "o'brien@example.ie",
    "x!#$%&'*+/=?^_`{|}~-@example.org",
    "1234567890@example.com",
    "a@b-c.example",
    "a@xn--bcher-kva.de",  # bücher.de as an A-label
    "a@example.xn--p1ai",  # a punycode top-level domain
    "a@1.example.com",
    "a@x.museum",
    "l" * 64 + "@x.com",
    "a@" + "d" * 63 + ".com",
    "a@" + ".".join(["d" * 60] * 4) + ".abcdefgh",  # 254 characters in all
]

INVALID = [
    "",
    "plain",
    "@x.com",
    "a@",
    "a@x",
    "a@localhost",
    "a@x.c",  # one-letter top-level domain
    "x@host.c0m",  # digits in the top-level domain
    "a@x.123",
    "a@1.2.3.4",
    "a@[1.2.3.4]",  # IP literal
    "a@[IPv6:::1]",
    '"a b"@x.com',  # quoted local part
    '"a"@x.com',
    "a@x.com.",  # trailing dot
    "a.@x.com",
    ".a@x.com",
    "a..b@x.com",
    "a@x..com",
    "a@-x.com",
    "a@x-.com",
    "a@x_y.com",
    "a b@x.com",
    "a@b@x.com",
    "user@bücher.de",  # IDN in Unicode form
    "ü@x.com",
    "a@x.com\n",
    "a@x.com ",
    " a@x.com",
    "a,b@x.com",
    "l" * 65 + "@x.com",  # local part over 64
    "a@" + "d" * 64 + ".com",  # label over 63
    "a@" + ".".join(["d" * 60] * 4) + ".abcdefghi",  # 255 characters
    "a@x.xn--",
    "a@x.xn--p1ai-",
]
