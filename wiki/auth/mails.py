"""The account's e-mails: invitations, and « Mot de passe oublié » — a single-use link valid
one hour (an invitation, which already is a single-use, hashed, throttled link to choose a
password), the same answer whether or not the address has an account, each request counted
against the sender's address as a failed link is."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import force_locale, lazy_gettext as _l

from .. import policy
from ..extensions import db
from ..mail import outbox
from . import throttle
from .accounts import get_user_by_email
from .invitations import create_invitation

VALIDITY = timedelta(hours=1)


def request_reset(email: str, *, address: str | None) -> None:
    throttle.check(email=None, address=address, invitations=True)  # the budget of link failures
    throttle.record_failure(email=throttle.NO_ACCOUNT, address=address)
    user = get_user_by_email(email)
    if user is None or not user.is_enabled or not outbox.enabled():
        return
    token = create_invitation(user, by=policy.SYSTEM, validity=VALIDITY)
    _queue(user, "reset", _l("Passerelle : choisir un nouveau mot de passe"), link=invitation_url(token))
    db.session.commit()


def mail_invitation(user, token: str, *, by) -> bool:
    """Queue the invitation e-mail when e-mail is set up (the link is shown to copy either way)."""
    if not outbox.enabled():
        return False
    _queue(user, "invitation", _l("Invitation à rejoindre Passerelle"), link=invitation_url(token),
           inviter=getattr(by, "name", None))
    db.session.commit()
    return True


def invitation_url(token: str) -> str:
    return outbox.absolute_url("auth.invitation", token=token)


def _queue(user, template: str, subject, **context) -> None:
    """In the member's language: plain text, and a light HTML part."""
    with force_locale(user.language or "fr"):
        outbox.queue(user.email, str(subject), render_template(f"mail/{template}.txt", user=user, **context),
                     render_template(f"mail/{template}.html", user=user, **context))
