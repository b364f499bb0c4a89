"""Login sessions: opened at the last step of a login, revocable, with idle and absolute timeouts."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import utcnow
from . import throttle
from .models import LoginSession, User, hash_token


def complete_login(user: User, *, remember: bool) -> str:
    """Last step of a login (after the second factor, when enabled): forget the account's
    failures and open a login session; returns its token (for the cookies).

    Only here, not after the password step: otherwise someone who knows the password could
    reset the count between two series of guesses of the code."""
    throttle.clear(email=user.email)
    return start_session(user, remember=remember)


def start_session(user: User, *, remember: bool = False) -> str:
    """Open a login session; the returned token goes into the cookies."""
    _end_expired_sessions(user)
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=hash_token(token), is_remembered=remember))
    db.session.commit()
    user.login_token, user.login_remembered = token, remember
    return token


# Writing last_seen_at on every request would turn each page view into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def load_session_user(token: str) -> User | None:
    """The active user owning this login-session token, or None if revoked or expired (an
    expired session is deleted). Notes the activity, at most once a minute."""
    if not token:
        return None
    login = db.session.scalar(select(LoginSession).join(LoginSession.user)
                              .where(LoginSession.token_hash == hash_token(token))
                              .options(contains_eager(LoginSession.user)))
    if login is None or not login.user.is_enabled:
        return None
    now = utcnow()
    if is_session_expired(login, now):
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.last_seen_at >= LAST_SEEN_RESOLUTION:
        login.last_seen_at = now
        db.session.commit()
    user = login.user
    user.login_token, user.login_remembered = token, login.is_remembered
    return user


def is_session_expired(login: LoginSession, now: datetime | None = None) -> bool:
    """Idle timeout (normal logins only: "rester connecté" is meant to outlive a night) and
    absolute timeout (SESSION_ABSOLUTE_TIMEOUT, or REMEMBER_COOKIE_DURATION when remembered)."""
    config = current_app.config
    now = now or utcnow()
    if login.is_remembered:
        return now - login.created_at > _as_timedelta(config["REMEMBER_COOKIE_DURATION"])
    return (now - login.last_seen_at > _as_timedelta(config["SESSION_IDLE_TIMEOUT"])
            or now - login.created_at > _as_timedelta(config["SESSION_ABSOLUTE_TIMEOUT"]))


def _as_timedelta(value) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def _end_expired_sessions(user: User) -> None:
    """Sessions abandoned without logging out would otherwise stay in the table for ever."""
    now = utcnow()
    for login in db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        if is_session_expired(login, now):
            db.session.delete(login)


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == hash_token(token)))
        db.session.commit()


def end_all_sessions(user: User, *, keep_token: str | None = None) -> None:
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        query = query.where(LoginSession.token_hash != hash_token(keep_token))
    db.session.execute(query)
