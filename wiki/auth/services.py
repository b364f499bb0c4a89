"""Account rules: users, passwords, login sessions, invitations, API tokens."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import utcnow
from .models import ApiToken, Invitation, LoginSession, Role, Side, User, hash_token
from .permissions import PermissionDenied, has_role

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128


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
    return (email or "").strip().lower()


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError({"password": f"Le mot de passe ne peut dépasser {MAX_PASSWORD_LENGTH} caractères."})


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, name: str, side: str, role: str, organisation=None,
                password: str | None = None, created_by: User | None = None) -> User:
    """Create an account; without a password the user must accept an invitation first."""
    email = normalise_email(email)
    errors = {}
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        errors["email"] = "Adresse e-mail invalide."
    elif get_user_by_email(email):
        errors["email"] = "Un compte existe déjà avec cette adresse."
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors["name"] = "Le nom est obligatoire (120 caractères au plus)."
    if side not in set(Side):
        errors["side"] = "Le côté doit être nord ou sud."
    if role not in set(Role):
        errors["role"] = "Rôle inconnu."
    if errors:
        raise ValidationError(errors)
    if created_by is not None and not has_role(created_by, Role.COORDINATEUR):
        raise PermissionDenied()
    if password is not None:
        check_password_rules(password)
    user = User(email=email, name=name, side=side, role=role, organisation=organisation,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.commit()
    return user


def update_user(user: User, *, by: User, role: str | None = None, side: str | None = None,
                organisation=..., is_enabled: bool | None = None, name: str | None = None) -> User:
    """Coordinator edits an account; deactivation ends every session at once."""
    if not has_role(by, Role.COORDINATEUR):
        raise PermissionDenied()
    if role is not None and role not in set(Role):
        raise ValidationError({"role": "Rôle inconnu."})
    if side is not None and side not in set(Side):
        raise ValidationError({"side": "Le côté doit être nord ou sud."})
    if user.id == by.id and (is_enabled is False or (role and role != Role.COORDINATEUR)):
        raise ValidationError({"role": "Vous ne pouvez pas retirer vos propres droits de coordination."})
    if name is not None:
        name = name.strip()
        if not name or len(name) > 120:
            raise ValidationError({"name": "Le nom est obligatoire (120 caractères au plus)."})
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
            _end_all_sessions(user)
    db.session.commit()
    return user


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


def start_session(user: User) -> str:
    """Open a login session; the returned token goes into the cookies."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=hash_token(token)))
    db.session.commit()
    user.login_token = token
    return token


def load_session_user(token: str) -> User | None:
    """The active user owning this login-session token, or None if revoked."""
    if not token:
        return None
    login = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == hash_token(token)))
    if login is None or not login.user.is_enabled:
        return None
    login.user.login_token = token
    return login.user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == hash_token(token)))
        db.session.commit()


def _end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def change_password(user: User, *, current: str, new: str) -> str:
    """Check the current password, set the new one, end every session; returns a fresh session token."""
    if not user.password_hash or authenticate(user.email, current) is None:
        raise ValidationError({"current": "Mot de passe actuel incorrect."})
    check_password_rules(new)
    user.password_hash = hash_password(new)
    _end_all_sessions(user)
    db.session.commit()
    return start_session(user)


def set_password(user: User, password: str) -> None:
    """CLI path: set a password without knowing the old one, ending every session."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    _end_all_sessions(user)
    db.session.commit()


# Invitations -----------------------------------------------------------------

def create_invitation(user: User, *, by: User | None, validity: timedelta) -> str:
    """A single-use link token for `user` to choose a password; older links stop working."""
    if by is not None and not has_role(by, Role.COORDINATEUR):
        raise PermissionDenied()
    db.session.execute(delete(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(Invitation(user=user, token_hash=hash_token(token), created_by_id=by.id if by else None,
                              expires_at=utcnow() + validity))
    db.session.commit()
    return token


def get_valid_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token or "")))
    if (invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow()
            or not invitation.user.is_enabled):
        raise NotFound("Ce lien d'invitation n'est plus valable. Demandez-en un nouveau à un coordinateur.")
    return invitation


def accept_invitation(token: str, password: str) -> User:
    """Set the invited user's password and use up the link."""
    invitation = get_valid_invitation(token)
    check_password_rules(password)
    invitation.used_at = utcnow()
    invitation.user.password_hash = hash_password(password)
    _end_all_sessions(invitation.user)
    db.session.commit()
    return invitation.user


# API tokens ------------------------------------------------------------------

TOKEN_PREFIX = "pas_"


def create_api_token(user: User, name: str = "") -> str:
    """A new token for the API; shown once, stored hashed."""
    name = (name or "").strip()[:100] or "Jeton " + utcnow().strftime("%Y-%m-%d %H:%M")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=hash_token(token)))
    db.session.commit()
    return token


def list_api_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_api_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("Jeton introuvable.")
    db.session.delete(token)
    db.session.commit()


def user_for_api_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token or "")))
    if row is None or not row.user.is_enabled:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now  # coarse, to avoid a write per request
        db.session.commit()
    return row.user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(func.lower(User.name))))


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def last_invitation(user: User) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.user_id == user.id)
                             .order_by(Invitation.id.desc()).limit(1))


def is_expired(moment: datetime) -> bool:
    return moment <= utcnow()
