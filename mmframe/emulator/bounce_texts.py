"""Bounce texts of the demo's mail history, as the receiving servers word them.

Written for this emulator after the providers' public postmaster pages and the MTAs' usual
replies (Gmail, Yahoo/AOL, Outlook.com, Apple iCloud, Postfix, Exim, Sendmail, qmail,
Exchange): an SMTP reply code, an RFC 3463 enhanced status code where that server gives
one, and the server's own words. Placeholders: ``{email}``, ``{local}``, ``{domain}``,
``{ip}`` (the sending IP), ``{host}`` (a receiving host), ``{token}`` (a queue id).

Kinds: ``userunknown``, ``disabled`` and ``hostunknown`` are permanent (hard bounces);
``mailboxfull``, ``greylisted``, ``deferred`` and ``systemerror`` are temporary (soft).
"""

from __future__ import annotations

import random

HARD = ("userunknown", "disabled", "hostunknown")
SOFT = ("mailboxfull", "greylisted", "deferred", "systemerror")

TEXTS: dict[str, dict[str, str]] = {
    "gmail": {
        "userunknown": "550-5.1.1 The email account that you tried to reach does not exist."
        " Please try double-checking the recipient's email address for typos or unnecessary"
        " spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser"
        " {token} - gsmtp",
        "disabled": "550-5.2.1 The email account that you tried to reach is inactive. For"
        " more information, go to https://support.google.com/mail/?p=DisabledUser {token}"
        " - gsmtp",
        "mailboxfull": "452-4.2.2 The recipient's inbox is out of storage space. Please"
        " direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp {token}"
        " - gsmtp",
        "deferred": "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail from"
        " your IP address [{ip}]. To protect our users from spam, mail sent from your IP"
        " address has been temporarily rate limited. For more information, go to"
        " https://support.google.com/mail/?p=UnsolicitedRateLimitError {token} - gsmtp",
        "systemerror": "451-4.3.0 Mail server temporarily rejected message. {token} - gsmtp",
    },
    "yahoo": {
        "userunknown": "554 delivery error: dd This user doesn't have a {domain} account"
        " ({email}) [0] - {host}",
        "disabled": "554 delivery error: dd Sorry your message to {email} cannot be"
        " delivered. This mailbox is disabled (554.30). - {host}",
        "mailboxfull": "452 4.2.2 Mailbox over quota, try again later - {host}",
        "deferred": "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to"
        " unexpected volume or user complaints - 4.16.55.1; see"
        " https://postmaster.yahooinc.com/error-codes",
        "systemerror": "451 Message temporarily deferred due to a resource issue - {host}",
    },
    "outlook": {
        "userunknown": "550 5.5.0 Requested action not taken: mailbox unavailable"
        " (S2017062302). [{host}]",
        "disabled": "550 5.1.1 Requested action not taken: the mailbox {email} is disabled"
        " (S2017062303). [{host}]",
        "mailboxfull": "452 4.2.2 The recipient's mailbox is full and can't accept messages"
        " now. Please try resending later. [{host}]",
        "deferred": "451 4.7.650 The mail server [{ip}] has been temporarily rate limited"
        " due to IP reputation. For e-mail delivery information, see"
        " https://postmaster.live.com (S775) [{host}]",
        "systemerror": "451 4.4.4 Temporary server error. Please try again later. [{host}]",
    },
    "apple": {
        "userunknown": "550 5.1.1 <{email}>: user does not exist",
        "disabled": "550 5.2.1 <{email}>: user account is disabled",
        "mailboxfull": "452 4.2.2 <{email}>: user is over quota",
        "deferred": "421 4.7.0 [HM08] Message deferred; please try again later. See"
        " https://support.apple.com/en-us/102322",
        "systemerror": "451 4.3.0 Temporary failure, please try again later",
    },
    "postfix": {
        "userunknown": "550 5.1.1 <{email}>: Recipient address rejected: User unknown in"
        " virtual mailbox table",
        "disabled": "550 5.2.1 <{email}>: Recipient address rejected: Account disabled",
        "mailboxfull": "452 4.2.2 <{email}>: Recipient address rejected: Mailbox full",
        "greylisted": "450 4.2.0 <{email}>: Recipient address rejected: Greylisted, see"
        " http://postgrey.schweikert.ch/help/{domain}.html",
        "deferred": "421 4.7.0 {host} Error: too many connections from {ip}",
        "systemerror": "451 4.3.0 <{email}>: Temporary lookup failure",
    },
    "exim": {
        "userunknown": "550 5.1.1 <{email}>: No Such User Here",
        "disabled": "550 5.2.1 {email}: This account has been suspended",
        "mailboxfull": "452 4.2.2 {email}: mailbox is full (MTA-imposed quota exceeded)",
        "greylisted": "451 4.7.1 Greylisting in action, please come back later",
        "deferred": "451 4.7.1 Temporarily rejected: too many messages from {ip}",
        "systemerror": "451 4.3.0 Temporary local problem - please try later",
    },
    "sendmail": {
        "userunknown": "550 5.1.1 <{email}>... User unknown",
        "disabled": "550 5.2.1 <{email}>... Mailbox disabled for this recipient",
        "mailboxfull": "452 4.2.2 <{email}>... Mailbox full",
        "greylisted": "451 4.7.1 Please try again later",
        "deferred": "421 4.7.0 {host} Rate limit exceeded, try again later",
        "systemerror": "451 4.3.0 Temporary system failure. Please try again later.",
    },
    "qmail": {
        "userunknown": "550 sorry, no mailbox here by that name. (#5.1.1)",
        "disabled": "550 sorry, this mailbox has been disabled. (#5.2.1)",
        "mailboxfull": "452 sorry, the recipient's mailbox is full (#4.2.2)",
        "deferred": "451 sorry, too many connections from your IP, try again later (#4.7.0)",
        "systemerror": "451 qq temporary problem (#4.3.0)",
    },
    "exchange": {
        "userunknown": "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient {email} not"
        " found by SMTP address lookup",
        "disabled": "550 5.2.1 Mailbox cannot be accessed: the mailbox of {email} is disabled",
        "mailboxfull": "452 4.2.2 STOREDRV.Deliver; mailbox full: the mailbox of {email} is"
        " over its size limit",
        "deferred": "452 4.3.1 Insufficient system resources",
        "systemerror": "451 4.4.0 Primary target IP address responded with: '421 4.4.2"
        " Connection dropped.' Attempted failover to alternate host, but that did not"
        " succeed.",
    },
}
#: Written by the sending side (MM's own MTA) when the recipient's domain has no mail host:
#: Postfix's words for a name that does not exist (its temporary failure would add ", try
#: again" and be a 4.4.3 deferral, not a bounce).
NO_HOST = (
    "5.4.4 Host or domain name not found. Name service error for name={domain} type=MX:"
    " Host not found"
)

FAMILY = {
    "gmail.com": "gmail",
    "yahoo.com": "yahoo",
    "aol.com": "yahoo",
    "att.net": "yahoo",
    "verizon.net": "yahoo",
    "outlook.com": "outlook",
    "hotmail.com": "outlook",
    "icloud.com": "apple",
    "comcast.net": "postfix",
    "orange.fr": "postfix",
    "proton.me": "postfix",
    "gmx.de": "exim",
    "web.de": "exim",
    "yandex.ru": "exim",
    "bigpond.com": "exim",
    "btinternet.com": "sendmail",
    "shaw.ca": "sendmail",
    "naver.com": "sendmail",
    "libero.it": "qmail",
    "qq.com": "qmail",
}
_COMPANY_MTAS = ("exchange", "postfix", "exim", "sendmail")
_HOSTS = {
    "gmail": "mx.google.com",
    "yahoo": "mta7.am0.yahoodns.net",
    "outlook": "DM6NAM12FT041.eop-nam12.prod.protection.outlook.com",
    "apple": "mx01.mail.icloud.com",
}


def family(domain: str) -> str:
    """The receiving server family of a recipient domain (companies run their own MTA)."""
    return FAMILY.get(domain) or _COMPANY_MTAS[sum(map(ord, domain)) % len(_COMPANY_MTAS)]


def bounce_text(kind: str, email: str, ip: str, rng: random.Random) -> str:
    """A bounce text of ``kind`` for ``email``, as its receiving server words it."""
    local, domain = email.rsplit("@", 1)
    if kind == "hostunknown":
        return NO_HOST.format(domain=domain)
    texts = TEXTS[family(domain)]
    template = texts.get(kind) or texts["deferred"]  # not every server greylists
    host = _HOSTS.get(family(domain), f"mx{rng.randrange(1, 4)}.{domain}")
    token = f"{rng.getrandbits(40):010x}"
    return template.format(email=email, local=local, domain=domain, ip=ip, host=host, token=token)
