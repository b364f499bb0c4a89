"""Accounts: users, passwords, the password step of a login, coordinators' edits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import policy
from ..i18n import LANGUAGES
from ..audit import services as audit
from ..errors import ValidationError
from ..extensions import db
from . import passwords, sessions, throttle
from .models import Role, Side, User
from .throttle import TooManyAttempts  # noqa: F401  (views catch it from here)


def _hasher() -> tuple[PasswordHasher, str]:
    """The app's argon2id hasher (cost from config) and a hash to verify when the email is
    unknown, so that both answers take the same time."""
    cached = current_app.extensions.get("wiki_password_hasher")
    if cached is None:
        config = current_app.config
        hasher = PasswordHasher(time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"],
                                parallelism=config["ARGON2_PARALLELISM"])
        cached = current_app.extensions["wiki_password_hasher"] = (hasher, hasher.hash("timing-equaliser"))
    return cached


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """Length, not a common password, not the account's email or name (ValidationError)."""
    passwords.check_password(password, email=email, name=name)


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, name: str, side: str, role: str, organisation=None,
                password: str | None = None, by) -> User:
    """Create an account; without a password the user must accept an invitation first."""
    email = normalise_email(email)
    policy.require(by, "manage")
    errors = {}
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        errors["email"] = _("Adresse e-mail invalide.")
    elif get_user_by_email(email):
        errors["email"] = _("Un compte existe déjà avec cette adresse.")
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors["name"] = _("Le nom est obligatoire (120 caractères au plus).")
    if side not in set(Side):
        errors["side"] = _("Le côté doit être nord ou sud.")
    if role not in set(Role):
        errors["role"] = _("Rôle inconnu.")
    if errors:
        raise ValidationError(errors)
    if password is not None:
        check_password_rules(password, email=email, name=name)
    user = User(email=email, name=name, side=side, role=role, organisation=organisation,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    if by is not policy.SYSTEM:  # a coordinator's action (the command line is the operator's)
        db.session.flush()  # the id, for the audit target
        audit.record(by, "user.create", f"user:{user.id}", {"email": email, "role": role, "side": side})
    db.session.commit()
    return user


def set_language(user: User, code: str | None) -> None:
    """The member's own interface language (None: follow the browser)."""
    if code is not None and code not in LANGUAGES:
        raise ValidationError({"language": _("Langue inconnue.")})
    user.language = code
    db.session.commit()


def update_user(user: User, *, by: User, role: str | None = None, side: str | None = None,
                organisation=..., is_enabled: bool | None = None, name: str | None = None) -> User:
    """Coordinator edits an account; deactivation ends every session at once."""
    policy.require(by, "manage")
    if role is not None and role not in set(Role):
        raise ValidationError({"role": _("Rôle inconnu.")})
    if side is not None and side not in set(Side):
        raise ValidationError({"side": _("Le côté doit être nord ou sud.")})
    if user.id == policy.reader_of(by).user_id and (
            is_enabled is False or (role and not policy.may(policy.Reader(role=role), "manage"))):
        raise ValidationError({"role": _("Vous ne pouvez pas retirer vos propres droits de coordination.")})
    before = _account_state(user)
    if name is not None:
        name = name.strip()
        if not name or len(name) > 120:
            raise ValidationError({"name": _("Le nom est obligatoire (120 caractères au plus).")})
        user.name = name
    if role is not None:
        user.role = role
    if side is not None:
        user.side = side
    if organisation is not ...:
        user.organisation = organisation
    if is_enabled is not None:
        user.is_enabled = is_enabled
        if not is_enabled:
            sessions.end_all_sessions(user)
    after = _account_state(user)
    for key, action in ACCOUNT_ACTIONS.items():
        if before[key] != after[key]:
            audit.record(by, action, f"user:{user.id}", {"email": user.email, "old": before[key], "new": after[key]})
    db.session.commit()
    return user


ACCOUNT_ACTIONS = {"role": "user.role", "side": "user.side", "is_enabled": "user.enabled",
                   "organisation": "user.organisation", "name": "user.name"}


def _account_state(user: User) -> dict:
    """What the audit log compares before and after an account edit."""
    return {"role": user.role, "side": user.side, "is_enabled": user.is_enabled, "name": user.name,
            "organisation": user.organisation.slug if user.organisation else None}


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match an active account, else None."""
    user = get_user_by_email(email)
    hasher, dummy = _hasher()
    stored = user.password_hash if user and user.password_hash else dummy
    try:
        hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.is_enabled:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.commit()
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def check_login(email: str, password: str, *, address: str | None) -> User | None:
    """Password step of a login. Raises TooManyAttempts when the account or the address has
    too many recent failures (without checking the password); otherwise the user, or None after
    recording a failure. Unknown emails are counted like known ones: the answers are the same."""
    email = normalise_email(email)
    throttle.check(email=email, address=address)
    user = authenticate(email, password)
    if user is None:
        throttle.record_failure(email=email, address=address)
    return user


def verify_current_password(user: User, password: str, *, address: str | None, field: str) -> None:
    """Re-check the password of a logged-in user, throttled like a login (a stolen session must
    not become a way to guess the password)."""
    throttle.check(email=user.email, address=address)
    if not user.password_hash or authenticate(user.email, password) is None:
        throttle.record_failure(email=user.email, address=address)
        raise ValidationError({field: _("Mot de passe actuel incorrect.")})


def change_password(user: User, *, current: str, new: str, address: str | None = None) -> str:
    """Check the current password, set the new one, end every session; returns a fresh session
    token (remembered if the current one was)."""
    verify_current_password(user, current, address=address, field="current")
    check_password_rules(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    sessions.end_all_sessions(user)
    db.session.commit()
    return sessions.start_session(user, remember=user.login_remembered)


def unlock_login(user: User, *, by: User, address: str | None = None) -> int:
    """A coordinator lifts the login throttle of an account, or of one address seen in its
    failures; returns how many failures were forgotten."""
    policy.require(by, "manage")
    if address is not None:
        removed = throttle.clear(address=address)
        audit.record(by, "login.unlock", f"user:{user.id}", {"address": throttle.normalise_address(address)})
    else:
        removed = throttle.clear(email=user.email)
        audit.record(by, "login.unlock", f"user:{user.id}")
    db.session.commit()
    return removed


@dataclass(frozen=True)
class LoginStatus:
    """What the coordinators' page shows about an account's recent failed logins."""
    failures: int
    locked_until: datetime | None
    addresses: list[tuple[str, int, datetime | None]]  # (address, failures, locked until)


def login_status(user: User) -> LoginStatus:
    failures = throttle.recent_failures(user.email)
    counts: dict[str, int] = {}
    for failure in failures:
        counts[failure.address] = counts.get(failure.address, 0) + 1
    addresses = [(address, count, throttle.locked_until(address=address)) for address, count in counts.items()]
    return LoginStatus(len(failures), throttle.locked_until(email=user.email), addresses)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(func.lower(User.name))))
