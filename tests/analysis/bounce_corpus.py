# ruff: noqa: E501  (bounce texts are quoted whole, as servers send them)
"""A labelled set of bounce texts, written for this project in the wording of many receivers
and MTAs (after their public postmaster pages, RFC 3463 examples and the bounces seen in
mailing-list archives), one reason of Sisimai's taxonomy each, with whether it is final.
Where Sisimai's current release files a wording elsewhere than this set first did (Yahoo's
TSS04 under badreputation, a timed-out connection under expired, Gmail's "mail sent from
your IP address has been temporarily rate limited" under speeding), its label is used.

The triage rules were not written from these texts one by one: each example tests a
general rule (a status code, a phrase family), so the set measures, not memorises.
"""

from __future__ import annotations

#: (text, reason, permanent)
CORPUS: list[tuple[str, str, bool]] = [
    # userunknown
    (
        "550 5.1.1 <jo@example.org>: Recipient address rejected: User unknown in local recipient table",
        "userunknown",
        True,
    ),
    (
        "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos. https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
        "userunknown",
        True,
    ),
    (
        "554 delivery error: dd This user doesn't have a yahoo.com account (jo@yahoo.com) [0] - mta1012.mail.bf1.yahoo.com",
        "userunknown",
        True,
    ),
    (
        "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM4PEPF00027A6C.eurprd04.prod.outlook.com]",
        "userunknown",
        True,
    ),
    (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient jo@contoso.com not found by SMTP address lookup",
        "userunknown",
        True,
    ),
    ("550 5.1.1 <jo@icloud.com>: user does not exist", "userunknown", True),
    ("550 sorry, no mailbox here by that name. (#5.1.1)", "userunknown", True),
    ("550 5.1.1 <jo@example.net>... User unknown", "userunknown", True),
    ("550 No Such User Here", "userunknown", True),
    ("550 Unrouteable address", "hostunknown", True),
    ("550 5.1.1 Address rejected jo@example.co.jp", "userunknown", True),
    ("552 5.1.1 Mailbox jo@example.com does not exist", "userunknown", True),
    ("550 Invalid recipient <jo@example.com> (#5.1.1)", "userunknown", True),
    (
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]",
        "userunknown",
        True,
    ),
    # hostunknown
    (
        "Host or domain name not found. Name service error for name=examp1e.com type=A: Host not found",
        "hostunknown",
        True,
    ),
    ("550 5.1.2 Bad destination system address: no such domain", "hostunknown", True),
    (
        "DNS Error: DNS type 'mx' lookup of nosuchdomain.test responded with code NXDOMAIN Domain name not found: nosuchdomain.test",
        "hostunknown",
        True,
    ),
    ('550 Unrouteable mail domain "exmaple.com"', "hostunknown", True),
    ("5.4.4 Unable to route: no mail hosts for domain", "hostunknown", True),
    # mailboxfull
    (
        "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp b2si44 - gsmtp",
        "mailboxfull",
        False,
    ),
    ("552 5.2.2 <jo@example.com>: Recipient address rejected: Mailbox full", "mailboxfull", False),
    ("452 4.2.2 Mailbox over quota - mta7.am0.yahoodns.net", "mailboxfull", False),
    (
        "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded",
        "mailboxfull",
        False,
    ),
    (
        "550 jo@example.com: mailbox is full (MTA-imposed quota exceeded while writing to tmp/1690.M2)",
        "mailboxfull",
        False,
    ),
    ("452 4.2.2 Over quota", "mailboxfull", False),
    (
        "522 5.7.1 Recipient's mailbox storage space is exceeded; user is over quota",
        "mailboxfull",
        False,
    ),
    # suspend
    (
        "550-5.2.1 The email account that you tried to reach is inactive. https://support.google.com/mail/?p=DisabledUser c3si - gsmtp",
        "suspend",
        True,
    ),
    (
        "554 delivery error: dd Sorry your message to jo@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1001.mail.gq1.yahoo.com",
        "suspend",
        True,
    ),
    (
        "550 5.2.1 <jo@example.org>: Recipient address rejected: Account has been suspended",
        "suspend",
        True,
    ),
    ("550 5.2.1 Mailbox disabled, not accepting messages", "suspend", True),
    ("550 5.7.13 User account disabled", "suspend", True),
    # hasmoved
    ("551 5.1.6 User not local; please try <jo@newdomain.example>", "hasmoved", True),
    ("550 5.1.6 Recipient address has moved; new address unknown", "hasmoved", True),
    # toomanyconn
    (
        "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "badreputation",
        False,
    ),
    (
        "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp",
        "speeding",
        False,
    ),
    (
        "451 4.7.650 The mail server [192.0.2.3] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
        "badreputation",
        False,
    ),
    ("421 4.7.0 mx.example.net Error: too many connections from 192.0.2.9", "toomanyconn", False),
    (
        "451 4.7.1 Temporarily rejected: too many messages from 192.0.2.7, slow down",
        "toomanyconn",
        False,
    ),
    (
        "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. - gsmtp",
        "speeding",
        False,
    ),
    ("421 4.4.5 Server busy: mail system congestion, try again later", "toomanyconn", False),
    # blocked (greylisting is filed here)
    (
        "450 4.2.0 <jo@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
        "blocked",
        False,
    ),
    ("451 4.7.1 Greylisting in action, please come back later", "blocked", False),
    (
        "550 5.7.1 Unfortunately, messages from [192.0.2.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
        "blocked",
        True,
    ),
    (
        "554 5.7.1 Service unavailable; Client host [192.0.2.8] blocked using zen.spamhaus.org",
        "blocked",
        True,
    ),
    ("550 5.7.1 Your IP address 192.0.2.10 has been blocked", "blocked", True),
    ("554 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.11]", "requireptr", True),
    # badreputation
    (
        "421-4.7.0 This message is suspicious due to the very low reputation of the sending IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited",
        "badreputation",
        False,
    ),
    (
        "550-5.7.1 Our system has detected that this message is suspicious due to the very low reputation of the sending domain. - gsmtp",
        "badreputation",
        True,
    ),
    # spamdetected
    (
        "550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp",
        "spamdetected",
        True,
    ),
    ("554 5.7.1 Message rejected as spam by Content Filtering.", "spamdetected", True),
    ("550 High probability of spam", "spamdetected", True),
    # authfailure
    (
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. - gsmtp",
        "authfailure",
        True,
    ),
    (
        "550 5.7.23 The message was rejected because of Sender Policy Framework violation: SPF check failed",
        "authfailure",
        True,
    ),
    ("550 5.7.20 No passing DKIM signature found", "authfailure", True),
    # requireptr
    (
        "550-5.7.25 The IP address sending this message does not have a PTR record setup. - gsmtp",
        "requireptr",
        True,
    ),
    (
        "450 4.7.25 Client host rejected: cannot find your reverse hostname, [192.0.2.12]",
        "requireptr",
        False,
    ),
    # norelaying
    ("554 5.7.1 <jo@example.org>: Relay access denied", "norelaying", True),
    ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "norelaying", True),
    ("550 5.7.1 Unable to relay for jo@example.com", "norelaying", True),
    # mesgtoobig
    ("552-5.3.4 Your message exceeded Google's message size limits. - gsmtp", "mesgtoobig", True),
    ("552 5.3.4 Message size exceeds fixed limit", "mesgtoobig", True),
    ("552 Message too large", "mesgtoobig", True),
    # exceedlimit
    ("552 5.2.3 Message length exceeds administrative limit", "exceedlimit", False),
    # systemfull
    ("452 4.3.1 Insufficient system storage", "systemfull", False),
    ("452 4.3.1 Insufficient system resources", "systemfull", False),
    # systemerror
    ("451 4.3.0 Temporary local problem - please try later", "systemerror", False),
    ("451 qq temporary problem (#4.3.0)", "systemerror", False),
    ("451 4.3.0 <jo@example.org>: Temporary lookup failure", "systemerror", False),
    ("451 4.3.5 Server configuration problem", "systemerror", False),
    # RFC 5321's own 421 text, sent for any cause: the receiving system, not a block
    ("421 4.3.2 Service not available, closing transmission channel", "systemerror", False),
    # networkerror
    ("connect to mx.example.org[192.0.2.20]:25: Connection timed out", "expired", False),
    (
        "451 4.4.0 Primary target IP address responded with: '421 4.4.2 Connection dropped.' Attempted failover to alternate host, but that did not succeed.",
        "networkerror",
        False,
    ),
    ("554 5.4.6 Hop count exceeded - possible mail loop", "networkerror", False),
    # expired
    ("4.4.7 Delivery time expired: message could not be delivered for 5 days", "expired", False),
    ("retry timeout exceeded", "expired", False),
    # notaccept
    ("556 5.1.10 Recipient address has null MX", "notaccept", True),
    ("550 5.3.2 Domain example.org does not accept mail", "notaccept", True),
    # rejected
    ("550 5.1.8 <news@example.com>: Sender address rejected: Domain not found", "rejected", True),
    (
        "553 5.1.7 The sender address <bounce@example> is not a valid RFC-5321 address",
        "rejected",
        True,
    ),
    # policyviolation
    ("550 5.7.1 Message rejected due to local policy", "policyviolation", True),
    ("554 5.7.1 This message violates our acceptable use policy", "policyviolation", True),
    # virusdetected
    ("550 5.7.1 Message rejected: virus detected (Eicar-Test-Signature)", "virusdetected", True),
    ("554 5.6.1 Malware found in attachment", "virusdetected", True),
    # contenterror
    (
        "550-5.7.1 Messages missing a valid address in the From: header, or having no From: header, are not accepted - gsmtp",
        "notcompliantrfc",
        True,
    ),
    ("554 5.6.0 Message contains invalid header", "contenterror", True),
    ("550 5.6.1 Media not supported", "contenterror", True),
    # securityerror
    ("530 5.7.0 Must issue a STARTTLS command first", "failedstarttls", True),
    ("454 4.7.0 TLS not available due to local problem", "failedstarttls", False),
    # syntaxerror
    ("501 5.5.2 Syntax error in parameters or arguments", "syntaxerror", True),
    ("500 5.5.1 Command unrecognized", "syntaxerror", True),
    # filtered
    (
        "550 5.7.1 Delivery not authorized, message refused by the recipient's filters",
        "filtered",
        True,
    ),
    # undefined
    ("The message could not be delivered", "undefined", False),
]
