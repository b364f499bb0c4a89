"""Password rules: length, not a common password, not the account's own email or name.

The list of common passwords ships with the app (`wiki/data/common-passwords.txt`, its source and
licence in its header): nothing is fetched at run time."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _

from ..errors import ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
# "soleil2024!" is as weak as "soleil": a listed password followed by these is refused too.
TRAILING_DECORATION = "0123456789 !?.,;:*@#$%&+=_-"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased; lines starting with # are comments."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """True for a listed password, whatever its case, alone or followed by digits and symbols."""
    lowered = password.strip().lower()
    listed = common_passwords()
    return lowered in listed or lowered.rstrip(TRAILING_DECORATION) in listed


def check_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise ValidationError({"password": message}) when the password breaks a rule."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid(_("Le mot de passe doit compter au moins %(min)d caractères.", min=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise _invalid(_("Le mot de passe ne peut dépasser %(max)d caractères.", max=MAX_PASSWORD_LENGTH))
    lowered = password.strip().lower()
    email = (email or "").strip().lower()
    personal = {email, email.partition("@")[0], (name or "").strip().lower()} - {""}
    if lowered in personal:
        raise _invalid(_("Le mot de passe ne doit pas reprendre votre adresse e-mail ni votre nom."))
    if is_common(password):
        raise _invalid(_("Ce mot de passe est trop courant (il figure dans les listes que les attaquants "
                         "essaient en premier). Choisissez-en un autre, par exemple une phrase."))


def _invalid(message: str) -> ValidationError:
    return ValidationError({"password": message})
