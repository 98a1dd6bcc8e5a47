"""Families of wording the triage misread (issue 33, seventh review, 4), each held over
generated variants: RFC 5321's standard 421 text names no block; an unknown domain under a
4xx reply is the way there, not a dead domain; a mailbox deleted, retired, removed or no
longer in service cannot receive; a list's name followed by "listed" is a block list; a
dead mailbox and a rate said in the other languages the guide names are read as such."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.triage import ADDRESS_REASONS, triage

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]


def _reason(text: str) -> str:
    return str(triage(pd.Series([text]))["reason"].iloc[0])


def _case(text: str, draw: st.DrawFn) -> str:
    return draw(st.sampled_from((text, text.upper(), text.lower(), text.title())))


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_the_standard_421_text_is_the_receiving_system_not_a_block(data):
    code = data.draw(st.sampled_from(("421", "421 4.3.2", "421-4.3.2", "421 4.3.0", "421 4.4.2")))
    words = data.draw(
        st.sampled_from(
            (
                "Service not available, closing transmission channel",
                "Service not available - closing transmission channel",
                "mx.example.net Service not available, closing transmission channel",
                "Service unavailable, closing transmission channel",
                "Service temporarily unavailable; closing transmission channel",
            )
        )
    )
    found = _reason(f"{code} {_case(words, data.draw)}")
    assert found in ("systemerror", "networkerror"), found


@settings(deadline=None, max_examples=80)
@given(data=st.data())
def test_an_unknown_domain_under_a_4xx_reply_is_the_way_there(data):
    code = data.draw(st.sampled_from(("450 4.1.2", "451 4.1.2", "450", "451 4.4.0", "450-4.1.2")))
    who = data.draw(st.sampled_from(("<p@example.org>: ", "p@example.org: ", "")))
    words = data.draw(
        st.sampled_from(
            (
                "Recipient address rejected: Domain not found",
                "Domain not found",
                "Host or domain name not found",
                "domain example.org does not exist",
                "Unknown domain",
                "host not found",
                "Recipient domain must exist",
            )
        )
    )
    found = _reason(f"{code} {who}{_case(words, data.draw)}")
    assert found == "networkerror", found
    # The same words under a 5xx reply: the domain does not exist.
    assert _reason(f"550 5.1.2 {who}{words}") == "hostunknown"


@settings(deadline=None, max_examples=120)
@given(data=st.data())
def test_a_mailbox_deleted_retired_or_out_of_service_is_a_dead_address(data):
    noun = data.draw(
        st.sampled_from(
            (
                "The mailbox you tried to reach",
                "This mailbox",
                "The address",
                "This email address",
                "The account",
                "Recipient mailbox",
                "The e-mail account",
                "This user",
            )
        )
    )
    said = data.draw(
        st.sampled_from(
            (
                "has been deleted",
                "was deleted",
                "has been retired",
                "is retired",
                "has been removed",
                "is no longer in service",
                "is no longer in use",
                "no longer exists",
                "has been cancelled",
                "has been terminated",
                "has been decommissioned",
            )
        )
    )
    after = data.draw(st.sampled_from(("", ".", ". Please remove it from your list.")))
    code = data.draw(st.sampled_from(("550", "550 5.1.1", "554", "")))
    found = _reason(f"{code} {_case(f'{noun} {said}', data.draw)}{after}".strip())
    assert found in ADDRESS_REASONS, found


@pytest.mark.parametrize(
    "text",
    [
        "550 该邮箱不存在",
        "550 收件人不存在",
        "550 用户不存在",
        "550 此用户不存在",
        "550 郵箱不存在",
        "550 收件人地址不存在",
        "550 宛先のメールアドレスは存在しません",
        "550 メールアドレスは存在しません",
        "550 このユーザーは存在しません",
        "550 指定されたアドレスが存在しません",
        "550 받는 사람의 메일 주소가 존재하지 않습니다",
        "550 존재하지 않는 사용자입니다",
    ],
)
def test_a_mailbox_that_does_not_exist_in_chinese_japanese_or_korean_is_dead(text):
    assert _reason(text) == "userunknown"


@pytest.mark.parametrize(
    "text",
    [
        "554 rejected by Cloudmark Sender Intelligence: CSI listed",
        "550 5.7.1 Your IP 192.0.2.1 is listed",
        "554 Client host listed (SBL)",
        "550 sending host is currently listed",
        "554 Your sending host is currently listed.",
    ],
)
def test_listed_is_a_block_list(text):
    assert _reason(text) == "blocked"


@pytest.mark.parametrize(
    "text",
    [
        "User jd@example.com not listed in Domino Directory",
        "550 5.1.1 Recipient not listed in public Name & Address Book",
    ],
)
def test_not_listed_in_a_directory_is_still_an_unknown_user(text):
    assert _reason(text) == "userunknown"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("421 4.7.0 Zu viele Verbindungen, bitte später erneut versuchen", "toomanyconn"),
        ("421 4.7.0 Trop de connexions, réessayez plus tard", "toomanyconn"),
        ("421 4.7.0 Demasiadas conexiones desde su IP", "toomanyconn"),
        ("421 4.7.0 Troppe connessioni dal tuo indirizzo", "toomanyconn"),
        ("421 4.7.0 Слишком много соединений", "toomanyconn"),
        ("421 4.7.0 Muitas conexões simultâneas", "toomanyconn"),
        ("451 4.7.1 Zu viele Nachrichten, bitte später erneut versuchen", "speeding"),
        ("451 4.7.1 Trop de messages envoyés, réessayez plus tard", "speeding"),
        ("451 4.7.1 Demasiados mensajes, inténtelo más tarde", "speeding"),
    ],
)
def test_rates_in_the_languages_the_guide_names(text, reason):
    assert _reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "450 4.1.2 <p@example.org>: Recipient address rejected: Domain not found",
        "450 4.1.2 p@example.org: Host or domain name not found",
        "451 Unknown domain",
    ],
)
def test_an_unknown_domain_under_a_4xx_reply_is_reviewed_not_put_back(text):
    """The way there for now, in triage; but Postfix defers a domain with no DNS record at
    all with the same words by default, so a storm of them is not put back unasked."""
    from mmframe.analysis.remediation import remediation_candidates

    emails = [f"u{i}@example.org" for i in range(60)]
    at = pd.Timestamp("2026-06-09T10:00:00Z")
    sup = pd.DataFrame({"email": emails, "domain": "example.org", "suppressed_at": at,
                        "reason": "bounce"})  # fmt: skip
    bounced = at - pd.Timedelta(seconds=1)
    bounces = pd.DataFrame(
        {"email": emails, "domain": "example.org", "bounced_at": bounced, "message": text}
    )
    out = remediation_candidates(sup, bounces=bounces)
    assert (out["verdict"] == "review").all(), out[["verdict", "evidence"]].head(2)
    assert out["evidence"].str.contains("domain not found", case=False).all()
