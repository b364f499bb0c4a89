"""The mail queue: `queue()` inside the caller's transaction, `send_due()` from the command
line. SMTP through the standard library (smtplib, email.message)."""
from __future__ import annotations

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import utcnow
from .models import OutgoingMail

MAX_ATTEMPTS = 8  # then left for a coordinator to see (about a day of retries)
TIMEOUT = 30  # seconds per SMTP connection


class MailSettingsError(ValueError):
    """WIKI_MAIL_URL cannot be read: a mistake of whoever set it up (the command line says so)."""


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_URL"))


def absolute_url(endpoint: str, **values) -> str:
    """On WIKI_BASE_URL when set: e-mails are read far from the request that made them (and
    digests are made by the command line, where there is no request)."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return base + url_for(endpoint, _external=False, **values) if base else url_for(endpoint, _external=True, **values)


def queue(recipient: str, subject: str, text: str, html: str, headers: dict | None = None) -> None:
    """Added to the session: committed with what it announces."""
    db.session.add(OutgoingMail(recipient=recipient, subject=subject[:300], text=text, html=html,
                                headers=headers or {}))


def send_due(limit: int = 500) -> tuple[int, int]:
    """(sent, failed). A failure waits longer before each new attempt; nothing is lost."""
    due = list(db.session.scalars(select(OutgoingMail).where(
        OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS,
        OutgoingMail.next_attempt_at <= utcnow()).order_by(OutgoingMail.id).limit(limit)))
    if not due:
        return 0, 0
    sent = failed = 0
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        for mail in due:
            _failed(mail, exc)
        db.session.commit()
        return 0, len(due)
    with connection:
        for mail in due:
            try:
                connection.send_message(_message(mail))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(mail, exc)
                failed += 1
            else:
                mail.sent_at = utcnow()
                sent += 1
            db.session.commit()  # one at a time: a crash never sends a message twice
    return sent, failed


def _failed(mail: OutgoingMail, exc: Exception) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
    mail.next_attempt_at = utcnow() + timedelta(minutes=5 * 2 ** (mail.attempts - 1))


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=_from_domain())
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def _from_domain() -> str:
    return current_app.config["MAIL_FROM"].rpartition("@")[2].strip("> ") or "localhost"


def _connect() -> smtplib.SMTP:
    """smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when the server offers it,
    and never sends a password in clear (except to this machine)."""
    url = urlsplit(current_app.config["MAIL_URL"])
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise MailSettingsError("WIKI_MAIL_URL is neither smtp:// nor smtps:// with a host")
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        connection = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT, context=context)
    else:
        connection = smtplib.SMTP(url.hostname, url.port or 587, timeout=TIMEOUT)
        connection.ehlo()
        if connection.has_extn("starttls"):
            connection.starttls(context=context)
            connection.ehlo()
        elif url.username and url.hostname not in ("127.0.0.1", "localhost", "::1"):
            connection.close()
            raise smtplib.SMTPException("the server offers no STARTTLS: the password is not sent in clear")
    if url.username:
        connection.login(unquote(url.username), unquote(url.password or ""))
    return connection
