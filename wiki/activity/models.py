"""What members follow: a page (or sheet), a group, a theme."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow

TARGETS = ("page", "group", "theme")


class Follow(db.Model):
    affects_pages = False  # shown on members' pages only, which no cache keeps (wiki/cache/version.py)

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(10))  # one of TARGETS
    key: Mapped[str] = mapped_column(String(200))  # the page's or group's id, the theme's slug
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
