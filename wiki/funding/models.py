"""« Nous préparons une réponse »: who works on a call for funding (the call itself is a page)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


class CallInterest(db.Model):
    """Shown with the member's organisation and side, so that structures answering the same call
    can team up rather than compete."""

    __tablename__ = "call_interests"
    __table_args__ = (UniqueConstraint("page_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
