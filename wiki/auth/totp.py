"""Time-based one-time passwords (RFC 6238, through pyotp) and recovery codes.

Pure helpers: no database, no request. The rules (who, when, replay, storage) are in services."""
from __future__ import annotations

import hmac
import secrets
import time

import pyotp

DIGITS = 6
PERIOD = 30  # seconds, the RFC's default and what every authenticator application expects
# Accept the previous and next 30-second step too: phones' clocks drift (RFC 6238 §5.2).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# 16 characters of a 31-letter alphabet: about 79 bits, out of reach of an offline search even
# though codes are stored as plain SHA-256 (hash_token) like the other tokens.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226 §4 recommends 160)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI that authenticator applications import."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=issuer)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // PERIOD)


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code equals `code` (within the allowed drift), or None."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit() or not secret:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def looks_like_totp(code: str) -> bool:
    code = normalise_code(code)
    return len(code) == DIGITS and code.isdigit()


def normalise_code(code: str | None) -> str:
    """Codes are typed with spaces or dashes and any case: keep only the letters and digits."""
    return "".join(c for c in (code or "").lower() if c.isalnum())


def new_recovery_codes() -> list[str]:
    """Ten codes such as « k7dm-q2xa-9hfp-tw3e », shown once to the user."""
    return ["-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
                     for _ in range(RECOVERY_GROUPS))
            for _ in range(RECOVERY_CODE_COUNT)]
