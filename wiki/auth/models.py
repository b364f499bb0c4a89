"""Accounts: users, their login sessions, invitations and API tokens."""
from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


class Side(StrEnum):
    NORD = "nord"
    SUD = "sud"

    @property
    def label(self) -> LazyString:
        """The side's name in the reader's language (lazy: form choices are built at import)."""
        return SIDE_LABELS[self.value]


class Role(StrEnum):
    LECTEUR = "lecteur"
    CONTRIBUTEUR = "contributeur"
    COORDINATEUR = "coordinateur"

    @property
    def label(self) -> LazyString:
        return ROLE_LABELS[self.value]


SIDE_LABELS = {"nord": _l("Nord"), "sud": _l("Sud")}
ROLE_LABELS = {"lecteur": _l("Lecteur"), "contributeur": _l("Contributeur"), "coordinateur": _l("Coordinateur")}


def hash_token(token: str) -> str:
    """Secrets are stored hashed: a copy of the database opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None until invitation accepted
    side: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # The interface language the member chose on the account page (None: the browser's).
    language: Mapped[str | None] = mapped_column(String(8))
    # Two-factor login (TOTP): the shared secret, set once the user confirmed a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    is_totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None]  # time step of the last accepted code (no replay)
    follow_own_edits: Mapped[bool] = mapped_column(default=True)  # what one creates or edits is followed
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # personal feeds' address
    mail_frequency: Mapped[str] = mapped_column(String(10), default="weekly")  # wiki/mail/digests.py FREQUENCIES
    digest_until: Mapped[datetime | None]  # changes up to this moment were in a digest (or not wanted)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation = relationship("Organisation")
    # Set by the user loader: which login session this request belongs to, and whether it was
    # opened with "rester connecté" (kept when a password change replaces the session).
    login_token = None
    login_remembered = False

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def get_id(self) -> str | None:
        # The session cookie and remember cookie carry the login-session token,
        # not the user id, so that a session can be revoked server-side.
        return self.login_token

    @property
    def side_label(self) -> str:
        return str(Side(self.side).label)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


class LoginSession(db.Model):
    """One row per login; logout deletes it, password change or deactivation deletes all."""

    __tablename__ = "login_sessions"
    affects_pages = False  # no page shows it (wiki/cache/version.py)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # for the idle timeout
    is_remembered: Mapped[bool] = mapped_column(default=False)  # "rester connecté": longer absolute limit

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """Single-use codes that replace a TOTP code when the phone is lost."""

    __tablename__ = "recovery_codes"
    affects_pages = False  # no page shows it (wiki/cache/version.py)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class LoginFailure(db.Model):
    """A failed login, kept in the database so throttling holds across worker processes."""

    __tablename__ = "login_failures"
    affects_pages = False  # no page shows it (wiki/cache/version.py)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Invitation(db.Model):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    affects_pages = False  # no page shows it (wiki/cache/version.py)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
