"""Dead words split over a multi-line reply, in the tables' languages given as a key, in
servers' own wordings, in Chinese or Japanese with a space, behind an HTML tag: each was put
back beside a rate (issue 33, thirteenth review, A1-13a to A1-13i); and Exchange's back
pressure ("421 4.3.2 System not accepting network messages") is no dead domain (A2-13a)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .test_dead_words_written import DEAD
from .test_unread_words import STORM, _judge, _storm, never_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: How a reply goes on over a line: RFC 5321's continuation prefix, with or without its
#: status, the last line's code, a bare line break, a blank line, an HTML break.
BREAKS = (
    "\n450-4.1.1 ", "\r\n450 4.1.1 ", "\n421-4.7.0 ", "\n450-", "\n", "\r\n", "\n\n", "<br>",
    "</p><p>", "&#10;", "%0A", "=0A", "\\n",
)  # fmt: skip


@st.composite
def split_phrase(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.sampled_from(DEAD)).split(" ")
    if len(words) == 1:
        words = ["Mailbox", *words]
    at = draw(st.integers(1, len(words) - 1))
    return " ".join(words[:at]), " ".join(words[at:])


@settings(deadline=None, max_examples=80)
@given(phrase=split_phrase(), brk=st.sampled_from(BREAKS), alone=st.booleans())
def test_a_dead_phrase_over_a_line_break_is_never_put_back(phrase, brk, alone):
    first, last = phrase
    own = f"450-4.1.1 {first}{brk}{last}" if alone else f"{STORM}; {first}{brk}{last}"
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "x",
    [  # the thirteenth review's texts put back beside "421 4.7.0 Too many connections"
        "450-4.1.1 The email account that you tried to reach does\n450-4.1.1 not exist.",
        "The email account that you tried to reach is\n450-4.2.1 disabled.",
        "Status: 5.1.10",
        "Benutzer: unbekannt",
        "Utilisateur: inconnu",
        "Usuario: desconocido",
        "utente: sconosciuto",
        "Gebruiker: onbekend",
        "account ist gesperrt",
        "Kullan\u0131c\u0131 unknown",
        "\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u0442\u0435\u043b\u044c unknown",
        "Recipient not in Domino directory",
        "the user has been deprovisioned",
        "We do not have a user with that address",
        "the person you are writing to has left",
        "Not our Customer",
        "no longer a valid address",
        "user account is not active",
        "The email account that you tried to reach is over quota and inactive.",
        "\u7528\u6237 \u4e0d\u5b58\u5728",
        "\u7528\u6237\u3000\u4e0d\u5b58\u5728",
        "\u30e6\u30fc\u30b6\u30fc\uff1a\u4e0d\u660e",
        "mailbox \u4e0d\u5b58\u5728",
        "Mailbox&#8203;does&#8203;not&#8203;exist",
        "Mail=\r\nbox disabled",
        "User\\r\\n unknown",
        "User...unknown",
        "La direcci\u00f3n de correo a la que intentas escribir ya no existe",
    ],
)
def test_the_thirteenth_reviews_texts_are_not_put_back(x):
    never_put_back(x, "{storm}; {x}", "{x} ({storm})")


def test_exchanges_back_pressure_is_no_dead_domain():
    own = "421 4.3.2 System not accepting network messages"
    row = _judge(*_storm(own, rest=own, typed=True)).iloc[0]
    assert row["verdict"] == "reactivate", (row["cause"], row["evidence"])


def test_an_address_in_angle_brackets_is_no_html_tag():
    row = _judge(*_storm("450 4.1.1 <b.smith@web.example>: unknown")).iloc[0]
    assert row["verdict"] != "reactivate", (row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "own",
    [  # temporary failures the thirteenth review's storms held (A2-13b): the way there
        "450 4.1.2 <a@x.example>: Recipient address rejected: Domain not found, try again later",
        "450 4.1.1 <a@x.example>: Recipient address rejected: unverified address: Host or domain "
        "name not found. Name service error for name=x.example type=MX: Host not found, try again",
        "450 4.2.1 Mailbox temporarily disabled, please retry",
        "450 4.7.1 <a@x.example>: Mailbox is temporarily suspended, try again later",
    ],
)
def test_a_temporary_failure_is_put_back_with_its_storm(own):
    row = _judge(*_storm(own, rest=own, typed=True)).iloc[0]
    assert row["verdict"] == "reactivate", (own, row["cause"], row["evidence"])
