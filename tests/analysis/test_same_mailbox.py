"""A complaint or an opt-out made from another spelling of the same mailbox holds the row
back (twenty-seventh review, CONFUSING: a complaint from ``x+promo@gmail.com``,
``c.arol@gmail.com`` or ``x@googlemail.com`` let the storm row of ``x@gmail.com`` or
``carol@gmail.com`` be judged ``reactivate``, with no word of it). A sub-address tag
(``+tag``, RFC 5233) reaches the mailbox without it, at every provider that supports one;
Gmail ignores dots in the local part and answers googlemail.com as gmail.com. Such a row
is ``review``, its cause ``samemailbox``, its evidence naming the spelling and its act:
the person may be the same, and nobody is put back on a guess."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

NEWS, SHOP = "news@acme.example", "shop@acme.example"
STORM = pd.Timestamp("2026-10-07T13:30:00Z")
DEFERRAL = "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to user complaints"
PEOPLE = ["carol110@gmail.com", "dave@example.org", "erin.smith@outlook.com", "frank@gmail.com"]


def _storm(emails: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    sup = pd.DataFrame({"account": NEWS, "email": emails, "reason": "bounce",
                        "suppressed_at": STORM + pd.Timedelta(minutes=1)})  # fmt: skip
    bounces = pd.DataFrame({"account": NEWS, "email": emails, "bounced_at": STORM,
                            "message": DEFERRAL})  # fmt: skip
    bounces["domain"] = bounces["email"].str.rpartition("@")[2]
    return sup, bounces


def _judged(spelling: str, kind: str, account: str) -> pd.DataFrame:
    sup, bounces = _storm(PEOPLE)
    at = STORM - pd.Timedelta(days=30)
    complaints = pd.DataFrame({"account": [account], "email": [spelling], "complained_at": [at]})
    lists = pd.DataFrame({"account": [account], "email": [spelling], "reason": [kind],
                          "suppressed_at": [at]})  # fmt: skip
    empty = complaints.iloc[:0]
    return remediation_candidates(
        sup,
        bounces=bounces,
        complaints=complaints if kind == "complaint" else empty,
        opt_outs=lists if kind != "complaint" else lists.iloc[:0],
    )


@pytest.mark.parametrize(
    ("spelling", "person"),
    [
        ("carol110+promo@gmail.com", "carol110@gmail.com"),
        ("c.arol.110@gmail.com", "carol110@gmail.com"),
        ("Carol110@GoogleMail.com", "carol110@gmail.com"),
        ("c.a.r.o.l110+x+y@googlemail.com", "carol110@gmail.com"),
        ("dave+news@example.org", "dave@example.org"),
        ("erin.smith+shop@outlook.com", "erin.smith@outlook.com"),
    ],
)
@pytest.mark.parametrize("kind", ["complaint", "unsubscribe", "manual"])
@pytest.mark.parametrize("account", [NEWS, SHOP])
def test_another_spelling_of_the_mailbox_holds_the_row_back(spelling, person, kind, account):
    judged = _judged(spelling, kind, account).set_index("email")
    row = judged.loc[person]
    assert row["verdict"] == "review", row.to_dict()
    assert row["cause"] == "samemailbox", row.to_dict()
    assert spelling.lower() in str(row["evidence"]).lower() and "spelling of this mailbox" in str(
        row["evidence"]
    )
    others = judged.drop(index=person)
    assert others["verdict"].eq("reactivate").all(), others[["verdict", "evidence"]]


@pytest.mark.parametrize(
    "spelling",
    [
        "erinsmith@outlook.com",  # dots count outside Gmail
        "carol@gmail.com",  # another mailbox
        "frank@gmail.co",  # another domain
        "dave@example.org.uk",
        "x+carol110@gmail.com",  # the tag is after the mailbox, not before
    ],
)
def test_another_mailbox_holds_nothing_back(spelling):
    judged = _judged(spelling, "complaint", SHOP)
    assert judged["verdict"].eq("reactivate").all(), judged[["email", "verdict", "evidence"]]


def _gmail_spelling(draw: st.DrawFn, local: str) -> str:
    dots = draw(st.lists(st.booleans(), min_size=len(local) - 1, max_size=len(local) - 1))
    dotted = local[0] + "".join(
        ("." if d else "") + c for d, c in zip(dots, local[1:], strict=True)
    )
    tag = draw(st.sampled_from(["", "+promo", "+a.b", "+", "+x+y"]))
    domain = draw(st.sampled_from(["gmail.com", "googlemail.com", "GMail.com"]))
    text = f"{dotted}{tag}@{domain}"
    return text.upper() if draw(st.booleans()) else text


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    local = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=10))
    return _gmail_spelling(draw, local), f"{local}@gmail.com"


@settings(max_examples=60, deadline=None)
@given(drawn=spellings(), kind=st.sampled_from(["complaint", "unsubscribe", "manual"]),
       account=st.sampled_from([NEWS, SHOP]))  # fmt: skip
def test_no_spelling_of_a_gmail_mailbox_that_asked_is_put_back(drawn, kind, account):
    """Invariant: whatever dots, tag, domain alias and case the evidence spells a Gmail
    mailbox with, the row of that mailbox is not judged ``reactivate``."""
    spelling, person = drawn
    judged = _asked_as(person, spelling, kind, account)
    assert judged["verdict"].tolist() != ["reactivate"], judged[["email", "verdict"]]


def _asked_as(person: str, spelling: str, kind: str, account: str) -> pd.DataFrame:
    """``person``'s storm row judged on one ``kind`` (a complaint, or an opt-out of that
    reason) three days before, made as ``spelling`` on ``account``."""
    sup, bounces = _storm([person])
    at = STORM - pd.Timedelta(days=3)
    complaints = pd.DataFrame({"account": [account], "email": [spelling], "complained_at": [at]})
    lists = pd.DataFrame({"account": [account], "email": [spelling], "reason": [kind],
                          "suppressed_at": [at]})  # fmt: skip
    return remediation_candidates(
        sup,
        bounces=bounces,
        complaints=complaints if kind == "complaint" else complaints.iloc[:0],
        opt_outs=lists if kind != "complaint" else lists.iloc[:0],
    )


#: One mailbox service's domains (thirtieth review, S1: a complaint from kim@icloud.com let
#: the storm row kim@me.com be put back): each provider documents them as one account's.
PROVIDERS = {
    "google": ["gmail.com", "googlemail.com"],
    "apple": ["icloud.com", "me.com", "mac.com"],
    "proton": ["proton.me", "protonmail.com", "protonmail.ch", "pm.me"],
    "yandex": ["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua",
               "yandex.com.tr", "narod.ru"],
}  # fmt: skip


def _none() -> pd.DataFrame:
    """No opt-outs (a list read's columns)."""
    return pd.DataFrame({"account": [NEWS], "email": ["x@example.org"], "reason": ["manual"],
                         "suppressed_at": [STORM]}).iloc[:0]  # fmt: skip


@pytest.mark.parametrize(
    ("spelling", "person"),
    [
        ("kim@icloud.com", "kim@me.com"),
        ("Kim@Mac.com", "kim@me.com"),
        ("kim+news@me.com", "kim@icloud.com"),
        ("pat@protonmail.com", "pat@proton.me"),
        ("pat@pm.me", "pat@protonmail.ch"),
        ("ivan-petrov@ya.ru", "ivan.petrov@yandex.ru"),
        # Thirty-second review, S1: Proton reads ".", "_" and "-" in a username as nothing;
        # S2: Yandex Turkey's domain, and narod.ru.
        ("johndoe@pm.me", "john.doe@proton.me"),
        ("john-doe@protonmail.com", "john_doe@pm.me"),
        ("olga2.k@yandex.ru", "olga2.k@yandex.com.tr"),
        ("olga-k@yandex.by", "olga.k@narod.ru"),
    ],
)
def test_a_providers_other_domain_holds_the_row_back(spelling, person):
    sup, bounces = _storm([person, "dave@example.org"])
    at = STORM - pd.Timedelta(days=30)
    complaints = pd.DataFrame({"account": [SHOP], "email": [spelling], "complained_at": [at]})
    judged = remediation_candidates(
        sup, bounces=bounces, complaints=complaints, opt_outs=_none()
    ).set_index("email")
    assert judged.loc[person, "verdict"] == "review", judged.loc[person].to_dict()
    assert judged.loc[person, "cause"] == "samemailbox"
    assert judged.loc["dave@example.org", "verdict"] == "reactivate"


@pytest.mark.parametrize(
    "spelling",
    ["kim@outlook.com", "kim@yahoo.com", "kim@me.org", "kim@icloud.co", "pat@pm.com",
     "k.im@me.com", "p-at@gmail.com"],
)  # fmt: skip
def test_an_unrelated_domain_holds_nothing_back(spelling):
    sup, bounces = _storm(["kim@me.com", "pat@proton.me"])
    complaints = pd.DataFrame(
        {"account": [SHOP], "email": [spelling], "complained_at": [STORM - pd.Timedelta(days=3)]}
    )
    judged = remediation_candidates(sup, bounces=bounces, complaints=complaints, opt_outs=_none())
    assert judged["verdict"].eq("reactivate").all(), judged[["email", "verdict", "evidence"]]


@settings(max_examples=80, deadline=None)
@given(
    provider=st.sampled_from(sorted(PROVIDERS)),
    local=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=10),
    picks=st.tuples(st.integers(0, 7), st.integers(0, 7)),
    tag=st.sampled_from(["", "+promo", "+x+y"]),
    upper=st.booleans(),
    kind=st.sampled_from(["complaint", "unsubscribe", "manual"]),
)
def test_no_mailbox_that_asked_under_its_providers_other_domain_is_put_back(
    provider, local, picks, tag, upper, kind
):
    """Invariant: whichever of its provider's domains the row and the evidence each spell
    a mailbox at (either way round), with a tag and any case, the row is not put back."""
    domains = PROVIDERS[provider]
    person = f"{local}@{domains[picks[0] % len(domains)]}"
    spelling = f"{local}{tag}@{domains[picks[1] % len(domains)]}"
    spelling = spelling.upper() if upper else spelling
    judged = _asked_as(person, spelling, kind, SHOP)
    assert judged["verdict"].tolist() != ["reactivate"], judged[["email", "verdict"]]
