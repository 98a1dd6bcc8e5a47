"""How triage reads a bounce's words: what it sets aside before the phrase families match
(justifications, names), and the words that say the address itself cannot receive, looked
for beside whatever other cause a text names (:func:`dead_beside`) and by the remediation
in every bounce of an address (:func:`dead_words`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import joined_words
from .encoded_words import decoded, each_where
from .noun_forms import singular
from .phrase_tables import phrases
from .reply_lines import one_reply
from .rule_search import alternations, leftmost

#: What a text says to justify a rule, not what happened: set aside before phrases match
#: ("blocked for attempting to mail too many invalid recipients" blocks an IP; no recipient
#: of this message was invalid).
_ASIDE = (
    r"(?i)https?://\S+|\bwww\.\S+"
    r"|(?:to (?:best )?(?:protect|reduce|help)|in order to)[^.;,]*\bspam\b[^.;,]*[.;,]?"
    r"|(?:for more (?:information|details)|to (?:learn|review|view) (?:more|our))[^.;]*[.;]?"
    r"|please (?:visit|see|refer to)[^.;]*[.;]?|\bsee\s+\S+"
    r"|\bfor (?:attempting|trying) to [^.;]*[.;]?"
)
#: Cloudmark's form for asking that a sending IP's reputation be reset: such a link is the
#: refusal's cause (the IP blocked for its reputation), not a justification, so it is read
#: as the words it stands for before links are set aside (a clause of its own, so "please
#: visit" or "see" before it set aside only themselves).
_CLOUDMARK_RESET = (
    r"(?i)(?:https?://)?csi\.cloudmark\.com/(?:[a-z]{2}/)?reset\S*",
    "; IP blocked ",
)
_ADDRESS_BARE = r"[<(\[\"']*[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+[>)\]\"']*"
_ADDRESS = _ADDRESS_BARE + r"(?::|\.\.\.)?"
#: Names say nothing of the cause: an address ("<blocked.spam@x.com>") is set aside with its
#: brackets and a colon after it, so the words it splits still count ("Mailbox <a@x.com>
#: unknown" reads "Mailbox unknown"); one that opens a server's reply, after its codes, and
#: is called unknown, disabled or the like there, is the recipient ("450 4.1.1 <a@x.com>:
#: unknown" reads "450 4.1.1 recipient unknown"); a host given
#: with its IP address, or the host a connection was for ("timed out to spam.example.net":
#: a network error, whatever the host is called) are read as a neutral word. Block lists
#: are named after "using", "at", "in": kept.
_NAMES = (
    # An IP address is the sender's, in any language ("IP-Adresse ... gesperrt", "dirección
    # IP"): read as "IP", so an address noun of a mailbox family never takes it.
    (
        # The noun and its plural, not "Addressee" (a line break read as a space joins
        # "from this IP\nAddressee ... unknown").
        r"(?i)\bip[- ]?(?:v[46][- ]?)?(?:(?:address(?:es)?|adressen?|adres|addr|"
        r"direcci[oó]n(?:es)?|indirizz[oi]|endere[cç]os?)\b|адрес\pL*)|(?:dirección|direccion|"
        r"indirizzo|endereço|endereco|adresse|adres|адрес)\pL* ip\b",
        "IP",
    ),
    (
        r"(?i)(^|\n|[;(]|\b[245][0-9]{2}[ -](?:[245]\.[0-9]{1,3}\.[0-9]{1,3}[ -])?)[ \t]*"
        + _ADDRESS
        + r"\s*(unknown|disabled|inactive|invalid|not found|(?:does not|doesn'?t) exist)"
        + r"(\s*(?:[.;,)]|$))",
        r"\1recipient \2\3",
    ),
    # Blanks about it, not a line break: the line after a sender's clause is its own
    # ("Sender address rejected: Greylisted\n550 5.1.1 <a@x.com>: User unknown").
    (r"[ \t]*" + _ADDRESS + r"[ \t]*", " "),
    (r"(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,}\.?\[[0-9a-f.:]+\]", "host"),
    (
        r"(?i)\b(connect to|connection to|connection with|conversation with|timed out to|"
        r"refused by|lost connection with) (?:[a-z0-9-]+\.)+[a-z]{2,}\.?",
        r"\1 host",
    ),
)


#: By lines (where the sender's clause is read), an address that opens a statement ("<a@x>:
#: User unknown") or stands before a mailbox noun ("<a@x> mailbox disabled") names a new
#: subject, a line of its own: after the sender's words, it ends their clause (thirty-
#: eighth review, B1). Not the sender's own address, beside its words ("MAIL FROM:<a@x>:",
#: "sender <a@x>"): dropped first, as every other name.
_RECIPIENT_OPENS = (
    (
        r"(?i)(\b(?:sender|from|helo|ehlo|return[- ]path|envelope)\S*"
        r"(?:[ \t]+(?:e-?mail[ \t]+)?(?:address|mailbox|domain))?)[ \t]*" + _ADDRESS,
        r"\1 ",
    ),
    # ... or called dead there ("... Domain not found <a@x> does not exist": fortieth
    # review, B-2): the recipient, named.
    (
        r"(?i)[ \t]*" + _ADDRESS_BARE + r"[ \t]+((?:is |was |has been )?(?:unknown|disabled|"
        r"inactive|invalid|not found|(?:does not|doesn'?t) exist|deleted|not valid|closed|dead|"
        r"purged|gone|removed)\b)",
        "\nrecipient \\1",
    ),
    (r"[ \t]*" + _ADDRESS_BARE + r"[ \t]*:", "\n"),
    (
        r"(?i)[ \t]*" + _ADDRESS_BARE + r"[ \t]+(mailbox|user|recipient|account|address|inbox)\b",
        "\n\\1",
    ),
)


#: Reasons that say the sender's own address, or how many unknown recipients it tried, was
#: refused ("Sender address <a@x.com> unknown", "Too many invalid recipients"): dead words
#: in them are about the sender, not this recipient (the remediation still reviews them).
SENDERS_OWN = ("rejected", "policyviolation")
#: A sending service's own suppression list ("Amazon SES has suppressed sending to this
#: address because it has a recent history of bouncing as an invalid address"): the reason
#: is the listing, whatever words give its history (the remediation reviews them).
LISTED = ("suppressed",)
#: The phrase families that say an address cannot receive: an unknown user, a mailbox
#: disabled or closed, a mailbox moved.
DEAD_FAMILIES = ("userunknown", "suspend", "hasmoved")
#: What triage's evidence says of a domain "not found" under a 4xx reply with no words of a
#: retry: the way there for now (``networkerror``), but Postfix defers a domain with no
#: DNS record at all so by default, so the remediation reviews it rather than act.
DOMAIN_UNDER_4XX = "a domain not found, perhaps only this time"
#: What triage's evidence says of a domain "not found" said to be tried again ("Domain not
#: found, try again later", Postfix's "Host not found, try again"): a lookup that failed
#: this time; the remediation puts it back with its storm.
NOT_FOUND_THIS_TIME = "not found this time"
#: Words of a domain inside dead words ("address rejected: Domain not found"): the domain's
#: matter, read by the domain's own rules, not a mailbox's.
_OF_A_DOMAIN = r"(?i)\bdomain\b"
#: A mailbox noun and its domain said together ("The account or domain may not exist",
#: cPanel's words for any failure): the mailbox is said dead too (forty-second review, B2).
_OR_ITS_DOMAIN = r"(?i)\b(?:user|recipient|mailbox|account|address)\s+(?:or|and|/)\s+domain\b"


def parted(texts: pa.Array) -> pa.Array:
    """``texts`` with joined or spaced-out words read as words where a text has them (each
    such text once): see :mod:`.joined_words`."""
    return joined_words.parted(texts)


#: How servers space words the tables write with one space: runs of spaces, tabs, no-break
#: and other Unicode spaces, a line folded as a DSN folds it (a line break, then blanks);
#: read as one space. Zero-width characters and soft hyphens are no part of a word, and a
#: Unicode dash is a hyphen.
_BLANKS = r"\t\x{a0}\x{1680}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}"
#: A folded line (a break, then blanks): one space, RFC 5322's unfolding.
_FOLD = r"\r?\n[ \t]+"
_SPACING = (
    # A multi-line SMTP reply continues its sentence on the next line after the code
    # (RFC 5321: "450-4.1.1 ... does\n450-4.1.1 not exist"; :func:`~.reply_lines.one_reply`
    # joined those): another reply's code stays a line break, as it may say another thing
    # ("Sender ... Domain not found\n550 User unknown").
    (r"\r?\n[ \t]*[245][0-9]{2}[- ](?:[245]\.[0-9]{1,3}\.[0-9]{1,3}[ -]?)?", "\n"),
    (_FOLD, " "),
    # An HTML line break or paragraph is one ("User<br>unknown").
    (
        r"(?i)</?(?:br|p|div|span|b|i|u|em|strong|font|tt|code|pre|li|ul|td|tr|table)\b[^<>@]*/?>",
        "\n",
    ),
    (r"[\x{200b}-\x{200d}\x{2060}\x{ad}\x{feff}]", ""),
    (r"[\x{2010}-\x{2015}\x{2212}]", "-"),
    (rf"[ {_BLANKS}]{{2,}}|[{_BLANKS}]", " "),
    # Chinese and Japanese write no space between words: one set there is no break.
    (r"(\pL)[ \t]*(?:\.{2,}|\x{2026})[ \t]*(\pL)", r"\1 \2"),  # "User... unknown": one space
    (r"(\pL)[*~]+(\pL)", r"\1 \2"),  # "user*unknown", "user~unknown"
    (r"([\p{Han}\p{Hiragana}\p{Katakana}\x{30fc}]) ([\p{Han}\p{Hiragana}\p{Katakana}])", r"\1\2"),
)
#: A mailbox noun given as a key or set off by a dash ("recipient: disabled", "mailbox=gone",
#: "user - unknown"): read as the noun.
_KEY = (r"(?i)\b(user|mailbox|recipient|account|address|addressee)(?: ?[:=] ?| - )", r"\1 ")
#: A mailbox said disabled or suspended for a while ("Mailbox temporarily disabled, please
#: retry"): unavailable for now, not dead; read as words no phrase reads, so the text's
#: other words decide.
_FOR_NOW = (
    r"(?i)\b(mailbox|inbox|account|user|recipient)(?: is| has been| was)? "
    r"(?:temporar(?:il)?y|for now|for the time being) "
    r"(?:disabled|suspended|deactivated|inactive|locked)\b"
    r"|\b(mailbox|inbox)(?: is)? locked\b"  # a mailbox locked by another session
    r"|\bnot accepting (?:e-?)?mail (?:\S+ ){0,4}(?:right now|at (?:this|the) (?:time|moment))",
    r"\1\2 paused for now",  # words no phrase reads: the text's other words decide
)
#: A name or an id in brackets after a mailbox noun ("user (jsmith) unknown", "account (ID
#: 12345) closed"): the noun's, so the words after it are said of the noun (forty-first
#: review, B3). Not a status or a code ("(#5.1.1)"): a letter or "ID" leads it.
_NAMED = (
    r"(?i)\b(user|mailbox|recipient|account|address|addressee|inbox)[ \t]*"
    r"[(\[{](?:id[ :#]*)?[a-z][\w.+-]{0,63}[)\]}]|\b(user|mailbox|recipient|account|address|"
    r"addressee|inbox)[ \t]*[(\[{]id[ :#]*[0-9]{1,20}[)\]}]",
    r"\1\2",
)
#: SMTP's own name for the recipient, as a key ("RCPT TO: unknown", "rcpt=invalid").
_RCPT = (r"(?i)\brcpt(?: to)?(?: ?[:=] ?| - )", "recipient ")


def spaced(texts: pa.Array, *, folds: bool = True) -> pa.Array:
    """``texts`` in Unicode's compatibility form (full-width letters and punctuation as
    ASCII: a full-width colon is a colon) with every spacing of words read as one space
    (:data:`_SPACING`); a folded line too, unless ``folds`` is False (it stays a break)."""
    # In Python, for the texts that hold a full-width form: pyarrow 15's NFKC leaves accents
    # decomposed ("wiadomos\u0301ci"), which parts a word in two.
    texts = each_where(texts, r"[\x{ff01}-\x{ff5e}]", _compatible)
    for pattern, plain in _SPACING:
        if folds or pattern != _FOLD:
            texts = pc.replace_substring_regex(texts, pattern, plain)
    return texts


#: Line breaks, and the blanks about them, read as one space (:func:`words_of`).
LINE_BREAKS = (r"[ \t]*(?:\r?\n)+[ \t]*", " ")


def _compatible(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def words_of(
    texts: pa.Array, *, joined: bool = True, lines: bool = False, replies: bool = True
) -> pa.Array:
    """``texts`` as the phrase families read them: encodings decoded, spacing made one
    space (a line break too, unless ``lines``: a sentence goes on over one, "does\nnot
    exist"; the unread rule and the sender's clauses part there; the lines of one SMTP reply
    are one sentence unless not ``replies``, :func:`~.reply_lines.one_reply`),
    justifications and names set aside, a mailbox noun's key read as the noun, and
    (``joined``) joined tokens read as their words (:func:`parted`)."""
    # By lines, a folded line stays a break: the sender's clause ends there ("Sender
    # address rejected: Domain not found\r\n User unknown": thirty-eighth review, B1).
    words = decoded(texts)
    if replies:  # a reply's own lines, one sentence (another reply's: a line of its own)
        words = one_reply(words)
    words = spaced(words, folds=not lines)
    if not lines:
        words = pc.replace_substring_regex(words, *LINE_BREAKS)
    words = pc.replace_substring_regex(words, *_CLOUDMARK_RESET)
    words = pc.replace_substring_regex(words, _ASIDE, " ")
    names = (*_NAMES[:2], *_RECIPIENT_OPENS, _NAMES[2]) if lines else _NAMES
    for pattern, neutral in (*names, _NAMED, _KEY, _RCPT, _FOR_NOW):
        words = pc.replace_substring_regex(words, pattern, neutral)
    words = pc.replace_substring_regex(words, r" {2,}", " ")  # what was set aside
    return parted(words) if joined else words


@cache
def _rules_of(names: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each of the families ``names``' rules, the families in the table's order (its last
    row, the generic words that name no cause, left out)."""
    rules = phrases()[:-1]
    return tuple(
        (name, tuple(p for n, p in rules if n == name))
        for name in dict.fromkeys(n for n, _ in rules)
        if name in names
    )


@cache
def _families() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each dead family's rules as RE2 alternations (:func:`~.rule_search.alternations`), in
    the table's order."""
    return tuple((name, alternations(rules)) for name, rules in _rules_of(DEAD_FAMILIES))


def dead_words(words: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """For each text (as :func:`words_of` gives), the first dead family its words name and
    the words, or ``""`` and None; a mailbox noun in the plural is read as the singular
    (:func:`~.noun_forms.singular`: "Users unknown" names "user unknown")."""
    words = singular(words)
    n = len(words)
    family = np.full(n, "", dtype=object)
    said = np.full(n, None, dtype=object)
    where = np.arange(n)
    for name, chunks in _families():
        if not len(where):
            break
        found, _ = leftmost(words.take(pa.array(where)), chunks)
        hit = found != None  # noqa: E711 (elementwise)
        chosen = where[hit]
        if not len(chosen):
            continue
        phrase = pa.array(found[hit], pa.string())
        mailbox = ~np.asarray(
            pc.match_substring_regex(phrase, _OF_A_DOMAIN).to_numpy(zero_copy_only=False),
            dtype=bool,
        ) | np.asarray(  # "The account or domain may not exist": the mailbox's too
            pc.match_substring_regex(phrase, _OR_ITS_DOMAIN).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
        chosen = chosen[mailbox]
        family[chosen] = name
        said[chosen] = found[hit][mailbox]
        where = np.setdiff1d(where, chosen)
    return family, said


@cache
def _domain_family() -> tuple[str, ...]:
    """The unknown-domain family's rules as RE2 alternations ("Unrouteable address", "Host
    or domain name not found")."""
    return alternations([p for _, rules in _rules_of(("hostunknown",)) for p in rules])


@cache
def dead_or_domain() -> tuple[str, ...]:
    """Every dead family's rules, then the unknown-domain family's, as RE2 alternations
    (:func:`~.rule_search.alternations`): the words of a statement that an address or its
    domain cannot receive."""
    families = [*_rules_of(DEAD_FAMILIES), *_rules_of(("hostunknown",))]
    return alternations([p for _, rules in families for p in rules])


def domain_words(words: pa.Array) -> np.ndarray:
    """For each text (as :func:`words_of` gives), the words naming the recipient's domain
    unknown or unroutable, or None."""
    return leftmost(words, _domain_family())[0]


def dead_beside(
    words: pa.Array, reason: np.ndarray, evidence: np.ndarray, *, settled: Iterable[str]
) -> None:
    """Where a text read as another cause also says the address cannot receive ("Mailbox
    unknown; DKIM signature invalid", "user unknown or mailbox full", a disabled mailbox
    beside a rate), the address's reason decides whatever the other cause (the sender's or
    the message's passes, the address does not), and the evidence says beside what. Rows
    whose reason is ``settled`` (already the address's), none yet, the sender's own
    (:data:`SENDERS_OWN`) or a sending service's list (:data:`LISTED`) are left as they are."""
    open_ = np.flatnonzero(~np.isin(reason, [*settled, *SENDERS_OWN, *LISTED, ""]))
    if not len(open_):
        return
    family, said = dead_words(words.take(pa.array(open_)))
    for i, name, phrase in zip(open_, family, said, strict=True):
        if name:
            evidence[i] = f"{phrase} (beside '{evidence[i]}': the address decides)"
            reason[i] = name


#: RFC 3463 and 5248 statuses whose subject is the recipient's address or mailbox (as
#: ``subject.detail``): a bad destination mailbox, system or syntax, a mailbox moved, a null
#: MX, a mailbox disabled, a user account disabled, a mailbox owner changed.
ADDRESS_STATUSES = frozenset({"1.1", "1.2", "1.3", "1.6", "1.10", "2.1", "7.13", "7.17"})


def address_status(status: str | None, reply: int | None) -> bool:
    """Whether ``status`` is an address-level one (:data:`ADDRESS_STATUSES`) under a 5xx
    class (the status's own first digit, as a reply code alone never gives one)."""
    if not status or status[0] != "5" or "." not in status:
        return False
    return status.split(".", 1)[1] in ADDRESS_STATUSES


#: A 5xx reply as a server writes it at a line's start or after a separator ("550 5.5.0",
#: "550-", "554 "): a permanent refusal quoted inside a text that began with another.
_REPLY_5XX = r"(?:^|[\s;,(\[/:])5[0-5][0-9](?:[ -][245]\.\d{1,3}\.\d{1,3}|[ -])"


#: An address-level status (:data:`ADDRESS_STATUSES`) of the permanent class quoted in a
#: text, with its 5xx reply or alone: "421 ...; 550 5.1.1", "Status: 550 5.1.1", a DSN's
#: "Status: 5.1.1", qmail's "(#5.1.1)" (a later hop called the mailbox bad); not a part of
#: an IP address or a version ("10.5.1.1", "5.1.1.4").
_QUOTED_ADDRESS_5XX = (
    r"(?:^|[\s;,(\[/:#])(?P<code>(?:5[0-5][0-9][ -])?5\.(?:1\.(?:10|1|2|3|6)|2\.1|7\.1[37]))"
    r"(?:$|[^\d.]|\.(?:[^\d]|$))"
)


def generic_under_5xx(words: pa.Array) -> np.ndarray:
    """For each text (as :func:`words_of` gives), a quoted 5xx reply with an address-level
    status ("550 5.1.1"), or the generic mailbox words of the table's last row ("mailbox
    unavailable", "recipient rejected": no cause named) where a 5xx reply stands in the
    text too, or None: a permanent refusal of the mailbox quoted beside
    words of another cause ("421 Too many connections ... 550 5.5.0 Requested action not
    taken: mailbox unavailable") is mixed evidence, not a cause that passes."""
    out = np.full(len(words), None, dtype=object)
    quoted = pc.extract_regex(words, _QUOTED_ADDRESS_5XX)
    valid = np.asarray(quoted.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    out[valid] = quoted.field("code").to_numpy(zero_copy_only=False)[valid]
    generic = phrases()[-1][1]
    hit = pc.and_(
        pc.match_substring_regex(words, generic, ignore_case=True),
        pc.match_substring_regex(words, _REPLY_5XX),
    )
    where = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool) & ~valid)
    if len(where):
        found = pc.extract_regex(words.take(pa.array(where)), f"(?i)(?P<phrase>{generic})")
        out[where] = found.field("phrase").to_numpy(zero_copy_only=False)
    return out
