"""Account rules: users, passwords, logins (throttled, with an optional second factor),
login sessions and their timeouts, invitations, API tokens."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..audit import services as audit
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import utcnow
from . import passwords, throttle, totp
from .models import ApiToken, Invitation, LoginSession, RecoveryCode, Role, Side, User, hash_token
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
    policy.require(by, "manage")
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


def update_user(user: User, *, by: User, role: str | None = None, side: str | None = None,
                organisation=..., is_enabled: bool | None = None, name: str | None = None) -> User:
    """Coordinator edits an account; deactivation ends every session at once."""
    policy.require(by, "manage")
    if role is not None and role not in set(Role):
        raise ValidationError({"role": "Rôle inconnu."})
    if side is not None and side not in set(Side):
        raise ValidationError({"side": "Le côté doit être nord ou sud."})
    if user.id == by.id and (is_enabled is False or (role and role != Role.COORDINATEUR)):
        raise ValidationError({"role": "Vous ne pouvez pas retirer vos propres droits de coordination."})
    before = _account_state(user)
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
    login = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == hash_token(token))
                              .options(joinedload(LoginSession.user)))
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


def _end_all_sessions(user: User, *, keep_token: str | None = None) -> None:
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        query = query.where(LoginSession.token_hash != hash_token(keep_token))
    db.session.execute(query)


def _verify_current_password(user: User, password: str, *, address: str | None, field: str) -> None:
    """Re-check the password of a logged-in user, throttled like a login (a stolen session must
    not become a way to guess the password)."""
    throttle.check(email=user.email, address=address)
    if not user.password_hash or authenticate(user.email, password) is None:
        throttle.record_failure(email=user.email, address=address)
        raise ValidationError({field: "Mot de passe actuel incorrect."})


def change_password(user: User, *, current: str, new: str, address: str | None = None) -> str:
    """Check the current password, set the new one, end every session; returns a fresh session
    token (remembered if the current one was)."""
    _verify_current_password(user, current, address=address, field="current")
    check_password_rules(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    _end_all_sessions(user)
    db.session.commit()
    return start_session(user, remember=user.login_remembered)


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


# Two-factor login (TOTP) -----------------------------------------------------

def new_totp_secret() -> str:
    """A secret for the setup page; stored on the account only once a first code matched."""
    return totp.new_secret()


def totp_uri(user: User, secret: str) -> str:
    return totp.provisioning_uri(secret, account=user.email, issuer=current_app.config["TOTP_ISSUER"])


def is_totp_required(user) -> bool:
    """Coordinators must use two-factor login when REQUIRE_2FA_FOR_COORDINATORS is on."""
    return bool(current_app.config["REQUIRE_2FA_FOR_COORDINATORS"]) and policy.may(user, "manage")


def needs_totp_setup(user) -> bool:
    """True for a logged-in coordinator who must enable two-factor login before anything else."""
    return policy.reader_of(user).is_member and not user.is_totp_enabled and is_totp_required(user)


def enable_totp(user: User, *, secret: str, code: str, password: str, address: str | None = None) -> list[str]:
    """Turn two-factor login on once the password is confirmed and the user's application gave
    a matching code; ends the user's other sessions. Returns the recovery codes, to show once
    (stored hashed)."""
    if user.is_totp_enabled:
        raise ValidationError({"code": "La double authentification est déjà activée."})
    _verify_current_password(user, password, address=address, field="password")
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationError({"code": "Code incorrect. Vérifiez que l'heure de votre téléphone est juste "
                                       "et saisissez le code affiché en ce moment."})
    user.totp_secret, user.is_totp_enabled, user.totp_last_step = secret, True, step
    codes = _replace_recovery_codes(user)
    _end_all_sessions(user, keep_token=user.login_token)
    audit.record(user, "user.totp_enable", f"user:{user.id}")
    db.session.commit()
    return codes


@dataclass(frozen=True)
class SecondFactor:
    """How the second step was passed: "totp" or "recovery" (then how many codes are left)."""
    kind: str
    recovery_codes_left: int = 0


def check_second_factor(user: User, code: str, *, address: str | None) -> SecondFactor | None:
    """Second step of a login: a current TOTP code (each accepted once) or an unused recovery
    code (then used up). Throttled and counted like the password step; None when refused."""
    throttle.check(email=user.email, address=address)
    result = None
    if user.is_enabled and user.is_totp_enabled:
        if totp.looks_like_totp(code):
            if _accept_totp(user, code):
                result = SecondFactor("totp")
        elif _use_recovery_code(user, code):
            result = SecondFactor("recovery", count_recovery_codes(user))
    if result is None:
        throttle.record_failure(email=user.email, address=address)  # commits
        return None
    db.session.commit()
    return result


def disable_totp(user: User, *, password: str, address: str | None = None) -> None:
    """Turn two-factor login off; needs the password (a session alone is not enough)."""
    if is_totp_required(user):
        raise ValidationError({"password": "La double authentification est obligatoire pour les coordinateurs."})
    _verify_current_password(user, password, address=address, field="password")
    _clear_totp(user)
    audit.record(user, "user.totp_disable", f"user:{user.id}")
    db.session.commit()


def regenerate_recovery_codes(user: User, *, password: str, address: str | None = None) -> list[str]:
    """New recovery codes replace the old ones (needs the password); returns them, to show once."""
    if not user.is_totp_enabled:
        raise ValidationError({"password": "La double authentification n'est pas activée."})
    _verify_current_password(user, password, address=address, field="password")
    codes = _replace_recovery_codes(user)
    db.session.commit()
    return codes


def reset_totp(user: User, *, by: User) -> None:
    """A coordinator turns off someone's two-factor login (lost phone and codes); audited."""
    policy.require(by, "manage")
    if user.id == by.id:
        raise ValidationError({"totp": "Pour votre propre compte, passez par « Mon compte » (le mot de passe "
                                       "y est demandé)."})
    _clear_totp(user)
    audit.record(by, "user.totp_reset", f"user:{user.id}")
    db.session.commit()


def count_recovery_codes(user: User) -> int:
    """Unused recovery codes left."""
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _clear_totp(user: User) -> None:
    user.totp_secret, user.is_totp_enabled, user.totp_last_step = None, False, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(totp.normalise_code(code))))
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    normalised = totp.normalise_code(code)
    if not normalised:
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_token(normalised),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def _accept_totp(user: User, code: str) -> bool:
    step = totp.matching_step(user.totp_secret, code)
    # RFC 6238 §5.2: a code accepted once (or one older than it) is not accepted again.
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


# Invitations -----------------------------------------------------------------

def create_invitation(user: User, *, by, validity: timedelta) -> str:
    """A single-use link token for `user` to choose a password; older links stop working."""
    policy.require(by, "manage")
    db.session.execute(delete(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(Invitation(user=user, token_hash=hash_token(token), created_by_id=policy.reader_of(by).user_id,
                              expires_at=utcnow() + validity))
    db.session.commit()
    return token


def get_valid_invitation(token: str, *, address: str | None = None) -> Invitation:
    """The usable invitation for this link. Throttled per address (TooManyAttempts): each
    unknown, used or expired link counts as a failure, so links cannot be guessed."""
    throttle.check(email=None, address=address)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token or "")))
    if (invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow()
            or not invitation.user.is_enabled):
        throttle.record_failure(email=throttle.NO_ACCOUNT, address=address)
        raise NotFound("Ce lien d'invitation n'est plus valable. Demandez-en un nouveau à un coordinateur.")
    return invitation


def accept_invitation(token: str, password: str, *, address: str | None = None) -> User:
    """Set the invited user's password and use up the link."""
    invitation = get_valid_invitation(token, address=address)
    check_password_rules(password, email=invitation.user.email, name=invitation.user.name)
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


def last_invitation(user: User) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.user_id == user.id)
                             .order_by(Invitation.id.desc()).limit(1))


def is_expired(moment: datetime) -> bool:
    return moment <= utcnow()
