"""Login throttling kept in the database (`login_failures`), so every gunicorn worker sees the
same counts.

A key is refused once it has `limit` failures within the window: the account (normalised
email, counted the same whether the account exists or not, so the answer reveals nothing) and
the client address. Refused attempts are not recorded (a locked account unlocks on time, and the
password is not even checked meanwhile). Failed invitation links count for their address, apart
from login failures: a page that makes its readers' browsers open bad links (images) must not
lock them out of their login."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _, ngettext
from sqlalchemy import delete, select

from ..extensions import db
from ..models import utcnow
from .models import LoginFailure

# The `email` of failures that belong to no account (wrong invitation links): never a
# normalised email, which always holds an "@".
NO_ACCOUNT = ""
MAX_ADDRESS = 64


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls) -> Limits:
        config = current_app.config
        return cls(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                   config["LOGIN_FAILURE_WINDOW"])


class TooManyAttempts(Exception):
    """Raised before a login, code or invitation check; views answer 429 with Retry-After."""

    def __init__(self, retry_at: datetime):
        self.retry_at = retry_at
        super().__init__(retry_message(retry_at))

    def retry_after_seconds(self, now: datetime | None = None) -> int:
        return max(1, math.ceil((self.retry_at - (now or utcnow())).total_seconds()))


def retry_message(retry_at: datetime, now: datetime | None = None) -> str:
    """« Trop de tentatives. Réessayez dans 12 minutes. » (after an hour: « après 14 h 35 (UTC) »)."""
    seconds = (retry_at - (now or utcnow())).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return ngettext("Trop de tentatives. Réessayez dans %(num)d minute.",
                        "Trop de tentatives. Réessayez dans %(num)d minutes.", minutes)
    retry_at = retry_at + timedelta(seconds=59)  # round up to the minute
    return _("Trop de tentatives. Réessayez après %(hour)d h %(minute)02d (heure UTC).",
             hour=retry_at.hour, minute=retry_at.minute)


def normalise_address(address: str | None) -> str:
    return (address or "")[:MAX_ADDRESS]


def check(*, email: str | None, address: str | None, invitations: bool = False) -> None:
    """Raise TooManyAttempts if the account (when `email` is given) or the address is locked
    (for logins, or with `invitations` for invitation links)."""
    retry_at = locked_until(email=email, address=normalise_address(address), invitations=invitations)
    if retry_at is not None:
        raise TooManyAttempts(retry_at)


def locked_until(*, email: str | None = None, address: str | None = None,
                 invitations: bool = False) -> datetime | None:
    """When the given account and address are both free again, or None if neither is locked."""
    limits = Limits.from_config()
    keys = []
    if address is not None:
        kind = LoginFailure.email == NO_ACCOUNT if invitations else LoginFailure.email != NO_ACCOUNT
        keys.append(((LoginFailure.address == normalise_address(address), kind), limits.per_address))
    if email is not None:
        keys.append(((LoginFailure.email == email,), limits.per_account))
    since = utcnow() - limits.window
    moments = []
    for key, limit in keys:
        if limit <= 0:
            continue
        # The limit-th most recent failure: once it leaves the window, fewer than `limit` remain.
        counted = db.session.scalar(
            select(LoginFailure.created_at).where(*key, LoginFailure.created_at > since)
            .order_by(LoginFailure.created_at.desc()).offset(limit - 1).limit(1))
        if counted is not None:
            moments.append(counted + limits.window)
    return max(moments, default=None)


def record_failure(*, email: str, address: str | None) -> None:
    """Count one failure and prune rows that left the window. Commits: the failure must be
    kept even though the caller's request ends in an error."""
    limits = Limits.from_config()
    now = utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at <= now - limits.window))
    db.session.add(LoginFailure(email=email, address=normalise_address(address), created_at=now))
    db.session.commit()


def clear(*, email: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account and/or an address (without committing); returns how many."""
    removed = 0
    if email is not None:
        removed += db.session.execute(delete(LoginFailure).where(LoginFailure.email == email)).rowcount
    if address is not None:
        removed += db.session.execute(
            delete(LoginFailure).where(LoginFailure.address == normalise_address(address))).rowcount
    return removed


def recent_failures(email: str) -> list[LoginFailure]:
    """An account's failures still in the window, newest first (for the coordinators' page)."""
    since = utcnow() - Limits.from_config().window
    return list(db.session.scalars(select(LoginFailure).where(LoginFailure.email == email,
                                                              LoginFailure.created_at > since)
                                   .order_by(LoginFailure.created_at.desc())))
