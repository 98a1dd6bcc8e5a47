"""A mailbox "removed", "not in use", "obsolete" or "dormant", in English, the six European
languages the guide names and Russian, under a 4xx inside a storm, is never put back
(thirty-eighth review, B2: "450 conta removida", "450 Adresse entfernt", "450 Ящик удален"
and "450 address no longer receives mail" were judged reactivate and planned); nor is a
mailbox noun of those languages beside a word the triage does not read (it may say dead)."""

from __future__ import annotations

import pytest

from tests.analysis.storms import judged_storm

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

RATE = "421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume"
DEAD = (
    "450 A conta foi removida", "450 conta removida", "450 caixa de correio removida",
    "450 Utilizador removido", "450 cuenta removida", "450 La cuenta fue removida",
    "450 compte retiré", "450 Le compte a été retiré", "450 casella rimossa",
    "450 L'account è stato rimosso", "450 Adresse entfernt", "450 Das Konto wurde entfernt",
    "450 Ящик удален", "450 Пользователь удалён", "450 Адрес недействителен",
    "450 Адрес не действителен", "450 адрес недействительный",
    "450 address no longer receives mail", "450 recipient no longer accepting mail",
    "450 address not in use", "450 this address is obsolete", "450 user is dormant",
    "450 mailbox no longer receiving email",
    # A noun of those languages beside a word no table holds: read by a person.
    "450 conta extinta", "450 cuenta dada de alta", "450 Postfach verwaist",
    "450 casella dismessa", "450 boîte abandonnée", "450 mailbox opgeruimd",
)  # fmt: skip


@pytest.mark.parametrize("text", DEAD)
def test_a_mailbox_removed_or_unread_beside_its_noun_is_never_put_back_by_a_storm(text):
    out = judged_storm(text, RATE, domain="web.example")
    first = out.iloc[0]
    assert first["verdict"] != "reactivate", first["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()
