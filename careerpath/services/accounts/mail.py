"""E-mail for activation and reset links, through `CAREERPATH_SMTP_URL` when it is set.

`smtp://user:password@host:587?from=careerpath@example.org` (STARTTLS when the server offers
it), `smtps://…:465` (TLS from the start). Without the variable nothing is sent and callers
show the link to the administrator instead: the app never says a mail left when none did.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


def mail_configured(smtp_url: str | None) -> bool:
    return bool(smtp_url) and urlsplit(smtp_url or "").scheme in ("smtp", "smtps")


def send_mail(smtp_url: str | None, to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; True only when the server accepted it."""
    if not mail_configured(smtp_url):
        return False
    parts = urlsplit(smtp_url or "")
    sender = parse_qs(parts.query).get("from", [f"careerpath@{parts.hostname}"])[0]
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    context = ssl.create_default_context()
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                parts.hostname or "", parts.port or 465, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(parts.hostname or "", parts.port or 587, timeout=TIMEOUT_SECONDS)
        with client:
            if parts.scheme == "smtp":
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to %s not sent: %s", to, error)
        return False
    return True
