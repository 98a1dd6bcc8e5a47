# ruff: noqa: RUF001  (bounce texts in other scripts, as servers send them)
"""A bounce with a clause in words the triage does not read is no evidence that its cause
passes (issue 33, tenth review, F1): "421 4.7.0 Too many connections; Skrzynka pocztowa nie
istnieje" (Polish: the mailbox does not exist) was read as too many connections and a storm
put the address back; so were Czech, Swedish, Turkish, Finnish, Greek, Hungarian and Danish
dead mailboxes beside a rate, a block list, SPF or DMARC, on the row's own account and on
another. No table of words holds every language: whatever the language, a clause of words
the triage does not know, beside what it reads, sends the address to ``review``, named so.
Clauses it reads (English, the languages of its tables) change nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import triage
from mmframe.analysis.unread_words import known_words

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

STORM = "421 4.7.0 Too many connections from your IP, try again later"
#: Letters of scripts the tables do not hold, and Latin ones with their marks.
SCRIPTS = (
    "ąćęłńóśźżčřšžůýáíéöüőűåæøğışç",
    "αβγδεζηθικλμνξοπρστυφχψω",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "กขคฆงจฉชซญฎฏฐดตถทธนบปผพฟภมยรลวศษสหอฮ",
)
#: Syllables of made-up words in plain ASCII letters (no English word is made of them).
SYLLABLES = tuple(c + v for c in "bdgkmnprstvz" for v in "aeiouy")


def test_a_made_up_word_holding_a_phrase_the_tables_read_is_not_drawn():
    """A run of the suite drew "baba virusa", read (rightly) as a virus refusal, which
    passes: the made-up words must hold no phrase, or the clause is not unread."""
    assert _read("virusa") and _read("Virusa")
    assert not _read("skrzynka") and not _read("babaduku")


def _read(word: str) -> bool:
    """Whether the triage reads a cause in ``word`` alone (a phrase of its tables)."""
    return str(triage(pd.Series([word]))["decided_by"].iloc[0]) == "phrase"


@st.composite
def foreign_clauses(draw: st.DrawFn) -> str:
    """Two to four words the triage does not know: made-up ASCII words, or words in a
    script (or accented letters) no table of it holds."""
    if draw(st.booleans()):
        word = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map("".join)
    else:
        letters = draw(st.sampled_from(SCRIPTS))
        word = st.text(alphabet=letters, min_size=3, max_size=9)
    words = draw(st.lists(word, min_size=2, max_size=4))
    # Not a word the tables read, nor one holding a phrase they read ("virusa": "virus").
    words = [w for w in words if w.lower() not in known_words() and not _read(w)]
    words = words if len(words) >= 2 else ["skrzynka", "pocztowa"]  # two unknown words at least
    clause = " ".join(words)
    return draw(st.sampled_from((clause, clause.capitalize(), clause.upper())))


def _storm(own: str, *, size: int = 40, rest: str = STORM, typed: bool = False):
    """``size`` suppressions at one domain on one day, the first with ``own`` as its own
    bounce, the others ``rest`` (a connection limit); ``typed``: each bounce typed as the API
    types it (a 5xx hard, a 4xx soft)."""
    emails = [f"p{i}@web.example" for i in range(size)]
    at = pd.Timestamp("2026-11-12T09:00:00Z") + pd.to_timedelta(range(size), unit="s")
    sup = pd.DataFrame({"email": emails, "domain": "web.example", "suppressed_at": at,
                        "reason": "bounce", "account": "news@example.com"})  # fmt: skip
    bounces = pd.DataFrame({"account": "news@example.com", "email": emails,
                            "domain": "web.example", "bounced_at": at - pd.Timedelta(seconds=1),
                            "message": [own] + [rest] * (size - 1)})  # fmt: skip
    if typed:
        hard = bounces["message"].str.startswith("5")
        bounces["bounce_type"] = hard.map({True: "hard", False: "soft"})
    return sup, bounces


def _judge(sup: pd.DataFrame, bounces: pd.DataFrame) -> pd.DataFrame:
    return remediation_candidates(sup, bounces=bounces)


def never_put_back(x: str, *places: str) -> None:
    """``x`` beside the storm's rate in each of ``places`` (``{storm}``, ``{x}``): never
    reactivated."""
    for place in places or ("{storm}; {x}", "{x} ({storm})"):
        own = place.format(storm=STORM, x=x)
        row = _judge(*_storm(own)).iloc[0]
        assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@settings(deadline=None, max_examples=60)
@given(clause=foreign_clauses(), joint=st.sampled_from(("; ", ". ", "\n", " - ")),
       first=st.booleans())  # fmt: skip
def test_an_unread_clause_beside_a_passing_cause_is_never_put_back(clause, joint, first):
    own = f"{clause}{joint}{STORM}" if first else f"{STORM}{joint}{clause}"
    out = _judge(*_storm(own))
    row = out.iloc[0]
    assert row["verdict"] == "review", (own, row["verdict"], row["cause"], row["evidence"])
    assert row["cause"] == "unread" and "does not read" in row["evidence"], row["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()  # the storm itself is put back


@settings(deadline=None, max_examples=60)
@given(clause=foreign_clauses(),
       theirs=st.sampled_from(("550 5.7.1 blocked using zen.spamhaus.org", "450",
                               "550 Message rejected due to SPF failure", "452 4.2.2 mailbox full",
                               "554 5.7.1 DMARC policy violation")))  # fmt: skip
def test_an_unread_clause_on_another_account_sends_the_row_to_review(clause, theirs):
    sup, bounces = _storm(STORM)
    other = pd.DataFrame({"account": "shop@example.com", "email": ["p0@web.example"],
                          "domain": "web.example",
                          "bounced_at": [pd.Timestamp("2026-10-01T10:00:00Z")],
                          "message": [f"{theirs}; {clause}"]})  # fmt: skip
    out = remediation_candidates(sup, bounces=pd.concat([bounces, other], ignore_index=True))
    row = out.iloc[0]
    assert row["verdict"] == "review", (row["cause"], row["evidence"])
    assert "does not read" in row["evidence"] and "shop@example.com" in row["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()


@pytest.mark.parametrize(
    "own",
    [
        f"{STORM}; please retry in a few minutes. For more information see the FAQ.",
        "421 4.7.0 Zu viele Verbindungen von Ihrer IP-Adresse",
        f"{STORM} - gsmtp",
        f"{STORM} [TSS04] (mta1012.mail.bf1.example.com)",
        "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from "
        "your SPF domain. To protect our users from spam, mail sent from your domain has been "
        "temporarily rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError",
    ],
)
def test_clauses_the_triage_reads_change_nothing(own):
    """English and the tables' languages are read: a storm of them is still put back."""
    out = _judge(*_storm(own))
    assert out["verdict"].iloc[0] == "reactivate", (out["cause"].iloc[0], out["evidence"].iloc[0])


@pytest.mark.parametrize(
    "own",
    [  # the tenth review's own texts (F1)
        "421 4.7.0 Zu viele Verbindungen; Skrzynka pocztowa nie istnieje",
        "421 4.7.0 Too many connections; Uživatelský účet neexistuje",
        "421 4.7.0 Too many connections; Okänd mottagare",
        "421 4.7.0 Too many connections; Kullanıcı hesabı bulunamadı",
        "421 4.7.0 Too many connections; Postilaatikkoa ei ole olemassa",
        "421 4.7.0 Too many connections; Η θυρίδα δεν υπάρχει",
        "450 Skrzynka pocztowa nie istnieje",
        "450 Uživatel neexistuje",
        "421 4.7.0 Too many connections; Nieznany odbiorca",
        "421 4.7.0 Too many connections; Ukjent bruker",
        "421 4.7.0 Too many connections; Ukendt modtager",
        "421 4.7.0 Too many connections; Tuntematon vastaanottaja",
        "421 4.7.0 Too many connections; Ismeretlen címzett",
        "421 4.7.0 Too many connections; משתמש לא קיים",
        "421 4.7.0 Too many connections; المستخدم غير موجود",
        # and English the tables did not hold: a person gone, an address expired
        "421 4.7.0 Too many connections; recipient is no longer with the company",
        "452 4.2.2 mailbox full; user no longer with the company",
        "421 4.7.0 Too many connections; recipient has left the organization",
        "421 4.7.0 Too many connections; mailbox unavailable: user left company",
        "554 5.7.1 spam content detected; the address has expired",
        "421 4.7.0 Too many connections; Unrouteable address",
        # the review's second set: languages the tables hold, said otherwise; encodings;
        # joined tokens
        "421 4.7.0 Too many connections; Нет такого пользователя",
        "421 4.7.0 Too many connections; Учетная запись отключена",
        "421 4.7.0 Too many connections; adresse n'existe plus",
        "421 4.7.0 Too many connections; Benutzer gesperrt",
        "421 4.7.0 Too many connections; Indirizzo non valido",
        "421 4.7.0 Too many connections; Empf=C3=A4nger unbekannt",
        "421 4.7.0 Too many connections; Empf&auml;nger unbekannt",
        "421 4.7.0 Too many connections; user-unknown",
        "421 4.7.0 Too many connections; User_Unknown",
        "421 4.7.0 Too many connections; UserUnknown",
    ],
)
def test_the_reviewers_texts_are_not_put_back(own):
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (row["cause"], row["evidence"])
