"""A dead mailbox said in the plural ("Users unknown", "recipients do not exist",
"boîtes aux lettres inexistantes", "gebruikers onbekend") under a 4xx or beside a rate is
never put back (thirty-ninth review, B1: each was judged ``reactivate``). Held by a
property over generated statements: a mailbox noun of English or the six languages the
guide names, singular or plural, with a does-not-exist, unknown or disabled predicate in
the agreeing (or a wrong) number, after a 4xx or a rate's words; the vocabulary here is
written from the languages, not copied from the tables. A count of recipients ("Too many
recipients") is no mailbox called dead."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.analysis.storms import RATE, judged_storm, none_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]


#: The review's own texts, each judged reactivate before.
REVIEWED = (
    "421 4.7.0 Too many connections; Users unknown",
    "421 4.7.0 Too many connections; recipients do not exist",
    "421 4.7.0 Too many connections; mailboxes are disabled",
    "421 4.7.0 Too many connections; accounts deleted",
    "421 4.7.0 Too many connections; boîtes aux lettres inexistantes",
    "421 4.7.0 Too many connections; gebruikers onbekend",
    "450 4.2.0 Recipients unknown",
    "452 Users do not exist",
    "452 4.2.2 Over quota; Users unknown",
    "451 Recipients unknown. Try again later",
)

#: Per language: (singular, plural) nouns and (singular, plural) predicates.
LANGUAGES = {
    "en": (
        [("user", "users"), ("recipient", "recipients"), ("mailbox", "mailboxes"),
         ("account", "accounts"), ("address", "addresses"), ("email address", "email addresses"),
         ("addressee", "addressees"), ("inbox", "inboxes")],
        [("unknown", "unknown"), ("is unknown", "are unknown"),
         ("does not exist", "do not exist"), ("doesn't exist", "don't exist"),
         ("is disabled", "are disabled"), ("has been deleted", "have been deleted"),
         ("deleted", "deleted"), ("not found", "not found"), ("is invalid", "are invalid"),
         ("was deactivated", "were deactivated")],
    ),
    "fr": (
        [("utilisateur", "utilisateurs"), ("destinataire", "destinataires"),
         ("compte", "comptes"), ("boîte aux lettres", "boîtes aux lettres"),
         ("adresse", "adresses")],
        [("inconnu", "inconnus"), ("inexistante", "inexistantes"),
         ("n'existe pas", "n'existent pas"),
         ("désactivé", "désactivés"), ("invalide", "invalides"), ("supprimée", "supprimées")],
    ),
    "es": (
        [("usuario", "usuarios"), ("cuenta", "cuentas"), ("buzón", "buzones"),
         ("destinatario", "destinatarios"), ("dirección", "direcciones")],
        [("no existe", "no existen"), ("desconocido", "desconocidos"),
         ("inexistente", "inexistentes"), ("desactivado", "desactivados"),
         ("eliminada", "eliminadas")],
    ),
    "pt": (
        [("usuário", "usuários"), ("conta", "contas"), ("caixa postal", "caixas postais"),
         ("destinatário", "destinatários"), ("endereço", "endereços")],
        [("não existe", "não existem"), ("desconhecido", "desconhecidos"),
         ("inexistente", "inexistentes"), ("desativada", "desativadas"),
         ("excluído", "excluídos")],
    ),
    "it": (
        [("utente", "utenti"), ("casella", "caselle"), ("destinatario", "destinatari"),
         ("indirizzo", "indirizzi")],
        [("non esiste", "non esistono"), ("sconosciuto", "sconosciuti"),
         ("inesistente", "inesistenti"), ("disattivato", "disattivati")],
    ),
    "de": (
        [("Benutzer", "Benutzer"), ("Konto", "Konten"), ("Postfach", "Postfächer"),
         ("Empfänger", "Empfänger"), ("Adresse", "Adressen")],
        [("existiert nicht", "existieren nicht"), ("unbekannt", "unbekannt"),
         ("deaktiviert", "deaktiviert"), ("gelöscht", "gelöscht"), ("ungültig", "ungültig")],
    ),
    "nl": (
        [("gebruiker", "gebruikers"), ("ontvanger", "ontvangers"), ("adres", "adressen"),
         ("mailbox", "mailboxen"), ("account", "accounts")],
        [("bestaat niet", "bestaan niet"), ("onbekend", "onbekend"),
         ("ongeldig", "ongeldig"), ("uitgeschakeld", "uitgeschakeld"),
         ("verwijderd", "verwijderd")],
    ),
}  # fmt: skip

PREFIXES = (
    "421 4.7.0 Too many connections; ", "450 4.2.0 ", "452 4.2.2 Over quota; ", "451 4.3.0 ",
    "450 ", "421 4.7.0 Rate limited, try again later. ",
)  # fmt: skip


@st.composite
def dead_statements(draw: st.DrawFn) -> str:
    """A mailbox noun of one language, singular or plural, with a dead predicate (in the
    noun's number, or the other: servers' grammar is not to be relied on), after a 4xx's
    or a rate's words, in the case a server may write it in."""
    nouns, predicates = LANGUAGES[draw(st.sampled_from(sorted(LANGUAGES)))]
    noun = draw(st.sampled_from(nouns))[draw(st.integers(0, 1))]
    predicate = draw(st.sampled_from(predicates))[draw(st.integers(0, 1))]
    text = f"{draw(st.sampled_from(PREFIXES))}{noun} {predicate}"
    return draw(st.sampled_from((text, text.upper(), text.capitalize())))


@pytest.mark.parametrize("text", REVIEWED)
def test_the_reviewed_plural_texts_are_not_put_back(text):
    out = judged_storm(text, RATE, domain="web.example")
    assert out.iloc[0]["verdict"] != "reactivate", out.iloc[0]["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()


@settings(max_examples=20, deadline=None)
@given(st.lists(dead_statements(), min_size=8, max_size=16, unique=True))
def test_a_dead_statement_in_any_number_is_never_put_back_by_a_storm(texts):
    none_put_back(texts)


def test_a_count_of_recipients_beside_a_rate_is_still_put_back():
    # The plural is read as the singular only for the dead words: a count is no mailbox.
    out = judged_storm("452 4.5.3 Too many recipients", RATE, domain="web.example")
    assert out.iloc[0]["verdict"] == "reactivate", out.iloc[0]["evidence"]
