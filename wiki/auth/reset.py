"""« Mot de passe oublié » by e-mail: a single-use link valid one hour (an invitation, which
already is a single-use, hashed, throttled link to choose a password). The same answer
whether or not the address has an account; each request counts against the sender's address
as a failed login does."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext as _

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
    link = absolute_url("auth.invitation", token=token)
    with force_locale(user.language or "fr"):
        subject = _("Passerelle : choisir un nouveau mot de passe")
        context = {"user": user, "link": link}
        outbox.queue(user.email, subject, render_template("mail/reset.txt", **context),
                     render_template("mail/reset.html", **context))
    db.session.commit()


def absolute_url(endpoint: str, **values) -> str:
    """On WIKI_BASE_URL when set (e-mails are read far from the request that made them)."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
