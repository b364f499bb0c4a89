"""A news item and its photos. A news item keeps the audience its page had when it was written
(as comments do): a page made public later does not publish what was said while it was reserved."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow

MAX_NEWS = 1500
MAX_PHOTOS = 4
NEWS_KINDS = {"avancement": _l("Avancement"), "difficulte": _l("Difficulté"), "besoin": _l("Besoin"),
              "reussite": _l("Réussite")}


class News(db.Model):
    __tablename__ = "field_news"
    # The identifier made on the phone: a retried send finds the news already stored.
    __table_args__ = (UniqueConstraint("author_id", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author_side: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(MAX_NEWS))
    kind: Mapped[str | None] = mapped_column(String(12))  # one of NEWS_KINDS
    commune: Mapped[str | None] = mapped_column(String(100))  # a place by name, never coordinates
    client_id: Mapped[str | None] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(10))  # the page's, when written
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    page = relationship("Page")
    author = relationship("User")
    photos: Mapped[list[NewsPhoto]] = relationship(order_by="NewsPhoto.position", cascade="all, delete-orphan",
                                                   back_populates="news")


class NewsPhoto(db.Model):
    """Stored as attachments' photos are: re-encoded from the bare pixels (no EXIF, no GPS)."""

    __tablename__ = "field_news_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(ForeignKey("field_news.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))  # WebP, in the uploads folder
    thumbnail_hash: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]

    news: Mapped[News] = relationship(back_populates="photos")
