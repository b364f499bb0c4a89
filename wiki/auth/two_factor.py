"""Two-factor login (TOTP, RFC 6238) and its single-use recovery codes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from .. import policy
from ..audit import services as audit
from ..errors import ValidationError
from ..extensions import db
from ..models import utcnow
from . import sessions, throttle, totp
from .accounts import verify_current_password
from .models import RecoveryCode, User, hash_token


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
        raise ValidationError({"code": _("La double authentification est déjà activée.")})
    verify_current_password(user, password, address=address, field="password")
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationError({"code": _("Code incorrect. Vérifiez que l'heure de votre téléphone est juste "
                                         "et saisissez le code affiché en ce moment.")})
    user.totp_secret, user.is_totp_enabled, user.totp_last_step = secret, True, step
    codes = _replace_recovery_codes(user)
    sessions.end_all_sessions(user, keep_token=user.login_token)
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
        raise ValidationError({"password": _("La double authentification est obligatoire pour les coordinateurs.")})
    verify_current_password(user, password, address=address, field="password")
    _clear_totp(user)
    audit.record(user, "user.totp_disable", f"user:{user.id}")
    db.session.commit()


def regenerate_recovery_codes(user: User, *, password: str, address: str | None = None) -> list[str]:
    """New recovery codes replace the old ones (needs the password); returns them, to show once."""
    if not user.is_totp_enabled:
        raise ValidationError({"password": _("La double authentification n'est pas activée.")})
    verify_current_password(user, password, address=address, field="password")
    codes = _replace_recovery_codes(user)
    db.session.commit()
    return codes


def reset_totp(user: User, *, by: User) -> None:
    """A coordinator turns off someone's two-factor login (lost phone and codes); audited."""
    policy.require(by, "manage")
    if user.id == by.id:
        raise ValidationError({"totp": _("Pour votre propre compte, passez par « Mon compte » (le mot de passe "
                                         "y est demandé).")})
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
