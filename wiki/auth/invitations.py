"""Invitations: a single-use link a coordinator sends by any channel to let someone choose a password."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import policy
from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from . import sessions, throttle
from .accounts import check_password_rules, hash_password
from .models import Invitation, User, hash_token


def create_invitation(user: User, *, by, validity: timedelta) -> str:
    """A single-use link token for `user` to choose a password; older links stop working."""
    policy.require(by, "manage")
    db.session.execute(delete(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(Invitation(user=user, token_hash=hash_token(token), created_by_id=policy.reader_of(by).user_id,
                              expires_at=utcnow() + validity))
    db.session.commit()
    return token


def get_valid_invitation(token: str, *, address: str | None = None, count_failure: bool = True) -> Invitation:
    """The usable invitation for this link. Throttled per address (TooManyAttempts): each
    unknown, used or expired link sent with a password counts as a failure. Merely opening one
    (`count_failure` False: a GET, which an image in someone else's page can make) does not: the
    links are 256-bit secrets, not guessable by opening them."""
    throttle.check(email=None, address=address, invitations=True)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token or "")))
    if (invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow()
            or not invitation.user.is_enabled):
        if count_failure:
            throttle.record_failure(email=throttle.NO_ACCOUNT, address=address)
        raise NotFound(_("Ce lien d'invitation n'est plus valable. Demandez-en un nouveau à un coordinateur."))
    return invitation


def accept_invitation(token: str, password: str, *, address: str | None = None) -> User:
    """Set the invited user's password and use up the link."""
    invitation = get_valid_invitation(token, address=address)
    check_password_rules(password, email=invitation.user.email, name=invitation.user.name)
    invitation.used_at = utcnow()
    invitation.user.password_hash = hash_password(password)
    sessions.end_all_sessions(invitation.user)
    db.session.commit()
    return invitation.user


def last_invitation(user: User) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.user_id == user.id)
                             .order_by(Invitation.id.desc()).limit(1))


def is_expired(moment: datetime) -> bool:
    return moment <= utcnow()
