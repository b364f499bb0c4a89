"""API tokens: shown once, stored hashed, revocable."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from .models import ApiToken, User, hash_token


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
        raise NotFound(_("Jeton introuvable."))
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
