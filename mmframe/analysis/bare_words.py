"""A dead word said of nothing named: a clause that is a does-not-exist, unknown or disabled
word alone, after a separator or a key ("error: no existe", "; nicht vergeben",
"(inexistent)", "status: inexistent"), or after an English mailbox noun. A server says such
a word of the recipient it was asked for unless it names another subject."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import mailbox_words

#: Keys whose value is the sender's or the server's matter ("reason: unknown", "IP: not
#: found"): set aside before a dead word of nothing named is looked for.
_OTHER_KEY = (
    r"(?i)\b(?:reason|cause|(?:error )?code|ip|sender|from|mail from|client|helo|ehlo|command|"
    r"policy|rule|spf|dkim|dmarc|list)\s*[:=]\s*[^;,()\[\]\n]*"
)
#: English's, Chinese's and Japanese's does-not-exist, unknown and disabled words.
_PREDICATES = (
    r"unknown|invalid|inexistent|non-?existent|"
    r"(?:does not|doesn['\x{2019}]?t|did not|didn['\x{2019}]?t|not) exist|"
    r"not found|gone|deleted|disabled|deactivated|inactive|terminated|removed|closed|purged|"
    r"dead|cancel+ed|suspended|retired|"
    # Moved or unroutable, expired, refused for good, not valid, unable to receive; a dead
    # word before its noun ("inexistent user") (forty-fourth and forty-fifth reviews).
    r"moved|relocated|unroute?able|expired|permanent(?:ly)?|(?:considered |deemed )?abandoned|"
    r"(?:is not|isn['\x{2019}]?t|not) valid|"
    r"no longer (?:accepts?|receives?) (?:any )?(?:mail|e-?mails?|messages?)|"
    # Gone for good: permanently locked, offline or shut down; the person left or died
    # (forty-sixth review, B2, B4, B5).
    r"permanently (?:locked|offline|shut down|closed)|"
    r"(?:locked|offline|shut down|taken offline|paused for now) permanently|"
    r"(?:has )?left(?: the (?:company|organi[sz]ation|firm))?|has died|passed away|deceased|"
    r"(?:inexistent|non-?existent|non[- ]existing|not existing|unused|unknown|invalid|deleted|"
    r"disabled|closed|dead|defunct) (?:user|recipient|mailbox|address|account|addressee)e?s?|"
    r"will never (?:return|come back|be (?:re-?)?(?:opened|enabled|activated))|"
    r"will not be (?:re-?)?(?:opened|enabled|activated)|"
    r"(?:deletion|closure|removal) (?:is )?(?:pending|scheduled)|pending (?:deletion|closure)|"
    r"(?:the )?(?:disable|disablement|disabling|suspension|closure|block) is (?:now )?permanent|"
    r"(?:service|subscription) (?:terminated|cancel+ed|ended)|"
    r"(?:not|no longer|never) (?:a |an )?(?:valid |registered )?(?:user|customer|subscriber|"
    r"member|client|recipient)(?: here| of (?:this|our|the) (?:system|service|server|domain))?|"
    r"no longer exists?|no such (?:user|mailbox|recipient|address|account|person)|"
    r"no valid recipients?|不存在|存在しません|存在しない|不明|无效|無効|無效"
)
#: What may stand between a dead word's subject and the word: a verb, a hedge, a time
#: ("t0 has been deleted", "t0 may not exist", "it was then closed": forty-fifth review).
_VERBS = (
    r"(?:(?:is|are|was|were|has|have|had|been|be|being|got|gets|become|became|now|then|"
    r"already|since|just|permanently|definitely|also|may|might|must|probably|possibly|"
    r"apparently|likely|seems to be|appears to be|will be|would be|does|did|do)\s+)*"
)
#: What may follow a dead word in its clause: a place, a time, who did it ("unknown here",
#: "deleted since", "deleted by the administrator", "terminated for this customer").
_AFTER = (
    r"(?:\s+(?:here|there|since|already|anymore|any more|permanently|"
    r"on this (?:server|system|host)|by (?:the |its |an? )?[\w-]+(?: [\w-]+)?|"
    r"for (?:this|the) (?:customer|user|recipient|account|mailbox|address)))?"
)


#: A mailbox noun in English, as a key made it ("RCPT: 不存在" reads "recipient 不存在").
_NOUN = r"(?:user|recipient|mailbox|account|address|addressee)"
#: What a dead word is said of: a mailbox noun, or a name with a digit or a dot, dash or
#: underscore in it (a local part: "; t18 not found", "jdoe99 does not exist"; not an
#: English word: "; connection closed" is the server's); or a mailbox noun refused
#: ("; recipient rejected").
_SUBJECT = rf"(?:{_NOUN}|[^\s;,:(){{}}\[\]<>\"'=]*[0-9._+-][^\s;,:(){{}}\[\]<>\"'=]*)"
_REFUSED = rf"{_NOUN}\s+(?:rejected|refused|not accepted|blocked)"
#: Unable to receive, said of a name, a mailbox noun or nothing named ("t0 cannot receive
#: mail"; not "the mailbox is full and can't accept messages now", which passes).
_UNABLE = (
    rf"(?:{_SUBJECT}\s+)?(?:is\s+)?(?:cannot|can['\x{{2019}}]?t|can not|unable to) receive "
    r"(?:any )?(?:mail|e-?mails?|messages?)"
)
#: A statement of the recipient gone, anywhere in a clause: someone deleted its mailbox,
#: it left its employer or is no longer with it, it died (forty-sixth review, B2, B3, B5).
_GONE = (
    r"(?i)\b(?P<gone>(?:deleted|removed|closed|cancel+ed|terminated) (?:this|the|their|its|his|"
    r"her) (?:e-?mail )?(?:mailbox|account|address)|left the (?:company|organi[sz]ation|firm)"
    r"|no longer (?:works|is employed) (?:at|for|with)|is no longer with|has (?:died|passed "
    r"away))\b"
)
#: A host given with its IP address ("unknown[192.0.2.10]", Postfix's name for a client
#: with no reverse DNS): a neutral word, whatever its name (forty-sixth review, O3).
_HOST_WITH_IP = (r"[\w.-]*\[(?:ipv6:)?[0-9a-fA-F.:]+\]", " host ")
#: An enhanced status: not a subject a dead word is said of ("421 4.7.0 unknown[...]").
_STATUS = (r"\b[245]\.[0-9]{1,3}\.[0-9]{1,3}\b", ";")


@cache
def _bare() -> str:
    """A clause that is a dead word alone, after a separator or a key's colon ("error: no
    existe", "; nicht vergeben", "(inexistent)"), or after an English mailbox noun."""
    words = f"(?:{_PREDICATES}|{mailbox_words.predicates()})"
    return (
        # ", and does not exist", ", which does not exist": a subject left out (forty-
        # second review, B3).
        # After a reply code too ("...; 550 unknown"), in braces, and after "now" or "then"
        # ("temporarily disabled, now deleted": forty-fourth review, B1, B2).
        # On a line of its own, after "and" or "but", as a quoted value ('{"user":
        # "unknown"}'), of a local part ("; t18 not found"), "actually" said (forty-
        # fourth review, at its end).
        # After "which" or "who", after a note ("; note t0 is unknown"), of a local part
        # with a verb or a hedge ("t0 has been deleted", "t0 may not exist": forty-fifth).
        rf"(?i)(?:^|[;,:=/|(\[{{<>\n]|\.\s|\s-\s|\s(?:and|but|which|who|that)\s"
        r"|\b[45][0-9]{2}[ -])\s*"
        r"(?:(?:and|which|who|but|it|that|also|now|then|subsequently|since|has|have|been|actually"
        r"|in fact|really|afterwards|later|eventually|finally|note|n\.b\.|nb|btw|fyi|ps)[:,]?"
        r"\s+)*[\"'\x{2018}\x{201c}]?"
        rf"(?:(?:{_SUBJECT}\s+)?{_VERBS}(?P<word>{words}){_AFTER}|(?P<refused>{_REFUSED}"
        rf"|{_UNABLE}))\s*"
        r"[\"'\x{2019}\x{201d}]?(?:[.;,!:()\[\]{}/|<>\"\n]|$)"
    )


def bare_dead(words: pa.Array) -> np.ndarray:
    """For each text (as :func:`words_of` gives), a does-not-exist, unknown or disabled
    word said of nothing named (a clause of it alone, or a key's value: "error: no
    existe", "status: inexistent", "refused permanently: gone"), or None. A server says
    such a word of the recipient it was asked for unless it names another subject; the
    sender's keys ("reason:", "IP:", "HELO:") are set aside first."""
    for pattern, neutral in ((_OTHER_KEY, ";"), _HOST_WITH_IP, _STATUS):
        words = pc.replace_substring_regex(words, pattern, neutral)
    found = pc.extract_regex(words, _bare())
    word = pc.utf8_trim_whitespace(found.field("word"))  # "" where the other form said it
    said = pc.if_else(pc.equal(word, ""), found.field("refused"), word)
    word = pc.if_else(pc.is_valid(found), said, pa.scalar(None, pa.string()))
    gone = pc.extract_regex(words, _GONE)
    word = pc.coalesce(word, pc.if_else(pc.is_valid(gone), gone.field("gone"), word))
    return np.asarray(word.to_numpy(zero_copy_only=False), dtype=object)
