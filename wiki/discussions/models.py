"""A comment below a page; replies point at a top-level comment."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


class Comment(db.Model):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))  # a reply, one level deep
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    author_side: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    html: Mapped[str] = mapped_column(Text)  # sanitized, rendered when written
    # Who could read the page when the comment was written: making the page more visible
    # later does not publish it (policy's "read_comment"), as for revisions.
    visibility: Mapped[str] = mapped_column(String(10))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    is_deleted: Mapped[bool] = mapped_column(default=False)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    page = relationship("Page")
    author = relationship("User", foreign_keys=[author_id])
