# ruff: noqa: RUF001  (bounce texts in other scripts, as servers send them)
"""Real sender-side refusals, each a whole storm, are put back (twelfth review, A1-2, A1-2b,
A1-2c): a rate, a block list, a reputation, a spam verdict, the content or an
authentication failure in the words providers use (QQ's "frequency limited", Comcast's
"DNSBLs", T-Online's "(BL)", Cloudmark's "iprep", spam in German, Russian, Chinese), a
retry clause or courtesy in the languages whose rates are read, a subject line a server
quotes back. And a refusal said of the sender ("sender's mailbox", "your account") is
never kept as a dead mailbox (A1-4)."""

from __future__ import annotations

import pandas as pd
import pytest

from mmframe.analysis.remediation import remediation_candidates

from .test_unread_words import _storm

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]


def _storm_of(text: str, size: int = 60) -> pd.DataFrame:
    """``size`` suppressions at one domain on one day, each after a bounce saying ``text``
    (a 5xx the API calls hard, a 4xx soft), judged."""
    sup, bounces = _storm(text, size=size, rest=text, typed=True)
    return remediation_candidates(sup, bounces=bounces)


PASSING = (
    "550 Ip frequency limited.",
    "550 Domain frequency limited.",
    "554 resimta-po-01.sys.comcast.net 192.0.2.1 found on one or more DNSBLs, see "
    "http://postmaster.comcast.net/smtp-error-codes.php#BL000000",
    "554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact "
    "tosa@rx.t-online.de to clarify.) (BL)",
    "554 5.7.1 AntiSpam CMAE iprep 192.0.2.1 rejected",
    "554 Nachricht wegen Spamverdachts abgelehnt",
    "550 Сообщение отклонено как спам",
    "550 您的邮件被判定为垃圾邮件",
    "550 Mail content denied.",
    "554 5.6.0 Invalid message content",
    "550 Rejected by header based Anti-Spoofing policy: news@acme.io - "
    "https://community.mimecast.com/docs/DOC-1369#550",
    "550 5.7.1 Connection refused: 192.0.2.1 is not authorized, see http://x.example/",
    "421 4.7.0 Demasiadas conexiones, inténtelo más tarde",
    "421 Troppe connessioni dal tuo IP, riprova più tardi",
    "421 4.7.0 Muitas conexões, tente novamente mais tarde",
    "421 Слишком много соединений, попробуйте позже",
    "451 发送频率过快，请稍后再试",
    "421 4.3.2 과도한 발송으로 일시적으로 제한되었습니다. 나중에 다시 시도하십시오",
    "421 4.7.0 Too many connections, spróbuj później",
    "450 4.7.0 Versandlimit erreicht, bitte versuchen Sie es später erneut",
    "450 4.7.1 Ihre IP-Adresse steht auf einer Sperrliste",
    "421 4.7.0 mxgate busy; Vielen Dank",
    "451 4.7.1 Please try later (greylisted) - Bitte später nochmal versuchen",
    "554 5.7.1 The message from (<news@acme.io>) with the subject of (Weekly news) matches "
    "a profile the Internet community may consider spam.",
    "554 5.7.1 The message from (<news@acme.io>) with the subject of (Wöchentliche "
    "Neuigkeiten) matches a profile the Internet community may consider spam.",
    "421 4.7.0 Too many connections (Betreff: Wöchentliche Neuigkeiten)",
    "421 4.7.0 Too many connections; Subject: Wöchentliche Neuigkeiten",
)


@pytest.mark.parametrize("text", PASSING)
def test_a_storm_of_a_sender_side_refusal_is_put_back(text):
    out = _storm_of(text)
    assert (out["verdict"] == "reactivate").all(), (out["verdict"].iloc[0], out["cause"].iloc[0])


SAID_OF_THE_SENDER = (
    "451 4.7.1 Your account has been temporarily disabled for sending too much mail",
    "550 5.7.1 Message rejected: sender's mailbox is disabled",
    "550 5.7.1 The sender's account is disabled",
    "550 5.1.7 Invalid sender address: mailbox does not exist",
    "550 5.1.7 The sender's mailbox does not exist",
    "550 5.7.1 The sender's domain is not found on the allowed list",
)


@pytest.mark.parametrize("text", SAID_OF_THE_SENDER)
def test_dead_words_said_of_the_sender_are_never_kept(text):
    out = _storm_of(text)
    assert (out["verdict"] != "keep").all(), (out["verdict"].iloc[0], out["cause"].iloc[0])


@pytest.mark.parametrize(
    "clause",
    ["Skrzynka pocztowa nie istnieje", "Okänd mottagare"],
)
def test_an_unread_clause_is_still_held_beside_a_retry_clause_or_a_subject(clause):
    # The retry words and the quoted subject are set aside, nothing else: a dead mailbox
    # in a language the tables do not hold is still held for a person to read.
    for text in (
        f"421 4.7.0 Demasiadas conexiones, inténtelo más tarde; {clause}",
        f"421 4.7.0 Too many connections (Subject: Weekly news); {clause}",
        f"421 4.7.0 Too many connections, subject to limits, {clause}",
    ):
        out = _storm_of(text)
        assert (out["verdict"] == "review").all() and out["cause"].iloc[0] == "unread", text


@pytest.mark.parametrize(
    "text",
    [
        "550 5.1.1 User unknown; sender's domain has no SPF record",
        "550 5.1.1 Mailbox does not exist. Your account has been blocked for sending too much mail",
        "450 4.1.1 User unknown; sender's address verified",
        # Microsoft's German "Recipient address rejected: Access denied" (an unknown
        # recipient), which the courtesy words above must not read as a courtesy.
        "450 4.5.1 Empfängeradresse abgelehnt: Zugriff verweigert",
    ],
)
def test_a_dead_mailbox_beside_words_of_the_sender_is_never_put_back(text):
    # Words of the sender read first must not carry the recipient's dead words with them.
    out = _storm_of(text)
    assert (out["verdict"] != "reactivate").all(), (out["verdict"].iloc[0], out["cause"].iloc[0])
