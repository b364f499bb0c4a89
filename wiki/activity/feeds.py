"""Personal feeds: a secret address per member, revocable, whose feeds hold what that member
may read. Only the token's hash is stored; the address is shown once, when made."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user: User) -> str:
    """A new address; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    user.feed_token_hash = _hash(token)
    db.session.commit()
    return token


def revoke_feed_token(user: User) -> None:
    user.feed_token_hash = None
    db.session.commit()


def user_for_feed_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(select(User).where(User.feed_token_hash == _hash(token)))
    return user if user is not None and user.is_enabled else None
