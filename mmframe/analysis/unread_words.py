"""Clauses of a bounce in words the triage does not read: a sentence in a language its
tables do not hold ("Skrzynka pocztowa nie istnieje", "Okänd mottagare", "משתמש לא קיים")
beside words it does read ("421 4.7.0 Too many connections; ...").

Such a text is not evidence that its cause passes: the clause it cannot read may say the
mailbox is dead, and no table of words covers every language a server may answer in (the
tenth review put back addresses whose bounces said so in Polish, Czech, Swedish, Turkish,
Finnish, Greek, Hungarian, Danish). So the remediation holds an address with such a bounce
for a person to read (:func:`unread_clause`), rather than adding a language at a time.

A clause is read when a phrase family of the triage matches it, or when any of its words
is one the triage's tables or plain English use (:func:`known_words`): the rule looks for
whole clauses of other words, not for a stray name or token ("gsmtp", "TSS04").
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .noun_forms import singular
from .phrase_tables import phrases

#: Words a server's English is made of, beside the tables' own: a clause of them is one
#: the triage could read (English first), whether or not a phrase of it matched.
_MAIL_WORDS = """
account accounts address addresses addressee authentication blocklist bounce dkim dmarc
domain email inbox mailbox mailboxes mta mx postmaster quota recipient recipients relay
rcpt sender smtp spam spf tls unsubscribe
antispam antivirus iprep ipv rbl dnsbl uribl surbl rdns ptr helo ehlo esmtp smtpd mailer
daemon greylist greylisted greylisting graylisted blacklist blacklisted blocklisted
allowlist whitelist denylist ratelimit ratelimited throttled throttling tempfail
undeliverable nondelivery ndr dsn mime uri url phishing malware spoofed spoofing
unsolicited reputation hostname mailhost queue queued quarantine quarantined pct
database offline online lmtp imap pop
proofpoint mimecast barracuda spamhaus spamcop cloudmark sophos ironport messagelabs
fortimail rspamd spamassassin amavis postfix exim sendmail qmail gmail hotmail outlook
icloud yandex gmx comcast
nachricht abgelehnt zurückgewiesen zustellung fehlgeschlagen fehler später erneut
refusé rejeté erreur réessayer mensaje rechazado intente messaggio rifiutato errore
riprovare mensagem rejeitada recusada erro bericht geweigerd fout probeer
bitte versuchen nochmal vielen dank
inténtelo intentelo intente intenta nuevamente más tarde riprova riprovi più tardi
tente novamente mais попробуйте повторите попытку позже spróbuj ponownie później
请稍后再试 稍后再试 请稍后重试 请稍候再试 나중에 다시 시도하십시오 시도해 주십시오 주세요
"""
#: The retry clause, the courtesy and the refusal a server adds in the languages whose
#: rates the tables read ("inténtelo más tarde", "riprova più tardi", "请稍后再试",
#: "Vielen Dank", the last five lines above): they name no mailbox, so a rate beside them
#: is read as the rate (twelfth review, A1-2). Not "Zugriff verweigert": Microsoft's
#: "Empfängeradresse abgelehnt: Zugriff verweigert" is an unknown recipient.


@cache
def known_words() -> frozenset[str]:
    """Words that make a clause one the triage reads: the letters-only words of every phrase
    rule (English first, and the other languages the tables hold), the 4,000 commonest words
    of English prose (``data/english_words.txt``, :file:`tools/english_words.py`) and mail's
    own."""
    table = " ".join(pattern for _name, pattern in phrases())
    # Pattern syntax aside (\S, \b, (?:...)), the words the rules are written with.
    words = re.findall(r"(?<![\\?])\b[^\W\d_]{2,}", re.sub(r"\\[a-zA-Z]", " ", table))
    english = files("mmframe.analysis").joinpath("data", "english_words.txt").read_text("utf-8")
    return frozenset(w.lower() for w in words) | frozenset(english.split() + _MAIL_WORDS.split())


@cache
def _any_phrase() -> str:
    """Every phrase rule as one RE2 pattern: a clause any of them matches is read."""
    return "|".join(f"(?:{pattern})" for _name, pattern in phrases())


#: Where words part within a text: anything but letters, digits and the joins a word may
#: carry inside (an apostrophe); a hyphen or underscore parts words here ("Konto-nie-
#: istnieje", "KONTO_NIE_ISTNIEJE"), as a comma, a colon or a bracket do.
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _tokens(text: str) -> list[str]:
    """The words of ``text`` the rule weighs: letters only, two or more; hosts, paths and
    queries and settings aside ("mail.example.com", "com/fwlink/?id=", "p=quarantine"); an
    acronym aside where it stands alone in capitals among other words ("SMTP", "CMAE") or
    has three letters at most ("AGT PFA")."""
    bare = re.sub(r"\S*[./@#=&?]\S*[./@#=&?]\S*|\S+\.[a-z]{2,}\b|\S+=\S+", " ", text)
    words = [w for w in _TOKEN.findall(bare) if len(w) >= 2 and not any(c.isdigit() for c in w)]
    upper = [w.isascii() and w.isupper() for w in words]
    return [
        w
        for i, (w, up) in enumerate(zip(words, upper, strict=True))
        if not up
        or (len(w) > 3 and ((i and upper[i - 1]) or (i + 1 < len(words) and upper[i + 1])))
    ]


#: Nouns of a mailbox: a short clause of one and a word the triage does not know says
#: something of the mailbox it cannot read ("User nieznany").
#: In English, and in the languages the guide names: "conta extinta", "Postfach verwaist"
#: (thirty-eighth review, B2: such a noun beside a word no table holds was put back).
_NOUNS = frozenset(
    {
        "user", "mailbox", "account", "recipient", "address", "addressee", "inbox",
        "konto", "postfach", "benutzer", "nutzer", "empfänger", "empfaenger", "adresse",
        "conta", "caixa", "endereço", "endereco", "usuário", "utilizador", "destinatário",
        "cuenta", "buzón", "buzon", "casilla", "dirección", "direccion", "usuario",
        "destinatario", "casella", "indirizzo", "utente", "destinatari", "compte", "boîte",
        "boite", "utilisateur", "destinataire", "postbus", "brievenbus", "adres", "gebruiker",
        "ontvanger", "ящик", "адрес", "пользователь", "получатель", "аккаунт",
        # The email's own, and the neighbours' of the tables' languages (Catalan,
        # Galician): "E-mail neexistuje", "L'usuari no existeix" (forty-first review, B8).
        "email", "usuari", "bústia", "bustia", "adreça", "adreca", "enderezo",
    }
)  # fmt: skip
#: English's dead words: one beside a word the triage does not know says something dead of
#: a noun it cannot read (a Turkish or Russian noun before "unknown").
_DEAD = frozenset(
    {"unknown", "invalid", "nonexistent", "inexistent", "disabled", "deleted", "inactive"}
)
#: Where a clause ends: a semicolon, a comma, a colon, a bar, a slash, a bracket, a line
#: break, a sentence's end (in Latin or CJK punctuation), or a dash set off by spaces.
_CLAUSE = re.compile(
    r"[;,:|/()\[\]{}<>\n\r]+|(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f\u3001\uff0c])\s*|\s+-+\s+"
)


#: The email's noun with its hyphen, which parts words here: one word ("E-mail neexistuje").
_E_MAIL = re.compile(r"(?i)\be-mail\b")


def _runs(text: str, known: frozenset[str]) -> list[str]:
    """The clauses of ``text`` in words the triage does not know, wherever they stand and
    whatever parts them from the rest ("..., Konto nie istnieje", "(Okänd mottagare)",
    "Konto nie istnieje / Too many connections"): a clause most of whose words are unknown,
    two or more (one alone if in another script than ASCII's letters); and, in a clause of
    known words, a run of two unknown words or more, one of them in another script."""
    found: list[str] = []
    for clause in _CLAUSE.split(_E_MAIL.sub("email", text)):
        words = _tokens(clause)
        unknown = [not _is_known(w, known) for w in words]
        strange = sum(unknown)
        lower = {_ELIDED.sub("", w.lower()) for w in words}  # "L'usuari": the noun
        said_of_a_mailbox = (
            len(words) <= 4 and strange and (_NOUNS | _DEAD) & lower and not _NOT_DEAD & lower
        )  # "Mailbox is being migrated": for a while, not a foreign "User nieznany"
        if (
            (strange >= 2 and 2 * strange > len(words))
            or (strange == len(words) == 1 and not words[0].isascii())
            or _short_and_strange(words, unknown)  # "ne postoji"
            or said_of_a_mailbox  # "User nieznany", "пользователь unknown"
        ):
            found.append(" ".join(words))
            continue
        run: list[str] = []
        for word, odd in [*zip(words, unknown, strict=True), ("", False)]:
            if odd:
                run.append(word)
                continue
            if len(run) >= 2 and not all(w.isascii() for w in run):
                found.append(" ".join(run))
            run = []
    return found


#: Words before a clause's subject: articles, determiners, an owner.
_DETERMINERS = frozenset(
    {
        "the", "this", "that", "these", "those", "your", "our", "its", "their", "a", "an",
        "target", "requested", "specified", "intended", "final", "remote",
    }
)  # fmt: skip
#: English's mailbox nouns, each number, beside :data:`_NOUNS` (its other languages').
_ENGLISH_NOUNS = frozenset(
    {
        "users", "recipients", "mailboxes", "accounts", "addresses", "addressees", "inboxes",
        "subscriber", "subscribers", "rcpt", "rcpts", "usr", "email", "emails", "username",
        "alias", "maildrop", "member", "customer", "destination",
    }
)  # fmt: skip
#: A report's field names: "Recipient address: <a@x> Reason: ..." is no statement.
_FIELDS = frozenset({"reason", "status", "diagnostic", "code", "action", "remote", "error"})
#: Words that say the same of another: "(also for recipient)", "same for the user".
_ALSO = frozenset({"also", "same", "likewise", "either", "neither", "nor"})
#: A statement of a mailbox is short: "Mailbox moved", "The mailbox is no more", "Recipient
#: address is not in the list of valid recipients".
_SHORT = 10


def _said_of_a_mailbox(text: str) -> list[str]:
    """The clauses of ``text`` whose subject is a mailbox noun, with something said of it
    ("Mailbox moved", "Users relocated"; 2 to :data:`_SHORT` words), whatever language:
    a statement of the mailbox, which the caller holds as unread where no phrase family
    reads it (thirty-ninth review, B2: "451 Mailbox is dead" was put back by its 4xx)."""
    found: list[str] = []
    clauses = _CLAUSE.split(_COMPOUND.sub("", text))
    for at, clause in enumerate(clauses):
        words = [_ELIDED.sub("", w.lower()) for w in _tokens(clause)]
        if _FOR_NOW in clause or _NOT_DEAD & set(words):  # the other words decide
            continue
        # Asked to try again in it or the clause after it ("Mailbox database is offline,
        # try again later": the server means to take the mail; fortieth review, O-5).
        if _RETRY & {w.lower() for c in clauses[at : at + 2] for w in _tokens(c)}:
            continue
        lead = next((i for i, w in enumerate(words) if w not in _DETERMINERS), len(words))
        nouns = _NOUNS | _ENGLISH_NOUNS
        said = [w for w in words[lead + 1 :] if w not in nouns | _FIELDS]  # "Recipient address:"
        if said and len(words) <= _SHORT and words[lead] in nouns:
            found.append(" ".join(words))
        elif len(words) <= 4 and nouns & set(words) and _ALSO & set(words):
            found.append(" ".join(words))  # "(also for recipient)": what the sender was
    return found


#: An email's or a mail's noun before another ("e-mail address", "mail box"): the other
#: names the subject ("the mail server" is no mailbox's).
_COMPOUND = re.compile(r"(?i)\be-?mail[ -](?=(?:address|account|user)\w*\b)|(?<=\bmail)[ -](?=box)")
#: Words that say a statement holds for a while ("recipient deferred", "mailbox busy, try
#: again": fortieth review, O-4, O-5), or that it is about the sender's mail ("recipients
#: complained of your mail"): no mailbox called dead, so the other words decide.
_NOT_DEAD = frozenset(
    {
        "busy", "deferred", "delayed", "temporarily", "temporary", "offline", "greylisted",
        "graylisted", "throttled", "maintenance", "queued", "postponed",
        "complained", "complaint", "complaints", "reported", "spam", "junk", "migrated",
        "migrating", "migration",
    }
)  # fmt: skip
#: Words asking the sender to try again: the server means to take the mail.
_RETRY = frozenset({"again", "later", "retry"})
#: What the triage reads a mailbox disabled for a while as (``bounce_words._FOR_NOW``).
_FOR_NOW = "paused for now"


def _short_and_strange(words: list[str], unknown: list[bool]) -> bool:
    """A clause of two or three words, each unknown but for a word of two letters, one a
    word of five letters or more in lower case ("ne postoji"): a short sentence in another
    language. A word alone is a token ("gsmtp", "mailin") or a name; beside a known word of
    three letters or more, English the lists lack ("weren't sent")."""
    pairs = list(zip(words, unknown, strict=True))
    if not 2 <= len(words) <= 3 or any(len(w) > 2 and not odd for w, odd in pairs):
        return False
    return any(odd and len(w) >= 5 and w.islower() for w, odd in pairs)


#: A subject line or a name a server quotes back ("with the subject of (Weekly news)",
#: "Subject: ...", "(Betreff: Wöchentliche Neuigkeiten)"): the sender's own words, which say
#: nothing of the mailbox, set aside: in brackets or quotes, or after a colon to the
#: clause's end ("subject to our limits" is no quote).
_QUOTED = re.compile(
    r"(?i)\b(?:with the )?(?:subject|betreff|objet|asunto|oggetto|assunto|onderwerp)(?: of)?"
    r"(?:\s*[:=]?\s*(?:\([^()]*\)|\"[^\"]*\"|'[^']*'|\u201c[^\u201d]*\u201d)|\s*[:=][^;,()\n]*)"
)


def unread_clause(words: pa.Array) -> np.ndarray:
    """For each bounce text, as ``bounce_words.words_of`` gives it, its first clause
    in words the triage does not read (trimmed, 80 characters at most), or None: a clause of
    unknown words (:func:`_foreign`) that no phrase rule matches. Each distinct text is
    read once."""
    out = np.full(len(words), None, dtype=object)
    if not len(words):
        return out
    encoded = pc.fill_null(words, "").dictionary_encode()
    codes, distinct = encoded.indices.to_numpy(), encoded.dictionary.to_pylist()
    known = known_words()
    found: list[tuple[int, str]] = []
    for at, text in enumerate(distinct):
        plain = _QUOTED.sub(" ", text)
        runs = [] if text.isascii() and _all_known(text, known) else _runs(plain, known)
        found += [(at, run) for run in [*runs, *_said_of_a_mailbox(plain)]]
    if not found:
        return out
    clauses = singular(pa.array([c for _, c in found], pa.string()))  # "Users over quota"
    read = pc.match_substring_regex(clauses, _any_phrase(), ignore_case=True).to_numpy(
        zero_copy_only=False
    )
    first: dict[int, str] = {}
    for (at, clause), hit in zip(found, read, strict=True):
        if not hit:
            first.setdefault(at, clause[:80])
    said = np.array([first.get(at) for at in range(len(distinct))], dtype=object)
    each: np.ndarray = said[codes]
    return each


def _all_known(text: str, known: frozenset[str]) -> bool:
    """Whether every word of an ASCII text is known (then no run of it is unknown)."""
    return all(_is_known(w, known) for w in _tokens(text))


#: French's and Italian's elided articles and pronouns before a word ("l'expéditeur",
#: "n'existe", "dell'utente"): the word after them is what is known or not.
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|dell|nell|all|dall|sull|un)['\u2019]", re.IGNORECASE)


def _is_known(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` (or the word after its elided article) is a known word."""
    lower = word.lower()
    return lower in known or _ELIDED.sub("", lower) in known
